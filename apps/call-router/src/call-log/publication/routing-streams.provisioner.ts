// Creates or updates the JetStream streams of routing events (ROUTING, ROUTING_AGENT) idempotently, so any
// number of router instances can run it at boot at the same time.
import { ROUTING_AGENT_STREAM, ROUTING_AGENT_SUBJECTS, ROUTING_RETENTION, ROUTING_STREAM, ROUTING_SUBJECTS } from '@cc/contracts';
import { DUPLICATE_WINDOW_MS } from '@cc/messaging';
import { DiscardPolicy, NatsError, RetentionPolicy, StorageType, nanos, type NatsConnection, type StreamConfig, type StreamInfo } from 'nats';

/** JetStream's "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;
const DAY_MS = 24 * 60 * 60 * 1000;

export function routingStreamConfigs(options: { replicas?: number } = {}): Array<Partial<StreamConfig> & { name: string; subjects: string[] }> {
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: options.replicas ?? 1,
  };
  return [
    {
      ...common,
      name: ROUTING_STREAM,
      subjects: [ROUTING_SUBJECTS],
      description: 'Routing events of calls (routing.{tenant}.{number}.{type}), relayed from the call-router store',
      max_age: nanos(ROUTING_RETENTION.routingMaxAgeDays * DAY_MS),
    },
    {
      ...common,
      name: ROUTING_AGENT_STREAM,
      subjects: [ROUTING_AGENT_SUBJECTS],
      description: 'Per-agent copies of routing events (routing-agent.{tenant}.{agentId}.{type})',
      max_age: nanos(ROUTING_RETENTION.agentCopyMaxAgeDays * DAY_MS),
    },
  ];
}

export async function ensureRoutingStreams(nc: NatsConnection, options: { replicas?: number } = {}): Promise<StreamInfo[]> {
  const jsm = await nc.jetstreamManager();
  const infos: StreamInfo[] = [];
  for (const config of routingStreamConfigs(options)) {
    try {
      infos.push(await jsm.streams.add(config));
      continue;
    } catch (error) {
      if (!(error instanceof NatsError) || error.api_error?.err_code !== STREAM_NAME_IN_USE) {
        throw new Error(`cannot create JetStream stream ${config.name}: ${describe(error)}`, { cause: error });
      }
    }
    try {
      // Another instance created it with other values (or a deploy changed ours): converge on ours.
      infos.push(await jsm.streams.update(config.name, config));
    } catch (error) {
      throw new Error(`JetStream stream ${config.name} exists with a config that cannot be updated: ${describe(error)}`, { cause: error });
    }
  }
  return infos;
}

const describe = (error: unknown): string =>
  error instanceof NatsError && error.api_error
    ? `${error.api_error.description} (err_code ${error.api_error.err_code})`
    : error instanceof Error
      ? error.message
      : String(error);
