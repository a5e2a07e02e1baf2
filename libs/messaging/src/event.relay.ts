// The store is the outbox: this relay follows a service's event store (a durable subscribeAll) and puts
// every event on JetStream, moving its checkpoint only after JetStream acknowledged the batch.
import type { ServiceName } from '@cc/contracts';
import type { AllSubscription, EventStore, RecordedEvent } from '@cc/event-store';
import type { JetStreamClient, NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { jetStreamNames, type JetStreamNames } from './jetstream-names.builder';
import { errorMessage, stderrMessagingLogger, type MessagingLogger } from './messaging.logger';
import { relayMetrics, type RelayMetrics } from './messaging.metrics';
import { publishRecordedEvents } from './recorded-event.publisher';

/** The store checkpoint a service's relay advances: `relay-<service>`. */
export const relayCheckpointName = (service: ServiceName): string => `relay-${service}`;

export type EventRelayOptions = {
  store: EventStore;
  nc: NatsConnection;
  /** Whose events these are: they go to `evt.<service>.<tenant>.<type>` in stream `EVT_<SERVICE>`. */
  service: ServiceName;
  /** Default `relay-<service>`. A new relay with the same name resumes where the last one stopped. */
  checkpointName?: string;
  /** See jetStreamNames: tests use a unique one; production none. */
  namespace?: string;
  /** Only events of streams starting with one of these (default: every stream of the store). */
  streamPrefixes?: string[];
  /** Events per store batch = per JetStream round trip (default: the store's). */
  batchSize?: number;
  /** PubAck timeout per event (default: the nats client's, 5 s). */
  publishTimeoutMs?: number;
  logger?: MessagingLogger;
  /** Registers cc_event_relay_* metrics in this registry. */
  metrics?: Registry;
};

export type EventRelayStatus = {
  running: boolean;
  checkpointName: string;
  /** Events newly stored in JetStream by this instance. */
  storedTotal: number;
  /** Events JetStream dropped as already published (a restart republishing an unacknowledged batch). */
  duplicateTotal: number;
  failedBatches: number;
  /** Store position of the last event JetStream acknowledged (the checkpoint moves to it next). */
  lastPublishedPosition: string | null;
  /** occurredAt of that event. */
  lastPublishedEventOccurredAt: string | null;
  lastPublishedAt: Date | null;
  /**
   * Relay lag as of the last batch: how old its last event was when JetStream acknowledged it. It stays at
   * the last value while idle; combine with `caughtUp()` (or the store's head) to see a growing backlog.
   */
  lastDelayMs: number | null;
  lastError: string | null;
};

export class EventRelay {
  private readonly checkpointName: string;
  private readonly names: JetStreamNames;
  private readonly logger: MessagingLogger;
  private readonly metrics: RelayMetrics | null;
  private readonly js: JetStreamClient;
  private subscription: AllSubscription | null = null;
  private starting: Promise<void> | null = null;
  private stats: Omit<EventRelayStatus, 'running' | 'checkpointName'> = {
    storedTotal: 0,
    duplicateTotal: 0,
    failedBatches: 0,
    lastPublishedPosition: null,
    lastPublishedEventOccurredAt: null,
    lastPublishedAt: null,
    lastDelayMs: null,
    lastError: null,
  };

  constructor(private readonly options: EventRelayOptions) {
    this.checkpointName = options.checkpointName ?? relayCheckpointName(options.service);
    this.names = jetStreamNames(options.namespace);
    this.logger = options.logger ?? stderrMessagingLogger;
    this.metrics = options.metrics ? relayMetrics(options.metrics) : null;
    this.js = options.nc.jetstream();
  }

  /** Starts following the store from its checkpoint (from the first event on the very first run). */
  async start(): Promise<void> {
    if (this.subscription || this.starting) throw new Error(`event relay ${this.checkpointName} is already running`);
    this.starting = (async () => {
      this.subscription = await this.options.store.subscribeAll({
        checkpointName: this.checkpointName,
        startFrom: 'start',
        ...(this.options.streamPrefixes === undefined ? {} : { streamPrefixes: this.options.streamPrefixes }),
        ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
        handler: (events) => this.publish(events),
        onError: (error, attempt) => this.onBatchError(error, attempt),
      });
      this.logger.info({ relay: this.checkpointName, service: this.options.service }, 'event relay started');
    })();
    try {
      await this.starting;
    } finally {
      this.starting = null;
    }
  }

  /** Stops after the batch in flight (if any) was published and checkpointed. Safe to call twice. */
  async stop(): Promise<void> {
    // A stop() racing a start() must not leave a subscription running behind our back.
    if (this.starting) await this.starting.catch(() => undefined);
    const subscription = this.subscription;
    if (!subscription) return;
    this.subscription = null;
    await subscription.stop();
    this.logger.info({ relay: this.checkpointName, ...this.status() }, 'event relay stopped');
  }

  /** Resolves once every event committed before this call is on JetStream. */
  async caughtUp(): Promise<void> {
    if (!this.subscription) throw new Error(`event relay ${this.checkpointName} is not running`);
    await this.subscription.caughtUp();
  }

  status(): EventRelayStatus {
    return { running: this.subscription !== null, checkpointName: this.checkpointName, ...this.stats };
  }

  private async publish(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const outcome = await publishRecordedEvents(this.js, {
      service: this.options.service,
      names: this.names,
      events,
      ...(this.options.publishTimeoutMs === undefined ? {} : { timeoutMs: this.options.publishTimeoutMs }),
    });
    const last = events[events.length - 1]!;
    const now = new Date();
    const delayMs = Math.max(0, now.getTime() - Date.parse(last.occurredAt));
    this.stats = {
      ...this.stats,
      storedTotal: this.stats.storedTotal + outcome.stored,
      duplicateTotal: this.stats.duplicateTotal + outcome.duplicates,
      lastPublishedPosition: last.position,
      lastPublishedEventOccurredAt: last.occurredAt,
      lastPublishedAt: now,
      lastDelayMs: delayMs,
      lastError: null,
    };
    if (this.metrics) {
      const relay = this.checkpointName;
      this.metrics.published.inc({ relay, outcome: 'stored' }, outcome.stored);
      this.metrics.published.inc({ relay, outcome: 'duplicate' }, outcome.duplicates);
      this.metrics.delaySeconds.set({ relay }, delayMs / 1000);
      this.metrics.lastPublishTimestampSeconds.set({ relay }, now.getTime() / 1000);
    }
  }

  private onBatchError(error: unknown, attempt: number): void {
    this.stats = { ...this.stats, failedBatches: this.stats.failedBatches + 1, lastError: errorMessage(error) };
    this.metrics?.batchFailures.inc({ relay: this.checkpointName });
    // The store retries the same batch after a back-off; nothing is skipped, so this is loud but not fatal.
    this.logger.error(
      { relay: this.checkpointName, attempt, err: error, error: errorMessage(error) },
      'event relay could not publish a batch to JetStream; retrying',
    );
  }
}
