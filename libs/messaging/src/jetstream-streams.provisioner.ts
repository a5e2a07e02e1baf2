// Creates or updates the JetStream streams every service relies on (one per service + the dead letters),
// idempotently, so any number of processes can run it at boot at the same time.
import type { ServiceName } from '@cc/contracts';
import {
  DiscardPolicy,
  NatsError,
  RetentionPolicy,
  StorageType,
  nanos,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
  type StreamInfo,
} from 'nats';
import { jetStreamNames } from './jetstream-names.builder';

/** JetStream's "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;

/** Republishes of the same event id within this window are stored once (Nats-Msg-Id dedup). */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export type EnsureStreamsOptions = {
  /** Prefix for tests or environments sharing one NATS (see jetStreamNames). Default: none. */
  namespace?: string;
  /**
   * How long JetStream keeps events (default 7 days). JetStream is not the source of truth (the event
   * store is), so this only bounds how far back a new consumer can start without a store replay.
   */
  eventMaxAgeMs?: number;
  /** How long dead letters are kept for inspection and replay (default 30 days). */
  deadLetterMaxAgeMs?: number;
  /** Replicas per stream (1 locally, 3 on a production cluster). */
  replicas?: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Stream configs for the given services plus the dead-letter stream, as ensureJetStreamStreams applies them. */
export function jetStreamStreamConfigs(
  services: readonly ServiceName[],
  options: EnsureStreamsOptions = {},
): Array<Partial<StreamConfig> & { name: string; subjects: string[] }> {
  const names = jetStreamNames(options.namespace);
  const eventMaxAgeMs = options.eventMaxAgeMs ?? 7 * DAY_MS;
  const deadLetterMaxAgeMs = options.deadLetterMaxAgeMs ?? 30 * DAY_MS;
  // JetStream refuses a max age below the duplicate window (the dedup memory must not outlive the data).
  for (const [name, ms] of [['eventMaxAgeMs', eventMaxAgeMs], ['deadLetterMaxAgeMs', deadLetterMaxAgeMs]] as const) {
    if (!Number.isFinite(ms) || ms < DUPLICATE_WINDOW_MS) {
      throw new Error(`${name} must be at least the ${DUPLICATE_WINDOW_MS} ms duplicate window, got ${ms}`);
    }
  }
  const common = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: options.replicas ?? 1,
  };
  const unique = [...new Set(services)];
  return [
    ...unique.map((service) => ({
      ...common,
      name: names.eventStream(service),
      subjects: [names.eventSubjects(service)],
      description: `Domain events of ${service}, relayed from its event store`,
      max_age: nanos(eventMaxAgeMs),
    })),
    {
      ...common,
      name: names.deadLetterStream,
      subjects: [names.deadLetterSubjects],
      description: 'Messages consumers could not process, with a Cc-Dlq-Reason header',
      max_age: nanos(deadLetterMaxAgeMs),
    },
  ];
}

/**
 * Ensures one stream per service (`EVT_<SERVICE>`, subjects `evt.<service>.>`) and `DEADLETTER` (`dlq.>`).
 * `add` with an identical config is a no-op on the server; when another process created it with a
 * different config (or a deploy changed ours), we update it instead. Returns the streams' info.
 */
export async function ensureJetStreamStreams(
  nc: NatsConnection,
  services: readonly ServiceName[],
  options: EnsureStreamsOptions = {},
): Promise<StreamInfo[]> {
  const jsm = await nc.jetstreamManager();
  const infos: StreamInfo[] = [];
  for (const config of jetStreamStreamConfigs(services, options)) {
    infos.push(await ensureStream(jsm, config));
  }
  return infos;
}

async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string; subjects: string[] },
): Promise<StreamInfo> {
  try {
    return await jsm.streams.add(config);
  } catch (error) {
    if (!(error instanceof NatsError) || error.api_error?.err_code !== STREAM_NAME_IN_USE) {
      throw new Error(`cannot create JetStream stream ${config.name}: ${describe(error)}`, { cause: error });
    }
  }
  try {
    // Concurrent updates with the same config are harmless: the last one wins with identical values.
    return await jsm.streams.update(config.name, config);
  } catch (error) {
    // E.g. storage type or retention changed: JetStream cannot do that in place; an operator must.
    throw new Error(`JetStream stream ${config.name} exists with a config that cannot be updated: ${describe(error)}`, {
      cause: error,
    });
  }
}

const describe = (error: unknown): string =>
  error instanceof NatsError && error.api_error
    ? `${error.api_error.description} (err_code ${error.api_error.err_code})`
    : error instanceof Error
      ? error.message
      : String(error);
