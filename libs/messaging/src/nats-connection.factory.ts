// One place that decides how a service connects to NATS: fail fast on the first connect (the orchestrator
// restarts us), then reconnect forever, and log every disconnect/reconnect.
import { connect, DebugEvents, Events, type ConnectionOptions, type NatsConnection } from 'nats';
import { errorMessage, stderrMessagingLogger, type MessagingLogger } from './messaging.logger';

export type ConnectNatsOptions = {
  /** `nats://host:4222`, or several (a cluster), comma-separated or as an array. */
  servers: string | string[];
  /** Shown in the server's connz/monitoring: use the service name (and instance). */
  name: string;
  logger?: MessagingLogger;
  /** Escape hatch for TLS/auth; our reconnect settings win unless overridden here explicitly. */
  overrides?: Partial<ConnectionOptions>;
};

export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const logger = options.logger ?? stderrMessagingLogger;
  const servers = typeof options.servers === 'string' ? options.servers.split(',').map((s) => s.trim()) : options.servers;
  const nc = await connect({
    servers,
    name: options.name,
    // Once connected, never give up: a NATS restart or a cluster node move must not kill the service.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    reconnectJitter: 500,
    // The first connect fails fast (a misconfigured URL should crash at boot, not hang forever).
    waitOnFirstConnect: false,
    timeout: 5_000,
    // Detect a dead TCP peer within ~1 min instead of the OS's many minutes.
    pingInterval: 20_000,
    maxPingOut: 3,
    // No stack captured per request (every JetStream publish is one): an Error per message cost the router
    // ~5% of its CPU in the P1 profile. A timed-out request's error then lacks the caller's async frames.
    noAsyncTraces: true,
    ...options.overrides,
  });
  void logStatus(nc, options.name, logger);
  return nc;
}

async function logStatus(nc: NatsConnection, name: string, logger: MessagingLogger): Promise<void> {
  try {
    for await (const status of nc.status()) {
      const fields = { connection: name, event: status.type, data: status.data };
      switch (status.type) {
        case Events.Disconnect:
        case Events.Error:
          logger.warn(fields, 'NATS connection lost or errored; reconnecting');
          break;
        case Events.Reconnect:
          logger.info(fields, 'NATS reconnected');
          break;
        case Events.LDM:
          logger.warn(fields, 'NATS server entering lame-duck mode; will move to another server');
          break;
        case Events.Update:
          logger.info(fields, 'NATS cluster membership changed');
          break;
        case DebugEvents.Reconnecting:
        case DebugEvents.PingTimer:
        case DebugEvents.StaleConnection:
        case DebugEvents.ClientInitiatedReconnect:
          // Too chatty to log: each reconnect attempt, each ping; the outcome is logged above.
          break;
        default: {
          const _exhaustive: never = status.type;
          logger.warn({ ...fields, unknown: _exhaustive }, 'unknown NATS status event');
        }
      }
    }
  } catch (error) {
    logger.error({ connection: name, err: error, error: errorMessage(error) }, 'NATS status monitor failed');
  }
}
