// The BullMQ queue of callback timers: one delayed job per timer a callback needs (see desiredTimer),
// enqueued the lead time early so the worker holds it when it is due. Redis is a cache of intent:
// losing a job loses nothing (the reconciler re-adds it), adding one twice adds nothing (jobId).
import { Queue, type JobsOptions } from 'bullmq';
import type IORedis from 'ioredis';
import type { Clock } from '@cc/platform';
import type { TimerJob, TimerKind } from '../domain/callback-timer';
import { enqueueDelayMs } from '../domain/firing-time';

export const CALLBACK_QUEUE_NAME = 'callbacks';

/** What a timer job carries: enough to find the booking and the callback without a lookup. */
export type CallbackTimerData = {
  tenantId: string;
  bookingId: string;
  callSlotId: string;
  startIso: string;
  kind: TimerKind;
  attempt: number;
  /** When it is due (ISO); the worker fires at this instant, never before. */
  at: string;
};

export type TimerToAdd = { timer: TimerJob; tenantId: string; bookingId: string; callSlotId: string; startIso: string };

/** Job states a timer still waits or runs in (a completed or failed job is removed at once). */
const PENDING_STATES = ['delayed', 'waiting', 'prioritized', 'paused', 'active'] as const;

export class CallbackTimerQueue {
  readonly queue: Queue<CallbackTimerData>;

  constructor(
    connection: IORedis,
    readonly prefix: string,
    private readonly clock: Clock,
    private readonly leadMs: number,
  ) {
    this.queue = new Queue<CallbackTimerData>(CALLBACK_QUEUE_NAME, { connection, prefix });
  }

  /** Adds the timers; an id already in the queue is left as it is. */
  async add(timers: readonly TimerToAdd[]): Promise<void> {
    if (timers.length === 0) return;
    const now = this.clock.now().getTime();
    await this.queue.addBulk(
      timers.map(({ timer, tenantId, bookingId, callSlotId, startIso }) => ({
        name: timer.kind,
        data: { tenantId, bookingId, callSlotId, startIso, kind: timer.kind, attempt: timer.attempt, at: timer.at },
        opts: jobOptions(timer.jobId, enqueueDelayMs(Date.parse(timer.at), now, this.leadMs)),
      })),
    );
  }

  /** Removes waiting or delayed timers; one being processed right now stays (its worker finishes it; the decider ignores a stale one). */
  async remove(jobIds: readonly string[]): Promise<void> {
    await Promise.all(jobIds.map((id) => this.queue.remove(id)));
  }

  /** Ids of every timer that waits or runs. */
  async pendingJobIds(): Promise<Set<string>> {
    return new Set(await this.queue.getRanges([...PENDING_STATES], 0, -1));
  }

  /** Ids of the timers that wait (not yet handed to a worker). */
  async waitingJobIds(): Promise<Set<string>> {
    return new Set(await this.queue.getRanges(['delayed', 'waiting', 'prioritized', 'paused'], 0, -1));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

function jobOptions(jobId: string, delay: number): JobsOptions {
  return {
    jobId,
    delay,
    // Gone once done: Redis holds only timers still to fire, and a later timer may reuse nothing.
    removeOnComplete: true,
    // A job that keeps failing (PostgreSQL down) is dropped after its retries; the reconciler adds it again.
    removeOnFail: true,
    attempts: 8,
    backoff: { type: 'exponential', delay: 500 },
  };
}
