// One booked callback once its time comes (`callback-{tenant}-{bookingId}`): due, attempts one at a
// time, outcomes, retries within the occurrence, and the final result. Pure decide/evolve.
//
// Exactly once: CallbackDue is only decided on an empty stream, and every later step only from the
// state it expects (attempt n awaiting, attempt n dialling). The adapter appends with the revision it
// decided on, so of two workers (or a stalled job and its re-run) exactly one append commits; the other
// re-decides on the new state and finds nothing to do. A callback is therefore never due twice and
// never has two attempts in progress.
import {
  CALLBACK_DISPATCH_ERRORS,
  DomainError,
  RETRYABLE_CALLBACK_OUTCOMES,
  type CallbackDialLeg,
  type CallbackEvent,
  type CallbackFailureReason,
  type CallbackOutcome,
  type DialOrder,
  type RetryPolicy,
} from '@cc/contracts';
import { dialLegs, type AgentSide } from './dial-legs';
import { attemptDeadline, dialPlanRetryAt, retryDecision } from './retry-schedule';

/** If the worker that fired a callback dies before starting attempt 1, another one starts it after this. */
export const ATTEMPT_START_RECOVERY_MS = 30_000;

// ---------------------------------------------------------------- state (plain JSON: the scheduler stores it)

export type AttemptRecord = {
  readonly attempt: number;
  readonly startedAt: string;
  readonly legs: readonly CallbackDialLeg[];
  readonly outcome: CallbackOutcome | null;
  readonly detail: string | null;
  readonly finishedAt: string | null;
};

/** What CallbackDue fixed for the whole dispatch. */
export type CallbackFacts = {
  readonly bookingId: string;
  readonly callSlotId: string;
  readonly startIso: string;
  readonly endIso: string;
  readonly dueAt: string;
  readonly firedAt: string;
  readonly deadline: string;
  readonly callbackNumber: string;
  readonly callerCli: string | null;
  readonly campaignId: string | null;
  readonly dialOrder: DialOrder;
  readonly retryPolicy: RetryPolicy;
  readonly attemptTimeoutSeconds: number;
  readonly attempts: readonly AttemptRecord[];
};

export type CallbackState =
  /** Nothing fired yet (the stream does not exist). */
  | { readonly status: 'NotDue' }
  /** Attempt `attempt` may start from `startFrom`; a timer fires at `timerAt` to start it if nobody has. */
  | (CallbackFacts & {
      readonly status: 'AwaitingAttempt';
      readonly attempt: number;
      readonly startFrom: string;
      readonly timerAt: string;
      readonly planFailures: number;
    })
  /** Attempt `attempt` is being dialled; without an outcome by `timeoutAt` it counts as failed. */
  | (CallbackFacts & { readonly status: 'Dialling'; readonly attempt: number; readonly timeoutAt: string })
  /** The last attempt finished; the final event is in the same append. */
  | (CallbackFacts & { readonly status: 'Ending' })
  | (CallbackFacts & { readonly status: 'Completed'; readonly at: string })
  | (CallbackFacts & { readonly status: 'Failed'; readonly reason: CallbackFailureReason; readonly at: string });

export type LiveCallback = Extract<CallbackState, { status: 'AwaitingAttempt' | 'Dialling' }>;

export const initialCallbackState = (): CallbackState => ({ status: 'NotDue' });

// ---------------------------------------------------------------- commands

/** The booking as its occurrence stream holds it right now; null when it is not booked any more. */
export type DueBooking = {
  bookingId: string;
  callSlotId: string;
  startIso: string;
  endIso: string;
  callbackNumber: string;
  callerCli: string | null;
  campaignId: string | null;
};

/** The timer of a booked callback went off. */
export type FireCallback = {
  type: 'FireCallback';
  now: string;
  dueAt: string;
  booking: DueBooking | null;
  dialOrder: DialOrder;
  retryPolicy: RetryPolicy;
  graceSeconds: number;
  attemptTimeoutSeconds: number;
};

/** The router answered with who takes attempt `attempt`. */
export type StartAttempt = { type: 'StartAttempt'; now: string; attempt: number; agent: AgentSide; customerRingSeconds: number };

/** The router gave no plan for attempt `attempt` (no reply, an error, nobody available). */
export type RecordDialPlanUnavailable = { type: 'RecordDialPlanUnavailable'; now: string; attempt: number; reason: string };

/** The dialer reported how attempt `attempt` ended. `bookingLive`: the booking is still booked. */
export type ReportOutcome = {
  type: 'ReportOutcome';
  now: string;
  attempt: number;
  outcome: CallbackOutcome;
  detail: string | null;
  bookingLive: boolean;
};

/** The watchdog of attempt `attempt` went off. */
export type TimeOutAttempt = { type: 'TimeOutAttempt'; now: string; attempt: number; bookingLive: boolean };

/** The booking was cancelled after the callback became due: no further attempt. */
export type CloseCancelledCallback = { type: 'CloseCancelledCallback'; now: string };

export type CallbackCommand = FireCallback | StartAttempt | RecordDialPlanUnavailable | ReportOutcome | TimeOutAttempt | CloseCancelledCallback;

// ---------------------------------------------------------------- decide

export function decideCallback(command: CallbackCommand, state: CallbackState): CallbackEvent[] {
  switch (command.type) {
    case 'FireCallback':
      return fire(command, state);
    case 'StartAttempt':
      return startAttempt(command, state);
    case 'RecordDialPlanUnavailable':
      return dialPlanUnavailable(command, state);
    case 'ReportOutcome':
      return reportOutcome(command, state);
    case 'TimeOutAttempt':
      return state.status === 'Dialling' && state.attempt === command.attempt && Date.parse(command.now) >= Date.parse(state.timeoutAt)
        ? finishAttempt(state, command.now, 'failed', `no outcome reported within ${state.attemptTimeoutSeconds} s`, 'timeout', command.bookingLive)
        : [];
    case 'CloseCancelledCallback':
      // A running attempt is not cut short: its outcome (or timeout) ends the callback without a retry.
      return state.status === 'AwaitingAttempt' ? [failed(state, 'booking-cancelled', command.now)] : [];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function fire(command: FireCallback, state: CallbackState): CallbackEvent[] {
  // The gate: only an empty stream fires. A duplicate timer, a stalled job's re-run or a second
  // worker finds the stream written and does nothing.
  if (state.status !== 'NotDue') return [];
  // Cancelled (or moved) before its time: it never fires.
  if (command.booking === null) return [];
  if (Date.parse(command.now) < Date.parse(command.dueAt)) {
    throw new RangeError(`callback ${command.booking.bookingId} fired at ${command.now}, before it was due at ${command.dueAt}`);
  }
  const { booking } = command;
  const deadline = attemptDeadline(booking.endIso, command.graceSeconds);
  const due: CallbackEvent = {
    type: 'CallbackDue',
    data: {
      bookingId: booking.bookingId,
      callSlotId: booking.callSlotId,
      startIso: booking.startIso,
      endIso: booking.endIso,
      dueAt: command.dueAt,
      firedAt: command.now,
      deadline,
      callbackNumber: booking.callbackNumber,
      callerCli: booking.callerCli,
      campaignId: booking.campaignId,
      dialOrder: command.dialOrder,
      retryPolicy: command.retryPolicy,
      attemptTimeoutSeconds: command.attemptTimeoutSeconds,
    },
  };
  // Fired after the occurrence (and grace) ended (the workers were down): never call outside it.
  if (Date.parse(command.now) > Date.parse(deadline)) {
    const facts = factsOf(due.data);
    return [due, failed(facts, 'slot-ended', command.now)];
  }
  return [due];
}

function startAttempt(command: StartAttempt, state: CallbackState): CallbackEvent[] {
  if (state.status !== 'AwaitingAttempt' || state.attempt !== command.attempt) return [];
  if (Date.parse(command.now) < Date.parse(state.startFrom)) {
    throw new RangeError(`attempt ${command.attempt} of callback ${state.bookingId} started at ${command.now}, before ${state.startFrom}`);
  }
  if (Date.parse(command.now) > Date.parse(state.deadline)) return [failed(state, 'slot-ended', command.now)];
  return [
    {
      type: 'CallbackAttemptStarted',
      data: {
        bookingId: state.bookingId,
        attempt: command.attempt,
        startedAt: command.now,
        timeoutAt: new Date(Date.parse(command.now) + state.attemptTimeoutSeconds * 1000).toISOString(),
        dialOrder: state.dialOrder,
        legs: dialLegs(state.dialOrder, command.agent, { number: state.callbackNumber, ringSeconds: command.customerRingSeconds }),
      },
    },
  ];
}

function dialPlanUnavailable(command: RecordDialPlanUnavailable, state: CallbackState): CallbackEvent[] {
  if (state.status !== 'AwaitingAttempt' || state.attempt !== command.attempt) return [];
  const failures = state.planFailures + 1;
  const retryAt = dialPlanRetryAt(failures, command.now, state.deadline);
  const unavailable: CallbackEvent = {
    type: 'CallbackDialPlanUnavailable',
    data: { bookingId: state.bookingId, attempt: command.attempt, reason: command.reason, failures, retryAt },
  };
  return retryAt === null ? [unavailable, failed(state, 'slot-ended', command.now)] : [unavailable];
}

function reportOutcome(command: ReportOutcome, state: CallbackState): CallbackEvent[] {
  if (state.status === 'NotDue') {
    const { code, kind } = CALLBACK_DISPATCH_ERRORS.CALLBACK_NOT_FOUND;
    throw new DomainError(code, kind, 'this callback has not become due: no attempt to report on', [{ path: 'bookingId', message: 'no callback due' }]);
  }
  if (state.status === 'Dialling' && state.attempt === command.attempt) {
    return finishAttempt(state, command.now, command.outcome, command.detail, 'dialer', command.bookingLive);
  }
  // The same report again (the dialer retried): nothing new.
  const earlier = state.attempts.find((a) => a.attempt === command.attempt);
  if (earlier?.finishedAt && earlier.outcome === command.outcome) return [];
  const { code, kind } = CALLBACK_DISPATCH_ERRORS.ATTEMPT_NOT_IN_PROGRESS;
  const inProgress = state.status === 'Dialling' ? state.attempt : null;
  throw new DomainError(
    code,
    kind,
    earlier?.finishedAt
      ? `attempt ${command.attempt} already ended as ${earlier.outcome}`
      : `attempt ${command.attempt} is not in progress (${inProgress === null ? 'none is' : `attempt ${inProgress} is`})`,
    [{ path: 'attempt', message: inProgress === null ? 'no attempt is in progress' : `attempt ${inProgress} is in progress` }],
    { status: state.status, attempt: inProgress },
  );
}

function finishAttempt(
  state: Extract<CallbackState, { status: 'Dialling' }>,
  now: string,
  outcome: CallbackOutcome,
  detail: string | null,
  reportedBy: 'dialer' | 'timeout',
  bookingLive: boolean,
): CallbackEvent[] {
  const finished = (nextAttemptAt: string | null): CallbackEvent => ({
    type: 'CallbackAttemptFinished',
    data: { bookingId: state.bookingId, attempt: state.attempt, outcome, detail, reportedBy, finishedAt: now, nextAttemptAt },
  });
  const ended = { ...state, attempts: state.attempts.map((a) => (a.attempt === state.attempt ? { ...a, outcome } : a)) };
  if (outcome === 'answered') {
    return [
      finished(null),
      {
        type: 'CallbackCompleted',
        data: { bookingId: state.bookingId, callSlotId: state.callSlotId, campaignId: state.campaignId, attempts: state.attempt, completedAt: now },
      },
    ];
  }
  if (outcome === 'invalid-number' || outcome === 'cancelled-by-caller') return [finished(null), failed(ended, outcome, now)];
  if (!bookingLive) return [finished(null), failed(ended, 'booking-cancelled', now)];
  if (!RETRYABLE_CALLBACK_OUTCOMES.includes(outcome)) throw new Error(`outcome ${outcome} is neither final nor retryable`);
  const next = retryDecision(state.retryPolicy, state.attempt, now, state.deadline);
  return next.kind === 'retry' ? [finished(next.at)] : [finished(null), failed(ended, next.reason, now)];
}

function failed(state: CallbackFacts, reason: CallbackFailureReason, now: string): CallbackEvent {
  const last = state.attempts[state.attempts.length - 1];
  return {
    type: 'CallbackFailed',
    data: {
      bookingId: state.bookingId,
      callSlotId: state.callSlotId,
      campaignId: state.campaignId,
      reason,
      attempts: state.attempts.length,
      lastOutcome: last?.outcome ?? null,
      failedAt: now,
    },
  };
}

// ---------------------------------------------------------------- evolve

export function evolveCallback(state: CallbackState, event: CallbackEvent): CallbackState {
  if (event.type === 'CallbackDue') {
    return {
      ...factsOf(event.data),
      status: 'AwaitingAttempt',
      attempt: 1,
      startFrom: event.data.firedAt,
      timerAt: new Date(Date.parse(event.data.firedAt) + ATTEMPT_START_RECOVERY_MS).toISOString(),
      planFailures: 0,
    };
  }
  if (state.status === 'NotDue') throw new Error(`${event.type} for callback ${event.data.bookingId} before CallbackDue`);
  const facts = factsOfState(state);
  switch (event.type) {
    case 'CallbackDialPlanUnavailable':
      if (state.status !== 'AwaitingAttempt' || event.data.retryAt === null) return state;
      return { ...state, planFailures: event.data.failures, startFrom: event.data.retryAt, timerAt: event.data.retryAt };
    case 'CallbackAttemptStarted': {
      const { attempt, startedAt, legs, timeoutAt } = event.data;
      return {
        ...facts,
        attempts: [...facts.attempts, { attempt, startedAt, legs, outcome: null, detail: null, finishedAt: null }],
        status: 'Dialling',
        attempt,
        timeoutAt,
      };
    }
    case 'CallbackAttemptFinished': {
      const { attempt, outcome, detail, finishedAt, nextAttemptAt } = event.data;
      const attempts = facts.attempts.map((a) => (a.attempt === attempt ? { ...a, outcome, detail, finishedAt } : a));
      if (nextAttemptAt === null) return { ...facts, attempts, status: 'Ending' };
      return { ...facts, attempts, status: 'AwaitingAttempt', attempt: attempt + 1, startFrom: nextAttemptAt, timerAt: nextAttemptAt, planFailures: 0 };
    }
    case 'CallbackCompleted':
      return { ...facts, status: 'Completed', at: event.data.completedAt };
    case 'CallbackFailed':
      return { ...facts, status: 'Failed', reason: event.data.reason, at: event.data.failedAt };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const callbackDecider = { initialState: initialCallbackState, evolve: evolveCallback, decide: decideCallback };

// ---------------------------------------------------------------- queries

/** The timer this state needs: start attempt n (at timerAt), or the watchdog of the running attempt. */
export type CallbackTimerNeed = { kind: 'attempt' | 'watchdog'; attempt: number; at: string } | null;

export function timerNeeded(state: CallbackState): CallbackTimerNeed {
  switch (state.status) {
    case 'AwaitingAttempt':
      return { kind: 'attempt', attempt: state.attempt, at: state.timerAt };
    case 'Dialling':
      return { kind: 'watchdog', attempt: state.attempt, at: state.timeoutAt };
    case 'NotDue':
    case 'Ending':
    case 'Completed':
    case 'Failed':
      return null;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

const factsOf = (due: Extract<CallbackEvent, { type: 'CallbackDue' }>['data']): CallbackFacts => ({
  bookingId: due.bookingId,
  callSlotId: due.callSlotId,
  startIso: due.startIso,
  endIso: due.endIso,
  dueAt: due.dueAt,
  firedAt: due.firedAt,
  deadline: due.deadline,
  callbackNumber: due.callbackNumber,
  callerCli: due.callerCli,
  campaignId: due.campaignId,
  dialOrder: due.dialOrder,
  retryPolicy: due.retryPolicy,
  attemptTimeoutSeconds: due.attemptTimeoutSeconds,
  attempts: [],
});

function factsOfState(state: Exclude<CallbackState, { status: 'NotDue' }>): CallbackFacts {
  const { bookingId, callSlotId, startIso, endIso, dueAt, firedAt, deadline, callbackNumber, callerCli, campaignId, dialOrder, retryPolicy } = state;
  return {
    bookingId,
    callSlotId,
    startIso,
    endIso,
    dueAt,
    firedAt,
    deadline,
    callbackNumber,
    callerCli,
    campaignId,
    dialOrder,
    retryPolicy,
    attemptTimeoutSeconds: state.attemptTimeoutSeconds,
    attempts: state.attempts,
  };
}
