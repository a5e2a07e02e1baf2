// Specification of a callback's dispatch: it fires once and never early, one attempt at a time, the
// retry rules (back-off, max attempts, never after the occurrence), final outcomes, and cancellation.
import { DomainError, type CallbackEvent } from '@cc/contracts';
import {
  ATTEMPT_START_RECOVERY_MS,
  callbackDecider,
  decideCallback,
  timerNeeded,
  type CallbackCommand,
  type CallbackState,
  type DueBooking,
  type FireCallback,
} from './callback.decider';

const bookingId = '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10';
const booking: DueBooking = {
  bookingId,
  callSlotId: 'support-uk',
  startIso: '2026-11-23T09:00:00.000Z',
  endIso: '2026-11-23T09:30:00.000Z',
  callbackNumber: '+441234567890',
  callerCli: null,
  campaignId: 'winter',
};
const agent = { targets: [{ kind: 'extension' as const, extension: '2001', agentId: null }], ringSeconds: 30 };

const fireAt = (now: string, overrides: Partial<FireCallback> = {}): FireCallback => ({
  type: 'FireCallback',
  now,
  dueAt: '2026-11-23T09:00:00.000Z',
  booking,
  dialOrder: 'agent-first',
  retryPolicy: { maxAttempts: 3, backoffSeconds: 300 },
  graceSeconds: 0,
  attemptTimeoutSeconds: 300,
  ...overrides,
});

/** Folds `given` commands into events and state, the way the executor appends them. */
function given(...commands: CallbackCommand[]): { state: CallbackState; events: CallbackEvent[] } {
  let state = callbackDecider.initialState();
  const events: CallbackEvent[] = [];
  for (const command of commands) {
    const decided = decideCallback(command, state);
    events.push(...decided);
    state = decided.reduce(callbackDecider.evolve, state);
  }
  return { state, events };
}

const fired = fireAt('2026-11-23T09:00:00.004Z');
const started = (attempt: number, now: string): CallbackCommand => ({ type: 'StartAttempt', now, attempt, agent, customerRingSeconds: 45 });
const outcome = (attempt: number, now: string, o: 'answered' | 'no-answer' | 'busy' | 'invalid-number' | 'answering-machine' | 'cancelled-by-caller' | 'failed', bookingLive = true): CallbackCommand => ({
  type: 'ReportOutcome',
  now,
  attempt,
  outcome: o,
  detail: null,
  bookingLive,
});
const types = (events: CallbackEvent[]) => events.map((e) => e.type);

describe('callback dispatch', () => {
  describe('given nothing fired yet', () => {
    it('fires once due: CallbackDue with the deadline at the occurrence end plus grace, attempt 1 may start at once', () => {
      const { state, events } = given(fireAt('2026-11-23T09:00:00.004Z', { graceSeconds: 120 }));
      expect(events).toEqual([
        {
          type: 'CallbackDue',
          data: expect.objectContaining({ bookingId, dueAt: '2026-11-23T09:00:00.000Z', firedAt: '2026-11-23T09:00:00.004Z', deadline: '2026-11-23T09:32:00.000Z', campaignId: 'winter' }),
        },
      ]);
      expect(state).toMatchObject({ status: 'AwaitingAttempt', attempt: 1, startFrom: '2026-11-23T09:00:00.004Z' });
      // If the worker dies before attempt 1 starts, a recovery timer starts it.
      expect(timerNeeded(state)).toEqual({ kind: 'attempt', attempt: 1, at: new Date(Date.parse('2026-11-23T09:00:00.004Z') + ATTEMPT_START_RECOVERY_MS).toISOString() });
    });

    it('never fires early: a timer before the due time is a bug, refused', () => {
      expect(() => given(fireAt('2026-11-23T08:59:59.999Z'))).toThrow(RangeError);
    });

    it('a booking cancelled before its time never fires', () => {
      expect(given(fireAt('2026-11-23T09:00:00.004Z', { booking: null })).events).toEqual([]);
    });

    it('fired after the occurrence (and grace) ended: due and failed with slot-ended, nothing dialled', () => {
      const { events, state } = given(fireAt('2026-11-23T09:30:00.001Z'));
      expect(types(events)).toEqual(['CallbackDue', 'CallbackFailed']);
      expect(events[1]!.data).toMatchObject({ reason: 'slot-ended', attempts: 0 });
      expect(timerNeeded(state)).toBeNull();
    });

    it('refuses an outcome: no callback is due', () => {
      expect(() => given(outcome(1, '2026-11-23T09:01:00.000Z', 'answered'))).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CALLBACK_NOT_FOUND' }));
    });
  });

  describe('given it fired', () => {
    it('fires only once: a second timer (duplicate job, stalled job, second worker) decides nothing', () => {
      const { state } = given(fired);
      expect(decideCallback(fireAt('2026-11-23T09:00:00.020Z'), state)).toEqual([]);
    });

    it('starts attempt 1 with the legs in the call slot\'s dial order (agent first)', () => {
      const { events, state } = given(fired, started(1, '2026-11-23T09:00:00.010Z'));
      expect(events[1]).toEqual({
        type: 'CallbackAttemptStarted',
        data: {
          bookingId,
          attempt: 1,
          startedAt: '2026-11-23T09:00:00.010Z',
          timeoutAt: '2026-11-23T09:05:00.010Z',
          dialOrder: 'agent-first',
          legs: [
            { kind: 'agent', targets: agent.targets, ringSeconds: 30 },
            { kind: 'customer', number: '+441234567890', ringSeconds: 45 },
          ],
        },
      });
      expect(timerNeeded(state)).toEqual({ kind: 'watchdog', attempt: 1, at: '2026-11-23T09:05:00.010Z' });
    });

    it('dials the customer first when the call slot says so', () => {
      const { events } = given(fireAt('2026-11-23T09:00:00.004Z', { dialOrder: 'customer-first' }), started(1, '2026-11-23T09:00:00.010Z'));
      expect((events[1]!.data as { legs: { kind: string }[] }).legs.map((l) => l.kind)).toEqual(['customer', 'agent']);
    });

    it('no dial plan: recorded, asked again after 1 s, 2 s, 4 s (not counted as attempts)', () => {
      const unavailable = (now: string): CallbackCommand => ({ type: 'RecordDialPlanUnavailable', now, attempt: 1, reason: 'no responders' });
      const { events, state } = given(fired, unavailable('2026-11-23T09:00:00.010Z'), unavailable('2026-11-23T09:00:01.010Z'), unavailable('2026-11-23T09:00:03.010Z'));
      expect(events.slice(1).map((e) => (e.data as { retryAt: string }).retryAt)).toEqual([
        '2026-11-23T09:00:01.010Z',
        '2026-11-23T09:00:03.010Z',
        '2026-11-23T09:00:07.010Z',
      ]);
      expect(state).toMatchObject({ status: 'AwaitingAttempt', attempt: 1, planFailures: 3, startFrom: '2026-11-23T09:00:07.010Z' });
      expect(state.status === 'AwaitingAttempt' && state.attempts).toEqual([]);
    });

    it('no dial plan until the occurrence ends: failed with slot-ended', () => {
      const { events } = given(fired, { type: 'RecordDialPlanUnavailable', now: '2026-11-23T09:29:59.500Z', attempt: 1, reason: 'no-agent: all busy' });
      expect(types(events)).toEqual(['CallbackDue', 'CallbackDialPlanUnavailable', 'CallbackFailed']);
      expect(events[1]!.data).toMatchObject({ retryAt: null });
      expect(events[2]!.data).toMatchObject({ reason: 'slot-ended', attempts: 0 });
    });

    it('closes at once when the booking was cancelled before attempt 1', () => {
      const { events } = given(fired, { type: 'CloseCancelledCallback', now: '2026-11-23T09:00:00.100Z' });
      expect(events[1]).toMatchObject({ type: 'CallbackFailed', data: { reason: 'booking-cancelled', attempts: 0 } });
    });
  });

  describe('given attempt 1 is being dialled', () => {
    const dialling = () => given(fired, started(1, '2026-11-23T09:00:00.010Z'));

    it('one attempt at a time: starting attempt 1 again or attempt 2 decides nothing', () => {
      const { state } = dialling();
      expect(decideCallback(started(1, '2026-11-23T09:00:00.050Z'), state)).toEqual([]);
      expect(decideCallback(started(2, '2026-11-23T09:00:00.050Z'), state)).toEqual([]);
      expect(decideCallback(fireAt('2026-11-23T09:00:00.050Z'), state)).toEqual([]);
    });

    it('answered: attempt finished and the callback completed', () => {
      const { state } = dialling();
      const events = decideCallback(outcome(1, '2026-11-23T09:01:00.000Z', 'answered'), state);
      expect(types(events)).toEqual(['CallbackAttemptFinished', 'CallbackCompleted']);
      expect(events[0]!.data).toMatchObject({ outcome: 'answered', nextAttemptAt: null, reportedBy: 'dialer' });
      expect(events[1]!.data).toMatchObject({ attempts: 1, campaignId: 'winter' });
    });

    it.each([
      ['no-answer', '2026-11-23T09:06:00.000Z'],
      ['busy', '2026-11-23T09:06:00.000Z'],
      ['answering-machine', '2026-11-23T09:06:00.000Z'],
      ['failed', '2026-11-23T09:06:00.000Z'],
    ] as const)('%s: retried back-off seconds later (%s)', (o, next) => {
      const { state } = dialling();
      const events = decideCallback(outcome(1, '2026-11-23T09:01:00.000Z', o), state);
      expect(events).toEqual([
        { type: 'CallbackAttemptFinished', data: expect.objectContaining({ attempt: 1, outcome: o, nextAttemptAt: next }) },
      ]);
      const after = events.reduce(callbackDecider.evolve, state);
      expect(after).toMatchObject({ status: 'AwaitingAttempt', attempt: 2, startFrom: next });
      expect(timerNeeded(after)).toEqual({ kind: 'attempt', attempt: 2, at: next });
    });

    it.each(['invalid-number', 'cancelled-by-caller'] as const)('%s is final: failed without a retry', (o) => {
      const { state } = dialling();
      const events = decideCallback(outcome(1, '2026-11-23T09:01:00.000Z', o), state);
      expect(types(events)).toEqual(['CallbackAttemptFinished', 'CallbackFailed']);
      expect(events[1]!.data).toMatchObject({ reason: o, attempts: 1, lastOutcome: o });
    });

    it('the booking was cancelled meanwhile: no retry after a no-answer, but an answer still completes', () => {
      const { state } = dialling();
      expect(decideCallback(outcome(1, '2026-11-23T09:01:00.000Z', 'no-answer', false), state)[1]).toMatchObject({
        type: 'CallbackFailed',
        data: { reason: 'booking-cancelled' },
      });
      expect(types(decideCallback(outcome(1, '2026-11-23T09:01:00.000Z', 'answered', false), state))).toEqual(['CallbackAttemptFinished', 'CallbackCompleted']);
      // Cancelling does not cut the running attempt short.
      expect(decideCallback({ type: 'CloseCancelledCallback', now: '2026-11-23T09:00:30.000Z' }, state)).toEqual([]);
    });

    it('an outcome for another attempt is refused with 409 naming the attempt in progress', () => {
      const { state } = dialling();
      const error = (() => {
        try {
          decideCallback(outcome(2, '2026-11-23T09:01:00.000Z', 'answered'), state);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'CALLBACK_SLOTS.ATTEMPT_NOT_IN_PROGRESS', kind: 'conflict', details: { attempt: 1 } });
    });

    it('no outcome before the timeout: finished as failed by the watchdog, then retried', () => {
      const { state } = dialling();
      expect(decideCallback({ type: 'TimeOutAttempt', now: '2026-11-23T09:05:00.009Z', attempt: 1, bookingLive: true }, state)).toEqual([]);
      const events = decideCallback({ type: 'TimeOutAttempt', now: '2026-11-23T09:05:00.010Z', attempt: 1, bookingLive: true }, state);
      expect(events).toEqual([
        {
          type: 'CallbackAttemptFinished',
          data: expect.objectContaining({ outcome: 'failed', reportedBy: 'timeout', nextAttemptAt: '2026-11-23T09:10:00.010Z' }),
        },
      ]);
    });
  });

  describe('given attempt 1 finished', () => {
    it('the same report again changes nothing; a different one is refused', () => {
      const { state } = given(fired, started(1, '2026-11-23T09:00:00.010Z'), outcome(1, '2026-11-23T09:01:00.000Z', 'no-answer'));
      expect(decideCallback(outcome(1, '2026-11-23T09:01:05.000Z', 'no-answer'), state)).toEqual([]);
      expect(() => decideCallback(outcome(1, '2026-11-23T09:01:05.000Z', 'answered'), state)).toThrow(
        expect.objectContaining({ code: 'CALLBACK_SLOTS.ATTEMPT_NOT_IN_PROGRESS' }),
      );
    });

    it('never starts the retry before its time', () => {
      const { state } = given(fired, started(1, '2026-11-23T09:00:00.010Z'), outcome(1, '2026-11-23T09:01:00.000Z', 'busy'));
      expect(() => decideCallback(started(2, '2026-11-23T09:05:59.999Z'), state)).toThrow(RangeError);
      expect(types(decideCallback(started(2, '2026-11-23T09:06:00.000Z'), state))).toEqual(['CallbackAttemptStarted']);
    });

    it('a booking cancelled while waiting for the retry: closed, no attempt 2', () => {
      const { state } = given(fired, started(1, '2026-11-23T09:00:00.010Z'), outcome(1, '2026-11-23T09:01:00.000Z', 'busy'));
      expect(decideCallback({ type: 'CloseCancelledCallback', now: '2026-11-23T09:02:00.000Z' }, state)).toEqual([
        { type: 'CallbackFailed', data: expect.objectContaining({ reason: 'booking-cancelled', attempts: 1, lastOutcome: 'busy' }) },
      ]);
    });
  });

  describe('retries stop at the limits', () => {
    it('max attempts: the third no-answer of three ends it as max-attempts', () => {
      const { events, state } = given(
        fired,
        started(1, '2026-11-23T09:00:00.010Z'),
        outcome(1, '2026-11-23T09:00:30.000Z', 'no-answer'), // retry at 09:05:30
        started(2, '2026-11-23T09:05:30.000Z'),
        outcome(2, '2026-11-23T09:06:00.000Z', 'no-answer'), // retry 600 s later at 09:16:00
        started(3, '2026-11-23T09:16:00.000Z'),
        outcome(3, '2026-11-23T09:16:30.000Z', 'busy'),
      );
      expect(types(events).slice(-2)).toEqual(['CallbackAttemptFinished', 'CallbackFailed']);
      expect(events[events.length - 1]!.data).toMatchObject({ reason: 'max-attempts', attempts: 3, lastOutcome: 'busy' });
      expect(state.status).toBe('Failed');
      expect(timerNeeded(state)).toBeNull();
    });

    it('never past the occurrence end: a retry that would start after it ends the callback as slot-ended', () => {
      const { events } = given(fired, started(1, '2026-11-23T09:00:00.010Z'), outcome(1, '2026-11-23T09:25:00.001Z', 'no-answer'));
      expect(types(events).slice(-2)).toEqual(['CallbackAttemptFinished', 'CallbackFailed']);
      expect(events[events.length - 2]!.data).toMatchObject({ nextAttemptAt: null });
      expect(events[events.length - 1]!.data).toMatchObject({ reason: 'slot-ended', attempts: 1 });
    });

    it('the grace stretches the deadline: the same retry is allowed with 60 s grace', () => {
      const { events } = given(
        fireAt('2026-11-23T09:00:00.004Z', { graceSeconds: 60 }),
        started(1, '2026-11-23T09:00:00.010Z'),
        outcome(1, '2026-11-23T09:25:00.001Z', 'no-answer'),
      );
      expect(events[events.length - 1]).toMatchObject({ type: 'CallbackAttemptFinished', data: { nextAttemptAt: '2026-11-23T09:30:00.001Z' } });
    });

    it('an attempt timer that goes off after the deadline ends the callback instead of dialling', () => {
      const { state } = given(fired, started(1, '2026-11-23T09:00:00.010Z'), outcome(1, '2026-11-23T09:20:00.000Z', 'no-answer'));
      expect(state).toMatchObject({ status: 'AwaitingAttempt', startFrom: '2026-11-23T09:25:00.000Z' });
      expect(decideCallback(started(2, '2026-11-23T09:30:00.001Z'), state)).toEqual([
        { type: 'CallbackFailed', data: expect.objectContaining({ reason: 'slot-ended', attempts: 1 }) },
      ]);
    });
  });
});
