// Records a routed call (CallReceived, RouteDecided, …) on its call stream OFF the routing decision's
// path: `route` answers at once and the append runs behind it, a bounded number at a time, each write
// creating up to ROUTER_RECORD_BATCH calls' streams in one statement (one commit, one WAL flush for all). Durable in the
// sense that matters: an append is retried until it is stored (event ids make a retried append idempotent),
// shutdown waits for the queue, a progress event for a call still being recorded waits for its record, and
// when too many records are waiting, `route` waits for its own (back-pressure instead of unbounded memory).
// What is NOT covered: the process dying (kill -9) between the answer and the append loses that record;
// the caller's later progress for it then gets CALL_ROUTER.UNKNOWN_CALL.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '@cc/contracts';
import { DuplicateEventId, ExpectedRevisionConflict, InvalidAppendRequest, NewStreamsRejected, type EventStore } from '@cc/event-store';
import { EVENT_STORE, Metrics, SERVICE_CONFIG } from '@cc/platform';
import type { CallRouterConfig } from '../config';

export type CallRecord = {
  readonly tenantId: string;
  readonly callId: string;
  readonly streamId: string;
  readonly events: EventEnvelope[];
  /** The SIP edge reports progress by Call-ID alone: index the call's tenant. */
  readonly sipCallId: boolean;
};

type Job = CallRecord & { readonly enqueuedAt: number; attempt: number; readonly done: () => void };

const RETRY_DELAYS_MS = [50, 200, 1_000, 2_000, 5_000] as const;
/** How long shutdown waits for the queue before giving up on what is left (logged as lost). */
const DRAIN_TIMEOUT_MS = 10_000;

@Injectable()
export class CallRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('CallRecorder');
  private readonly queue: Job[] = [];
  private readonly waiting = new Map<string, Promise<void>>();
  /** Records being written, and the writes (statements) carrying them. */
  private active = 0;
  private writes = 0;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly maxBacklog: number;
  private readonly seconds: Histogram;
  private readonly outcomes: Counter<'outcome'>;
  private idleWaiters: Array<() => void> = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: CallRouterConfig,
    metrics: Metrics,
  ) {
    this.concurrency = config.ROUTER_RECORD_CONCURRENCY;
    this.batchSize = config.ROUTER_RECORD_BATCH;
    this.maxBacklog = config.ROUTER_RECORD_MAX_BACKLOG;
    const registers = [metrics.registry];
    this.seconds = new Histogram({
      name: 'cc_call_router_call_record_seconds',
      help: 'From the routing decision to its call record being stored (asynchronous, off the decision path)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.outcomes = new Counter({
      name: 'cc_call_router_call_records_total',
      help: 'Call records by outcome: stored, duplicate (the call id was recorded before), retried, failed (refused by the store), lost (shutdown gave up)',
      labelNames: ['outcome'],
      registers,
    });
    const backlog = () => this.queue.length + this.active;
    new Gauge({
      name: 'cc_call_router_call_records_pending',
      help: 'Call records waiting or being written',
      registers,
      collect: function () {
        this.set(backlog());
      },
    });
  }

  /**
   * Queues the record. Returns null normally; when the backlog is over its limit, a promise the caller
   * should await before answering (the record is stored, or failed for good and was logged).
   */
  record(record: CallRecord): Promise<void> | null {
    let done!: () => void;
    const stored = new Promise<void>((resolve) => (done = resolve));
    const previous = this.waiting.get(record.streamId);
    // Later records of the same call (rare: a second decision before the first was stored) go after it.
    const chained = previous ? previous.then(() => stored) : stored;
    this.waiting.set(record.streamId, chained);
    const job: Job = { ...record, enqueuedAt: performance.now(), attempt: 0, done };
    if (previous) void previous.then(() => this.enqueue(job));
    else this.enqueue(job);
    void chained.then(() => {
      if (this.waiting.get(record.streamId) === chained) this.waiting.delete(record.streamId);
    });
    return this.queue.length + this.active > this.maxBacklog ? chained : null;
  }

  /** Resolves once every record queued so far for this call stream is stored (at once when none is). */
  whenRecorded(streamId: string): Promise<void> {
    return this.waiting.get(streamId) ?? Promise.resolve();
  }

  backlog(): number {
    return this.queue.length + this.active;
  }

  /** Resolves when nothing is queued or being written. */
  idle(): Promise<void> {
    if (this.backlog() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.backlog() === 0) return;
    this.logger.log(`waiting for ${this.backlog()} call records before shutdown`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), DRAIN_TIMEOUT_MS)));
    const drained = await Promise.race([this.idle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (drained) {
      this.outcomes.inc({ outcome: 'lost' }, this.backlog());
      this.logger.error(`${this.backlog()} call records were not stored before shutdown (PostgreSQL unavailable?)`);
    }
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.writes < this.concurrency && this.queue.length > 0) {
      const jobs = this.queue.splice(0, this.batchSize);
      this.active += jobs.length;
      this.writes++;
      void this.writeBatch(jobs).finally(() => {
        this.active -= jobs.length;
        this.writes--;
        this.pump();
        if (this.backlog() === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  /**
   * Several calls' records in one statement. A batch the store refuses (a call id recorded before, an
   * event id stored) is written call by call, which sorts out each one; an outage retries the batch.
   */
  private async writeBatch(jobs: Job[]): Promise<void> {
    if (jobs.length === 1) return this.write(jobs[0]!);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.appendNewStreams(jobs.map((job) => ({ streamId: job.streamId, events: job.events })));
        this.outcomes.inc({ outcome: 'stored' }, jobs.length);
        break;
      } catch (error) {
        if (error instanceof NewStreamsRejected || error instanceof InvalidAppendRequest) {
          await Promise.all(jobs.map((job) => this.write(job)));
          return;
        }
        const delayMs = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        this.outcomes.inc({ outcome: 'retried' }, jobs.length);
        this.logger.error(`recording ${jobs.length} calls failed (attempt ${attempt + 1}), retrying in ${delayMs} ms: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    await this.indexSipCalls(jobs.filter((job) => job.sipCallId));
    for (const job of jobs) this.finish(job);
  }

  private async write(job: Job): Promise<void> {
    for (;;) {
      try {
        await this.store.append(job.streamId, job.events, 'no_stream');
        this.outcomes.inc({ outcome: 'stored' });
        break;
      } catch (error) {
        if (error instanceof ExpectedRevisionConflict) {
          // The call id was routed before (another instance, or a retry after this one forgot it): the first
          // record stands. The caller already got a plan for this attempt; its progress follows the first one.
          this.outcomes.inc({ outcome: 'duplicate' });
          this.logger.warn(`call ${job.callId} of ${job.tenantId} was already recorded; this routing attempt is not recorded`);
          break;
        }
        if (error instanceof InvalidAppendRequest || error instanceof DuplicateEventId) {
          // Our bug, not a passing failure: retrying cannot help. Loud, counted, and the queue moves on.
          this.outcomes.inc({ outcome: 'failed' });
          this.logger.error(`call ${job.callId} of ${job.tenantId} cannot be recorded: ${error.message}`);
          break;
        }
        const delayMs = RETRY_DELAYS_MS[Math.min(job.attempt, RETRY_DELAYS_MS.length - 1)]!;
        job.attempt++;
        this.outcomes.inc({ outcome: 'retried' });
        this.logger.error(`recording call ${job.callId} failed (attempt ${job.attempt}), retrying in ${delayMs} ms: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    await this.indexSipCalls(job.sipCallId ? [job] : []);
    this.finish(job);
  }

  private finish(job: Job): void {
    this.seconds.observe((performance.now() - job.enqueuedAt) / 1000);
    job.done();
  }

  private async indexSipCalls(jobs: Job[]): Promise<void> {
    if (jobs.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.dataSource.query(
          `insert into sip_calls (call_id, tenant_id, created_at)
           select call_id, tenant_id, now() from unnest($1::text[], $2::text[]) as c(call_id, tenant_id)
           on conflict (call_id) do nothing`,
          [jobs.map((job) => job.callId), jobs.map((job) => job.tenantId)],
        );
        return;
      } catch (error) {
        const delayMs = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        this.logger.error(`indexing ${jobs.length} SIP calls failed, retrying in ${delayMs} ms: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}
