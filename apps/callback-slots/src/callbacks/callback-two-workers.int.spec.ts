// Two worker processes on one queue, and every timer handed out twice (as a stalled job's re-run or a
// duplicate add would): each callback is still due once and dialled once, and a second attempt never
// starts while one is in progress. Real PostgreSQL, Redis and NATS.
import { eventually, uniqueTenant } from '@cc/testing';
import { Metrics } from '@cc/platform';
import {
  bookCallback,
  callbackEvents,
  destroyCallbacksInstance,
  FakeRouter,
  inMs,
  newCallbacksInstance,
  startCallbacksTestApp,
  type CallbacksTestApp,
  type TestBooking,
} from './testing/callbacks-test-app';

jest.setTimeout(90_000);

const CALLBACKS = 40;

describe('two workers on one queue', () => {
  const instance = newCallbacksInstance();
  let first: CallbacksTestApp;
  let second: CallbacksTestApp;
  let router: FakeRouter;

  beforeAll(async () => {
    router = await FakeRouter.start(instance.dialPlanSubject);
    first = await startCallbacksTestApp({ instance, role: 'all' });
    second = await startCallbacksTestApp({ instance, role: 'worker' });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await router?.stop();
    await destroyCallbacksInstance(instance);
  });

  const firedBy = async (app: CallbacksTestApp, result: string) => {
    const metric = await app.app.get(Metrics).registry.getSingleMetricAsString('callback_dispatch_steps_total');
    const line = metric.split('\n').find((l) => l.includes('step="fire"') && l.includes(`result="${result}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('never fires or dials one callback twice, even when every timer runs twice at the same instant', async () => {
    const tenantId = uniqueTenant();
    const startIso = inMs(3_000);
    const endIso = new Date(Date.parse(startIso) + 30 * 60_000).toISOString();
    const bookings: TestBooking[] = [];
    for (let i = 0; i < CALLBACKS; i++) bookings.push(await bookCallback(first.store, { tenantId, startIso, endIso }));
    await Promise.all([first.runtime!.projection.caughtUp(), second.runtime!.projection.caughtUp()]);
    // Both projections added the same jobs (jobId = bookingId): one each.
    const pending = await first.runtime!.timers.pendingJobIds();
    expect(bookings.every((b) => pending.has(b.bookingId))).toBe(true);
    // Every timer a second time under another id: two workers now race for each callback at its instant.
    await first.runtime!.timers.add(
      bookings.map((b) => ({
        timer: { jobId: `${b.bookingId}-again`, kind: 'due' as const, attempt: 0, at: startIso },
        tenantId,
        bookingId: b.bookingId,
        callSlotId: b.callSlotId,
        startIso,
      })),
    );

    const streams = await eventually(
      async () => {
        const all = await Promise.all(bookings.map((b) => callbackEvents(first.store, b)));
        return all.every((events) => events.some((e) => e.type === 'CallbackAttemptStarted')) ? all : undefined;
      },
      30_000,
      100,
    );
    // Let any straggler of the duplicates finish before counting.
    await eventually(async () => {
      const left = await first.runtime!.timers.pendingJobIds();
      return bookings.every((b) => !left.has(b.bookingId) && !left.has(`${b.bookingId}-again`)) ? true : undefined;
    });

    for (const events of streams) {
      expect(events.filter((e) => e.type === 'CallbackDue')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'CallbackAttemptStarted')).toHaveLength(1);
    }
    const fired = [await firedBy(first, 'fired'), await firedBy(second, 'fired')];
    expect(fired[0]! + fired[1]!).toBe(CALLBACKS);
    process.stdout.write(
      `two workers: ${CALLBACKS} callbacks, ${CALLBACKS * 2} timer runs; fired by worker 1: ${fired[0]}, worker 2: ${fired[1]}; ` +
        `dial-plan requests ${router.requests.filter((r) => r.tenantId === tenantId).length}\n`,
    );
  });

  it('a timer for another attempt while one is dialling starts nothing', async () => {
    const tenantId = uniqueTenant();
    const startIso = inMs(1_500);
    const booking = await bookCallback(first.store, { tenantId, startIso, endIso: new Date(Date.parse(startIso) + 30 * 60_000).toISOString() });
    await eventually(async () => ((await callbackEvents(first.store, booking)).some((e) => e.type === 'CallbackAttemptStarted') ? true : undefined));
    const stray = [
      { jobId: `${booking.bookingId}-stray-attempt-2`, kind: 'attempt' as const, attempt: 2 },
      { jobId: `${booking.bookingId}-stray-attempt-1`, kind: 'attempt' as const, attempt: 1 },
      { jobId: `${booking.bookingId}-stray-due`, kind: 'due' as const, attempt: 0 },
    ];
    await first.runtime!.timers.add(
      stray.map((timer) => ({ timer: { ...timer, at: new Date().toISOString() }, tenantId, bookingId: booking.bookingId, callSlotId: booking.callSlotId, startIso })),
    );
    await eventually(async () => {
      const left = await first.runtime!.timers.pendingJobIds();
      return stray.every((s) => !left.has(s.jobId)) ? true : undefined;
    });
    expect((await callbackEvents(first.store, booking)).map((e) => e.type)).toEqual(['CallbackDue', 'CallbackAttemptStarted']);
  });
});
