// Which timer (BullMQ job) a booked callback needs right now, from what its booking and its callback
// stream say. The scheduler projection adds exactly this job and removes the one it replaces; the
// reconciler rebuilds exactly these after Redis lost them. Pure: both compute the same answer.
import type { CallbackStatus } from '@cc/contracts';
import { timerNeeded, type CallbackState } from './callback.decider';

/** A booked callback as the scheduler knows it (its read-model row). */
export type ScheduledCallback = {
  tenantId: string;
  bookingId: string;
  callSlotId: string;
  startIso: string;
  /** When it fires (the occurrence start, or its spread point). */
  dueAt: string;
  bookingStatus: 'booked' | 'cancelled';
  cancelledAt: string | null;
  callback: CallbackState;
  /** Revision of the callback stream the state is at (-1: the stream does not exist). */
  callbackRevision: number;
};

export type TimerKind = 'due' | 'attempt' | 'watchdog';

/** A timer job: its id is unique per instance of a timer, so a running job never blocks its successor. */
export type TimerJob = { jobId: string; kind: TimerKind; attempt: number; at: string };

export function desiredTimer(row: ScheduledCallback): TimerJob | null {
  if (row.callback.status === 'NotDue') {
    // jobId = bookingId: a replayed or duplicated CallbackBooked adds nothing.
    return row.bookingStatus === 'booked' ? { jobId: row.bookingId, kind: 'due', attempt: 0, at: row.dueAt } : null;
  }
  const need = timerNeeded(row.callback);
  if (need === null) return null;
  if (need.kind === 'watchdog') return { jobId: `${row.bookingId}-watchdog-${need.attempt}`, kind: 'watchdog', attempt: need.attempt, at: need.at };
  if (row.bookingStatus === 'cancelled') {
    // Cancelled while waiting for the next attempt: close it now instead of at the retry time.
    const at = row.cancelledAt !== null && Date.parse(row.cancelledAt) < Date.parse(need.at) ? row.cancelledAt : need.at;
    return { jobId: `${row.bookingId}-attempt-${need.attempt}-cancelled`, kind: 'attempt', attempt: need.attempt, at };
  }
  return { jobId: `${row.bookingId}-attempt-${need.attempt}-r${row.callbackRevision}`, kind: 'attempt', attempt: need.attempt, at: need.at };
}

/** The status a client sees. */
export function callbackStatusOf(row: Pick<ScheduledCallback, 'bookingStatus' | 'callback'>): CallbackStatus {
  switch (row.callback.status) {
    case 'NotDue':
      return row.bookingStatus === 'booked' ? 'scheduled' : 'cancelled';
    case 'AwaitingAttempt':
      return 'awaiting-attempt';
    case 'Dialling':
      return 'dialling';
    case 'Ending':
      return 'dialling';
    case 'Completed':
      return 'completed';
    case 'Failed':
      return 'failed';
    default: {
      const _exhaustive: never = row.callback;
      return _exhaustive;
    }
  }
}
