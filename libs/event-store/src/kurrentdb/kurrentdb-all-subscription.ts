// The KurrentDB adapter's durable subscription: a catch-up subscribeToAll (server-side stream filter, system
// streams excluded) buffered into batches, with the checkpoint kept in a KurrentDB stream of its own.
import {
  BACKWARDS,
  END,
  START,
  StreamNotFoundError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Filter,
  type KurrentDBClient,
  type Position,
} from '@kurrent/kurrentdb-client';
import { deliverBatch, delay, retryDelayMs } from '../batch-delivery';
import { CaughtUpWaiters } from '../caught-up-waiters';
import { SubscriptionStopped } from '../errors';
import { validateSubscribeOptions } from '../subscribe-options.validator';
import type { EventStoreLogger } from '../event-store-logger';
import type { AllSubscription, GlobalPosition, RecordedEvent, SubscribeAllOptions } from '../event-store.port';
import { compareGlobalPositions } from '../global-position.codec';
import { upcast, type Upcasters } from '../upcasters';
import { WakeSignal } from '../wake-signal';
import { fromKurrentRecord, isSystemRecord, toGlobalPosition, toKurrentPosition, type KurrentRecord } from './kurrentdb-recorded-event';

export const DEFAULT_BATCH_SIZE = 500;
/** Server-side filter checkpoints come every `32 * CHECKPOINT_INTERVAL` scanned events. */
const CHECKPOINT_INTERVAL = 5;
/** Streams whose name does not start with "$": everything but system streams (and our checkpoint streams). */
const NON_SYSTEM_STREAMS = '^[^$]';
const CHECKPOINT_EVENT_TYPE = 'SubscriptionCheckpointStored';

export type KurrentDbSubscriptionDeps = {
  client: KurrentDBClient;
  checkpointStreamPrefix: string;
  logger: EventStoreLogger;
  upcasters: Upcasters | undefined;
  onStopped: (subscription: KurrentDbAllSubscription) => void;
};

/** What the server sent, in order: records (ours, foreign or system) and filter checkpoints. */
type Item = { record: KurrentRecord | null; position: GlobalPosition };

export class KurrentDbAllSubscription implements AllSubscription {
  readonly checkpointName: string;
  private readonly checkpointStream: string;
  private readonly batchSize: number;
  private readonly stopController = new AbortController();
  private readonly wake = new WakeSignal();
  private readonly waiters: CaughtUpWaiters<GlobalPosition>;
  private buffer: Item[] = [];
  private acknowledged: GlobalPosition | null;
  /** The newest position received from the server; a resubscription continues after it. */
  private received: GlobalPosition | null;
  private stream: AllStreamSubscription | null = null;
  private paused = false;
  private reconnects = 0;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: KurrentDbSubscriptionDeps,
    private readonly options: SubscribeAllOptions,
    acknowledged: GlobalPosition | null,
  ) {
    this.checkpointName = options.checkpointName;
    this.checkpointStream = `${deps.checkpointStreamPrefix}${options.checkpointName}`;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.acknowledged = acknowledged;
    this.received = acknowledged;
    this.waiters = new CaughtUpWaiters(options.checkpointName, compareGlobalPositions);
  }

  static async start(deps: KurrentDbSubscriptionDeps, options: SubscribeAllOptions): Promise<KurrentDbAllSubscription> {
    validateSubscribeOptions(options);
    const checkpointStream = `${deps.checkpointStreamPrefix}${options.checkpointName}`;
    let acknowledged = await readCheckpoint(deps.client, checkpointStream);
    if (acknowledged === null) {
      // Keep only the latest checkpoint event.
      await deps.client.setStreamMetadata(checkpointStream, { maxCount: 1 });
      if (options.startFrom === 'end') {
        // Persist the starting point at once: a restart before the first event must not skip what came between.
        acknowledged = await readHead(deps.client, undefined);
        if (acknowledged !== null) await writeCheckpoint(deps.client, checkpointStream, acknowledged);
      }
    }
    const subscription = new KurrentDbAllSubscription(deps, options, acknowledged);
    subscription.open();
    subscription.loop = subscription.run();
    return subscription;
  }

  lastPosition(): GlobalPosition | null {
    return this.acknowledged;
  }

  async caughtUp(): Promise<void> {
    if (this.stopping) throw new SubscriptionStopped(this.checkpointName);
    // The newest record this subscription would receive: filtered-out records may never reach it.
    const head = await readHead(this.deps.client, this.filter(undefined));
    if (head === null || (this.acknowledged !== null && compareGlobalPositions(this.acknowledged, head) >= 0)) return;
    if (this.stopping) throw new SubscriptionStopped(this.checkpointName);
    const reached = this.waiters.waitFor(head);
    this.wake.wake();
    return reached;
  }

  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopController.abort();
      const stream = this.stream;
      this.stream = null;
      if (stream) await stream.unsubscribe().catch((error: unknown) => this.deps.logger.warn('unsubscribe failed', { error }));
      this.wake.wake();
    }
    await this.loop;
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** The server-side filter; `checkpointReached` only for the live subscription, not for reads. */
  private filter(checkpointReached: ((subscription: AllStreamSubscription, position: Position) => void) | undefined): Filter {
    return this.options.streamPrefixes
      ? streamNameFilter({ prefixes: this.options.streamPrefixes, checkpointInterval: CHECKPOINT_INTERVAL, checkpointReached })
      : streamNameFilter({ regex: NON_SYSTEM_STREAMS, checkpointInterval: CHECKPOINT_INTERVAL, checkpointReached });
  }

  private open(): void {
    if (this.stopping) return;
    const stream = this.deps.client.subscribeToAll({
      fromPosition: this.received === null ? START : toKurrentPosition(this.received),
      filter: this.filter((_, position) => this.receive({ record: null, position: toGlobalPosition(position) })),
    });
    stream.on('data', (resolved: AllStreamResolvedEvent) => {
      if (stream !== this.stream || !resolved.event) return;
      this.reconnects = 0;
      const record = resolved.event as KurrentRecord;
      if (!record.position) {
        this.dropped(stream, new Error(`KurrentDB sent event ${record.id} without a position (server < 22.6?)`));
        return;
      }
      this.receive({ record, position: toGlobalPosition(record.position) });
    });
    stream.on('error', (error: unknown) => this.dropped(stream, error));
    stream.on('end', () => this.dropped(stream, new Error('server ended the subscription')));
    this.stream = stream;
  }

  private receive(item: Item): void {
    // Positions are exclusive on resubscription, but a checkpoint may repeat: never take anything twice.
    if (this.received !== null && compareGlobalPositions(item.position, this.received) <= 0) return;
    this.received = item.position;
    this.buffer.push(item);
    if (!this.paused && this.buffer.length >= 4 * this.batchSize) {
      this.paused = true;
      this.stream?.pause();
    }
    this.wake.wake();
  }

  private dropped(stream: AllStreamSubscription, error: unknown): void {
    if (stream !== this.stream || this.stopping) return;
    this.stream = null;
    this.paused = false;
    stream.unsubscribe().catch(() => undefined);
    this.reconnects++;
    this.deps.logger.warn('KurrentDB subscription dropped; resubscribing', { checkpointName: this.checkpointName, error });
    void delay(retryDelayMs(this.reconnects), this.stopController.signal).then(() => this.open());
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let failures = 0;
    try {
      while (!this.stopping) {
        if (this.buffer.length === 0) {
          if (this.paused) {
            this.paused = false;
            this.stream?.resume();
          }
          await this.wake.wait(1_000);
          continue;
        }
        const items = this.buffer.splice(0, this.batchSize);
        let events: RecordedEvent[];
        try {
          events = this.toEvents(items);
          failures = 0;
        } catch (error) {
          // An upcaster bug or a malformed record: stall (loudly) rather than skip.
          this.buffer.unshift(...items);
          failures++;
          this.deps.logger.warn('could not map KurrentDB records; retrying', { checkpointName: this.checkpointName, failures, error });
          await delay(retryDelayMs(failures), signal);
          continue;
        }
        if (events.length > 0 && !(await deliverBatch(events, this.options, signal, this.deps.logger))) break;
        const last = items[items.length - 1].position;
        if (!(await this.saveCheckpoint(last))) break;
        this.acknowledged = last;
        this.waiters.settle(last);
        if (this.paused && this.buffer.length < this.batchSize) {
          this.paused = false;
          this.stream?.resume();
        }
      }
    } finally {
      this.waiters.rejectAll();
      this.deps.onStopped(this);
    }
  }

  private toEvents(items: Item[]): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    for (const { record } of items) {
      if (record === null || isSystemRecord(record)) continue;
      const event = fromKurrentRecord(record);
      if (event === null) {
        this.deps.logger.warn('skipping a KurrentDB event not written through the event store port', {
          streamId: record.streamId,
          eventId: record.id,
        });
        continue;
      }
      events.push(upcast(event, this.deps.upcasters));
    }
    return events;
  }

  private async saveCheckpoint(position: GlobalPosition): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await writeCheckpoint(this.deps.client, this.checkpointStream, position);
        return true;
      } catch (error) {
        this.deps.logger.warn('saving the subscription checkpoint failed; retrying', { checkpointName: this.checkpointName, attempt, error });
        if (this.stopping) return false;
        await delay(retryDelayMs(attempt), this.stopController.signal);
        if (this.stopping) return false;
      }
    }
  }
}

async function readCheckpoint(client: KurrentDBClient, stream: string): Promise<GlobalPosition | null> {
  try {
    for await (const resolved of client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      const data = resolved.event?.data as { position?: unknown } | undefined;
      if (typeof data?.position === 'string') return data.position;
    }
    return null;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return null;
    throw error;
  }
}

async function writeCheckpoint(client: KurrentDBClient, stream: string, position: GlobalPosition): Promise<void> {
  await client.appendToStream(stream, jsonEvent({ type: CHECKPOINT_EVENT_TYPE, data: { position } }));
}

/** Position of the newest record in $all (matching `filter` when given), or null when there is none. */
async function readHead(client: KurrentDBClient, filter: Filter | undefined): Promise<GlobalPosition | null> {
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, ...(filter ? { filter } : {}) })) {
    const position = resolved.event?.position;
    if (position) return toGlobalPosition(position);
  }
  return null;
}
