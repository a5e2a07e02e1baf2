// What `GET /v1/callbacks/{bookingId}` answers: the callback stream's state (the truth once it fired)
// plus the scheduled due time and booking status the scheduler holds before that. Pure.
import type { CallbackView } from '@cc/contracts';
import type { CallbackState } from './callback.decider';
import { callbackStatusOf } from './callback-timer';

export function callbackViewOf(input: {
  bookingId: string;
  state: CallbackState;
  revision: number;
  scheduled: { dueAt: string; bookingStatus: 'booked' | 'cancelled' } | null;
}): CallbackView {
  const { state, scheduled } = input;
  if (state.status === 'NotDue') {
    const bookingStatus = scheduled?.bookingStatus ?? 'cancelled';
    return {
      bookingId: input.bookingId,
      status: callbackStatusOf({ bookingStatus, callback: state }),
      dueAt: scheduled?.dueAt ?? null,
      firedAt: null,
      nextAttemptAt: null,
      attempts: [],
      failureReason: null,
      revision: input.revision,
    };
  }
  return {
    bookingId: input.bookingId,
    status: callbackStatusOf({ bookingStatus: scheduled?.bookingStatus ?? 'booked', callback: state }),
    dueAt: state.dueAt,
    firedAt: state.firedAt,
    nextAttemptAt: state.status === 'AwaitingAttempt' ? state.startFrom : null,
    attempts: state.attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt,
      legs: [...a.legs],
      outcome: a.outcome,
      detail: a.detail,
      finishedAt: a.finishedAt,
    })),
    failureReason: state.status === 'Failed' ? state.reason : null,
    revision: input.revision,
  };
}
