// The PostgreSQL adapter's durable, gap-free subscription to all streams: polls in (tx_id, position) order
// below the oldest running transaction, hands batches to the handler and checkpoints after each one.
import type { Pool } from 'pg';
import { deliverBatch, delay, retryDelayMs } from '../batch-delivery';
import { CaughtUpWaiters } from '../caught-up-waiters';
import { SubscriptionStopped } from '../errors';
import { validateSubscribeOptions } from '../subscribe-options.validator';
import type { EventStoreLogger } from '../event-store-logger';
import type { AllSubscription, GlobalPosition, RecordedEvent, SubscribeAllOptions } from '../event-store.port';
import { compareGlobalPositions, decodeGlobalPosition, encodeGlobalPosition, START_POSITION } from '../global-position.codec';
import { upcast, type Upcasters } from '../upcasters';
import { WakeSignal } from '../wake-signal';
import type { PostgresChangeNotifier } from './postgres-change-notifier';
import type { EventRow, PostgresEventStoreSql } from './postgres-event-store.sql';
import { toRecordedEvent } from './postgres-recorded-event';

export const DEFAULT_BATCH_SIZE = 500;

export type PostgresSubscriptionDeps = {
  pool: Pool;
  sql: PostgresEventStoreSql;
  notifier: PostgresChangeNotifier;
  logger: EventStoreLogger;
  upcasters: Upcasters | undefined;
  pollIntervalMs: number;
  onStopped: (subscription: PostgresAllSubscription) => void;
};

type FetchRow = EventRow & { kind: number; scanned: string | null };
type Batch = { events: RecordedEvent[]; scanned: number; last: GlobalPosition | null };
type PollObserver = { afterPoll: number; resolve: () => void };

export class PostgresAllSubscription implements AllSubscription {
  readonly checkpointName: string;
  private acknowledged: GlobalPosition | null;
  private readonly batchSize: number;
  private readonly prefixes: string[] | null;
  private readonly stopController = new AbortController();
  private readonly wake = new WakeSignal();
  private readonly waiters: CaughtUpWaiters<GlobalPosition>;
  private pollsStarted = 0;
  private pollObservers: PollObserver[] = [];
  private removeListener: () => void = () => undefined;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: PostgresSubscriptionDeps,
    private readonly options: SubscribeAllOptions,
    acknowledged: GlobalPosition | null,
  ) {
    this.checkpointName = options.checkpointName;
    this.acknowledged = acknowledged;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.prefixes = options.streamPrefixes ?? null;
    this.waiters = new CaughtUpWaiters(options.checkpointName, compareGlobalPositions);
  }

  static async start(
    deps: PostgresSubscriptionDeps,
    options: SubscribeAllOptions,
  ): Promise<PostgresAllSubscription> {
    validateSubscribeOptions(options);
    const saved = await deps.pool.query<{ position: string }>({ ...deps.sql.loadCheckpoint, values: [options.checkpointName] });
    let acknowledged: GlobalPosition | null = saved.rows[0]?.position ?? null;
    if (acknowledged === null && options.startFrom === 'end') {
      // Persist the starting point at once: a restart before the first event must not skip what came between.
      acknowledged = await readHead(deps);
      if (acknowledged !== null) await deps.pool.query({ ...deps.sql.saveCheckpoint, values: [options.checkpointName, acknowledged] });
    }
    if (acknowledged !== null) decodeGlobalPosition(acknowledged);
    const subscription = new PostgresAllSubscription(deps, options, acknowledged);
    subscription.removeListener = await deps.notifier.addListener(() => subscription.wake.wake());
    subscription.loop = subscription.run();
    return subscription;
  }

  lastPosition(): GlobalPosition | null {
    return this.acknowledged;
  }

  async caughtUp(): Promise<void> {
    if (this.stopping) throw new SubscriptionStopped(this.checkpointName);
    const head = await readHead(this.deps);
    // No await between this check and registering the waiter, so no batch can settle in between unseen.
    if (head === null || (this.acknowledged !== null && compareGlobalPositions(this.acknowledged, head) >= 0)) return;
    if (this.stopping) throw new SubscriptionStopped(this.checkpointName);
    const reached = this.waiters.waitFor(head);
    this.wake.wake();
    return reached;
  }

  /**
   * Diagnostics for tests: resolves once a read of the store that started after this call has been handled
   * (its events delivered and checkpointed). Lets a test prove what a poll did NOT deliver, without sleeping.
   */
  polled(): Promise<void> {
    const reached = new Promise<void>((resolve) => this.pollObservers.push({ afterPoll: this.pollsStarted + 1, resolve }));
    this.wake.wake();
    return reached;
  }

  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopController.abort();
      this.removeListener();
      this.wake.wake();
    }
    await this.loop;
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const signal = this.stopController.signal;
    let failures = 0;
    try {
      while (!this.stopping) {
        this.wake.clear();
        const poll = ++this.pollsStarted;
        let batch: Batch;
        try {
          batch = await this.fetch();
          failures = 0;
        } catch (error) {
          failures++;
          this.deps.logger.warn('subscription read failed; retrying', { checkpointName: this.checkpointName, failures, error });
          await delay(retryDelayMs(failures), signal);
          continue;
        }
        if (batch.last !== null) {
          if (batch.events.length > 0 && !(await deliverBatch(batch.events, this.options, signal, this.deps.logger))) break;
          if (!(await this.saveCheckpoint(batch.last))) break;
          this.acknowledged = batch.last;
          this.waiters.settle(batch.last);
        }
        this.observePoll(poll);
        if (batch.scanned < this.batchSize) await this.wake.wait(this.deps.pollIntervalMs);
      }
    } finally {
      this.waiters.rejectAll();
      for (const observer of this.pollObservers) observer.resolve();
      this.pollObservers = [];
      this.deps.onStopped(this);
    }
  }

  private async fetch(): Promise<Batch> {
    const from = decodeGlobalPosition(this.acknowledged ?? START_POSITION);
    const result = await this.deps.pool.query<FetchRow>({
      ...this.deps.sql.fetch,
      values: [from.major.toString(), from.minor.toString(), this.batchSize, this.prefixes],
    });
    const events: RecordedEvent[] = [];
    let scanned = 0;
    let last: GlobalPosition | null = null;
    for (const row of result.rows) {
      if (row.kind === 1) {
        scanned = Number(row.scanned);
        last = encodeGlobalPosition(row.tx_id, row.position);
      } else {
        events.push(upcast(toRecordedEvent(row), this.deps.upcasters));
      }
    }
    return { events, scanned, last };
  }

  /** True once saved; false when the subscription stopped first (the batch is then delivered again on restart). */
  private async saveCheckpoint(position: GlobalPosition): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.pool.query({ ...this.deps.sql.saveCheckpoint, values: [this.checkpointName, position] });
        return true;
      } catch (error) {
        this.deps.logger.warn('saving the subscription checkpoint failed; retrying', { checkpointName: this.checkpointName, attempt, error });
        if (this.stopping) return false;
        await delay(retryDelayMs(attempt), this.stopController.signal);
        if (this.stopping) return false;
      }
    }
  }

  private observePoll(poll: number): void {
    this.pollObservers = this.pollObservers.filter((observer) => {
      if (poll < observer.afterPoll) return true;
      observer.resolve();
      return false;
    });
  }
}

async function readHead(deps: Pick<PostgresSubscriptionDeps, 'pool' | 'sql'>): Promise<GlobalPosition | null> {
  const result = await deps.pool.query<{ tx_id: string; position: string }>(deps.sql.head);
  const row = result.rows[0];
  return row ? encodeGlobalPosition(row.tx_id, row.position) : null;
}
