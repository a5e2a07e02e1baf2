// Specification of the timing rules: retry back-off and its limits, dial-plan retries, spreading
// callbacks over an occurrence, the enqueue lead, which timer job a callback needs, firing settings.
import { callbackDecider, decideCallback, type CallbackState } from './callback.decider';
import { callbackFiringDecider, firingOf } from './callback-firing.decider';
import { desiredTimer, type ScheduledCallback } from './callback-timer';
import { dialLegs } from './dial-legs';
import { dueAtOf, enqueueDelayMs, vanDerCorput } from './firing-time';
import { attemptDeadline, dialPlanRetryAt, retryDecision } from './retry-schedule';

const policy = { maxAttempts: 3, backoffSeconds: 300 };

describe('retry back-off', () => {
  it.each([
    [1, '2026-11-23T09:05:00.000Z'],
    [2, '2026-11-23T09:10:00.000Z'],
  ])('after attempt %i the next starts backoff * 2^(n-1) later (%s)', (made, at) => {
    expect(retryDecision(policy, made, '2026-11-23T09:00:00.000Z', '2026-11-23T10:00:00.000Z')).toEqual({ kind: 'retry', at });
  });

  it('stops when every attempt is used', () => {
    expect(retryDecision(policy, 3, '2026-11-23T09:00:00.000Z', '2026-11-23T10:00:00.000Z')).toEqual({ kind: 'stop', reason: 'max-attempts' });
  });

  it('allows a retry exactly at the deadline, not a millisecond after', () => {
    expect(retryDecision(policy, 1, '2026-11-23T09:25:00.000Z', '2026-11-23T09:30:00.000Z')).toEqual({ kind: 'retry', at: '2026-11-23T09:30:00.000Z' });
    expect(retryDecision(policy, 1, '2026-11-23T09:25:00.001Z', '2026-11-23T09:30:00.000Z')).toEqual({ kind: 'stop', reason: 'slot-ended' });
  });

  it('the deadline is the occurrence end plus grace', () => {
    expect(attemptDeadline('2026-11-23T09:30:00.000Z', 90)).toBe('2026-11-23T09:31:30.000Z');
  });

  it('asks the router again after 1, 2, 4 … s, at most 60 s apart, never past the deadline', () => {
    const now = '2026-11-23T09:00:00.000Z';
    const deadline = '2026-11-23T09:30:00.000Z';
    expect([1, 2, 3, 7, 8, 20].map((f) => dialPlanRetryAt(f, now, deadline))).toEqual([
      '2026-11-23T09:00:01.000Z',
      '2026-11-23T09:00:02.000Z',
      '2026-11-23T09:00:04.000Z',
      '2026-11-23T09:01:00.000Z',
      '2026-11-23T09:01:00.000Z',
      '2026-11-23T09:01:00.000Z',
    ]);
    expect(dialPlanRetryAt(1, '2026-11-23T09:29:59.500Z', deadline)).toBeNull();
  });
});

describe('firing time', () => {
  const occurrence = { startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z' };

  it('fires at the occurrence start by default', () => {
    expect(dueAtOf(occurrence, { mode: 'at-start' }, 7)).toBe('2026-11-23T09:00:00.000Z');
  });

  it('spreads bookings evenly over the window in booking order: 0, 1/2, 1/4, 3/4 …', () => {
    expect([0, 1, 2, 3].map((k) => vanDerCorput(k))).toEqual([0, 0.5, 0.25, 0.75]);
    expect([0, 1, 2, 3].map((k) => dueAtOf(occurrence, { mode: 'spread', withinMinutes: 20 }, k))).toEqual([
      '2026-11-23T09:00:00.000Z',
      '2026-11-23T09:10:00.000Z',
      '2026-11-23T09:05:00.000Z',
      '2026-11-23T09:15:00.000Z',
    ]);
  });

  it('any number of bookings stays inside the window and no two share an instant', () => {
    const due = Array.from({ length: 500 }, (_, k) => Date.parse(dueAtOf(occurrence, { mode: 'spread', withinMinutes: 20 }, k)));
    expect(Math.min(...due)).toBe(Date.parse(occurrence.startIso));
    expect(Math.max(...due)).toBeLessThan(Date.parse('2026-11-23T09:20:00.000Z'));
    expect(new Set(due).size).toBe(500);
  });

  it('a window longer than the occurrence is cut at its end', () => {
    expect(dueAtOf(occurrence, { mode: 'spread', withinMinutes: 600 }, 1)).toBe('2026-11-23T09:15:00.000Z');
  });

  it('is enqueued the lead time early (never with a negative delay)', () => {
    expect(enqueueDelayMs(10_000, 1_000, 2_000)).toBe(7_000);
    expect(enqueueDelayMs(10_000, 9_500, 2_000)).toBe(0);
  });
});

describe('dial legs', () => {
  const agent = { targets: [{ kind: 'number' as const, e164: '+447911123456', agentId: null }], ringSeconds: 20 };
  it.each([
    ['agent-first', ['agent', 'customer']],
    ['customer-first', ['customer', 'agent']],
  ] as const)('%s', (order, kinds) => {
    expect(dialLegs(order, agent, { number: '+441234567890', ringSeconds: 40 }).map((l) => l.kind)).toEqual(kinds);
  });
});

describe('timer job of a callback', () => {
  const bookingId = '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10';
  const row = (overrides: Partial<ScheduledCallback> = {}): ScheduledCallback => ({
    tenantId: 'acme',
    bookingId,
    callSlotId: 'support-uk',
    startIso: '2026-11-23T09:00:00.000Z',
    dueAt: '2026-11-23T09:00:00.000Z',
    bookingStatus: 'booked',
    cancelledAt: null,
    callback: { status: 'NotDue' },
    callbackRevision: -1,
    ...overrides,
  });
  const fired = (): CallbackState =>
    decideCallback(
      {
        type: 'FireCallback',
        now: '2026-11-23T09:00:00.005Z',
        dueAt: '2026-11-23T09:00:00.000Z',
        booking: { bookingId, callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z', callbackNumber: '+441234567890', callerCli: null, campaignId: null },
        dialOrder: 'agent-first',
        retryPolicy: policy,
        graceSeconds: 0,
        attemptTimeoutSeconds: 300,
      },
      { status: 'NotDue' },
    ).reduce(callbackDecider.evolve, callbackDecider.initialState());

  it('a booked callback not yet due: one job whose id is the booking id, at the due time', () => {
    expect(desiredTimer(row())).toEqual({ jobId: bookingId, kind: 'due', attempt: 0, at: '2026-11-23T09:00:00.000Z' });
  });

  it('cancelled before it was due: no job', () => {
    expect(desiredTimer(row({ bookingStatus: 'cancelled', cancelledAt: '2026-11-22T10:00:00.000Z' }))).toBeNull();
  });

  it('awaiting an attempt: a job per timer instance (the revision in the id), so a running job never blocks the next', () => {
    expect(desiredTimer(row({ callback: fired(), callbackRevision: 0 }))).toEqual({
      jobId: `${bookingId}-attempt-1-r0`,
      kind: 'attempt',
      attempt: 1,
      at: '2026-11-23T09:00:30.005Z',
    });
  });

  it('cancelled while awaiting an attempt: the attempt job is brought forward to close it', () => {
    expect(desiredTimer(row({ callback: fired(), callbackRevision: 0, bookingStatus: 'cancelled', cancelledAt: '2026-11-23T09:00:10.000Z' }))).toEqual({
      jobId: `${bookingId}-attempt-1-cancelled`,
      kind: 'attempt',
      attempt: 1,
      at: '2026-11-23T09:00:10.000Z',
    });
  });

  it('dialling: the watchdog of that attempt; finished: none', () => {
    const dialling = decideCallback(
      { type: 'StartAttempt', now: '2026-11-23T09:00:00.010Z', attempt: 1, agent: { targets: [{ kind: 'extension', extension: '2001', agentId: null }], ringSeconds: 30 }, customerRingSeconds: 30 },
      fired(),
    ).reduce(callbackDecider.evolve, fired());
    expect(desiredTimer(row({ callback: dialling, callbackRevision: 1 }))).toEqual({
      jobId: `${bookingId}-watchdog-1`,
      kind: 'watchdog',
      attempt: 1,
      at: '2026-11-23T09:05:00.010Z',
    });
    const done = decideCallback(
      { type: 'ReportOutcome', now: '2026-11-23T09:01:00.000Z', attempt: 1, outcome: 'answered', detail: null, bookingLive: true },
      dialling,
    ).reduce(callbackDecider.evolve, dialling);
    expect(desiredTimer(row({ callback: done, callbackRevision: 3 }))).toBeNull();
  });
});

describe('callback firing setting', () => {
  it('defaults to at-start; setting it records the change, setting it again changes nothing', () => {
    const state = callbackFiringDecider.initialState();
    expect(firingOf(state)).toEqual({ mode: 'at-start' });
    const events = callbackFiringDecider.decide({ type: 'SetCallbackFiring', callSlotId: 'support-uk', firing: { mode: 'spread', withinMinutes: 20 } }, state);
    expect(events).toEqual([{ type: 'CallbackFiringSet', data: { callSlotId: 'support-uk', firing: { mode: 'spread', withinMinutes: 20 } } }]);
    const set = events.reduce(callbackFiringDecider.evolve, state);
    expect(callbackFiringDecider.decide({ type: 'SetCallbackFiring', callSlotId: 'support-uk', firing: { mode: 'spread', withinMinutes: 20 } }, set)).toEqual([]);
    expect(callbackFiringDecider.decide({ type: 'SetCallbackFiring', callSlotId: 'support-uk', firing: { mode: 'spread', withinMinutes: 10 } }, set)).toHaveLength(1);
  });
});
