// The BullMQ worker that runs callback timers. A job arrives the lead time before it is due, waits on
// an in-process timer for the exact instant (never before), then lets the dispatcher take the step.
// It holds many jobs at once (concurrency): most of them only wait. A job handed over much too early
// (promoted by hand, clock moved) goes back to the delayed set instead of holding a slot.
import { setMaxListeners } from 'node:events';
import { Logger } from '@nestjs/common';
import { DelayedError, Worker, type Job } from 'bullmq';
import type IORedis from 'ioredis';
import type { Clock, Metrics } from '@cc/platform';
import type { Histogram } from 'prom-client';
import type { CallbackDispatcher } from '../application/callback-dispatcher';
import { CALLBACK_QUEUE_NAME, type CallbackTimerData } from '../scheduling/callback-timer.queue';
import { waitUntil } from './precise-timer';

/** A job that arrives more than this beyond its lead time goes back to wait in Redis. */
const EARLY_SLACK_MS = 1_000;

export type CallbackFiringWorkerOptions = {
  connection: IORedis;
  prefix: string;
  clock: Clock;
  leadMs: number;
  concurrency: number;
  dispatcher: CallbackDispatcher;
  metrics: Metrics;
};

export class CallbackFiringWorker {
  private readonly logger = new Logger('CallbackFiringWorker');
  private readonly stopping = new AbortController();
  private worker: Worker<CallbackTimerData> | null = null;
  private readonly handover: Histogram<'kind'>;

  constructor(private readonly options: CallbackFiringWorkerOptions) {
    // How long before its instant a timer reached this worker (negative: late). Tune CALLBACK_LEAD_MS on it.
    this.handover = options.metrics.histogram('callback_timer_handover_seconds', 'Time left until a timer was due when the worker received it (negative: late)', ['kind'], [
      -5, -2, -1, -0.5, -0.1, 0, 0.5, 1, 1.5, 2, 3, 5, 10,
    ]);
    // Every job waiting for its instant listens on this signal: as many as the worker holds at once.
    setMaxListeners(options.concurrency + 10, this.stopping.signal);
  }

  async start(): Promise<void> {
    const { connection, prefix, concurrency } = this.options;
    this.worker = new Worker<CallbackTimerData>(CALLBACK_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      prefix,
      concurrency,
      // A held job is locked for its lead time plus the step; a worker that dies frees it after this.
      lockDuration: Math.max(30_000, this.options.leadMs * 4),
      // Stalled jobs go back to the queue; the store's revision check makes a re-run harmless.
      maxStalledCount: 5,
    });
    this.worker.on('error', (error) => this.logger.error(`BullMQ worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`timer ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
    await this.worker.waitUntilReady();
  }

  /** Stops taking jobs and waits for the ones in hand (those still waiting for their instant are given back). */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('callback worker stopping'));
    await this.worker?.close();
    this.worker = null;
  }

  private async process(job: Job<CallbackTimerData>, token?: string): Promise<void> {
    const timer = job.data;
    const { clock, leadMs, dispatcher } = this.options;
    const dueMs = Date.parse(timer.at);
    const untilDue = dueMs - clock.now().getTime();
    this.handover.labels(timer.kind).observe(untilDue / 1000);
    if (untilDue > leadMs + EARLY_SLACK_MS && token) {
      await job.moveToDelayed(Date.now() + untilDue - leadMs, token);
      throw new DelayedError();
    }
    // Warm the caches while waiting, but never let a slow database hold the timer up.
    if (timer.kind === 'due') void dispatcher.prepareFire(timer).catch((error: unknown) => this.logger.warn(`preparing ${job.id}: ${String(error)}`));
    try {
      await waitUntil(dueMs, clock, this.stopping.signal);
    } catch (error) {
      // Shutting down before the instant: hand the job back to wait, another worker fires it.
      if (this.stopping.signal.aborted && token) {
        await job.moveToDelayed(Date.now() + Math.max(0, dueMs - clock.now().getTime() - leadMs), token);
        throw new DelayedError();
      }
      throw error;
    }
    switch (timer.kind) {
      case 'due':
        await dispatcher.fire(timer);
        return;
      case 'attempt':
        await dispatcher.runAttemptTimer(timer);
        return;
      case 'watchdog':
        await dispatcher.runWatchdog(timer);
        return;
      default: {
        const _exhaustive: never = timer.kind;
        throw new Error(`unknown timer kind ${String(_exhaustive)}`);
      }
    }
  }
}
