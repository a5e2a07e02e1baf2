// Retries on the real infrastructure: an unanswered callback is tried again after the call slot's
// back-off, an attempt without an outcome is timed out, and no attempt ever starts after the time
// slot's end. The app's clock jumps forward instead of the test waiting minutes; the job that is then
// due is promoted in BullMQ (it was enqueued for the real time).
import { eventually, uniqueTenant } from '@cc/testing';
import type { CallbackView } from '@cc/contracts';
import {
  bookCallback,
  callbackEvents,
  destroyCallbacksInstance,
  FakeRouter,
  newCallbacksInstance,
  OffsetClock,
  startCallbacksTestApp,
  type CallbacksTestApp,
  type TestBooking,
} from './testing/callbacks-test-app';

jest.setTimeout(60_000);

describe('callback retries', () => {
  const instance = newCallbacksInstance();
  const clock = new OffsetClock();
  let app: CallbacksTestApp;
  let router: FakeRouter;

  beforeAll(async () => {
    router = await FakeRouter.start(instance.dialPlanSubject);
    app = await startCallbacksTestApp({ instance, clock });
  });
  afterAll(async () => {
    await app?.close();
    await router?.stop();
    await destroyCallbacksInstance(instance);
  });

  const types = async (booking: TestBooking) => (await callbackEvents(app.store, booking)).map((e) => e.type);
  const untilEvent = (booking: TestBooking, type: string, count = 1) =>
    eventually(async () => ((await types(booking)).filter((t) => t === type).length >= count ? true : undefined), 15_000);
  /** A booking whose occurrence starts in 1.5 s and lasts `lengthSeconds` (on the app's clock). */
  const book = (tenantId: string, lengthSeconds: number) => {
    const start = clock.now().getTime() + 1_500;
    return bookCallback(app.store, { tenantId, startIso: new Date(start).toISOString(), endIso: new Date(start + lengthSeconds * 1000).toISOString() });
  };
  /** Jumps the app's clock to the timer's instant and hands the job to the worker now. */
  const jumpToAndRun = async (jobId: string) => {
    await app.runtime!.projection.caughtUp();
    const job = await app.runtime!.timers.queue.getJob(jobId);
    expect(job).toBeDefined();
    const wait = Date.parse(job!.data.at) - clock.now().getTime();
    if (wait > 0) clock.advance(wait);
    await job!.promote();
  };

  it('retries after the back-off and stops at the slot end: a retry that would start after it ends the callback', async () => {
    const tenantId = uniqueTenant();
    const dialer = await app.as(tenantId, 'SERVICE');
    // 400 s: attempt 2 (300 s after attempt 1) fits, attempt 3 (600 s after attempt 2) does not.
    const booking = await book(tenantId, 400);
    await untilEvent(booking, 'CallbackAttemptStarted');

    const first = await dialer.post<CallbackView>(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 1, outcome: 'no-answer' });
    expect(first.body).toMatchObject({ status: 'awaiting-attempt', attempts: [{ attempt: 1, outcome: 'no-answer' }] });
    const finishedAt = Date.parse(first.body.attempts[0]!.finishedAt!);
    expect(Date.parse(first.body.nextAttemptAt!) - finishedAt).toBe(300_000);

    await jumpToAndRun(`${booking.bookingId}-attempt-2-r2`);
    await untilEvent(booking, 'CallbackAttemptStarted', 2);
    const started = (await callbackEvents(app.store, booking)).filter((e) => e.type === 'CallbackAttemptStarted');
    expect(Date.parse((started[1]!.data as { startedAt: string }).startedAt)).toBeGreaterThanOrEqual(Date.parse(first.body.nextAttemptAt!));
    expect(router.requestsFor(booking.bookingId).map((r) => r.attempt)).toEqual([1, 2]);

    const second = await dialer.post<CallbackView>(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 2, outcome: 'busy' });
    expect(second.body).toMatchObject({ status: 'failed', failureReason: 'slot-ended', nextAttemptAt: null });
    expect(await types(booking)).toEqual([
      'CallbackDue',
      'CallbackAttemptStarted',
      'CallbackAttemptFinished',
      'CallbackAttemptStarted',
      'CallbackAttemptFinished',
      'CallbackFailed',
    ]);
    await app.runtime!.projection.caughtUp();
    const left = [...(await app.runtime!.timers.pendingJobIds())].filter((id) => id.startsWith(booking.bookingId));
    expect(left).toEqual([]);
  });

  it('uses every attempt of the policy when the slot is long enough, then fails with max-attempts', async () => {
    const tenantId = uniqueTenant();
    const dialer = await app.as(tenantId, 'SERVICE');
    const booking = await book(tenantId, 3_600);
    await untilEvent(booking, 'CallbackAttemptStarted');
    await dialer.post(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 1, outcome: 'answering-machine' });
    await jumpToAndRun(`${booking.bookingId}-attempt-2-r2`);
    await untilEvent(booking, 'CallbackAttemptStarted', 2);
    await dialer.post(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 2, outcome: 'no-answer' });
    await jumpToAndRun(`${booking.bookingId}-attempt-3-r4`);
    await untilEvent(booking, 'CallbackAttemptStarted', 3);
    const last = await dialer.post<CallbackView>(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 3, outcome: 'no-answer' });
    expect(last.body).toMatchObject({ status: 'failed', failureReason: 'max-attempts' });
    expect(last.body.attempts.map((a) => a.outcome)).toEqual(['answering-machine', 'no-answer', 'no-answer']);
  });

  it('times out an attempt nobody reports on, and retries it', async () => {
    const tenantId = uniqueTenant();
    const booking = await book(tenantId, 3_600);
    await untilEvent(booking, 'CallbackAttemptStarted');
    await jumpToAndRun(`${booking.bookingId}-watchdog-1`);
    await untilEvent(booking, 'CallbackAttemptFinished');
    const finished = (await callbackEvents(app.store, booking)).find((e) => e.type === 'CallbackAttemptFinished')!;
    expect(finished.data).toMatchObject({ attempt: 1, outcome: 'failed', reportedBy: 'timeout', nextAttemptAt: expect.any(String) });
    // The dialer's late report for the timed-out attempt is refused: it is no longer in progress.
    const late = await (await app.as(tenantId, 'SERVICE')).post(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 1, outcome: 'answered' });
    expect(late).toMatchObject({ status: 409, body: { code: 'CALLBACK_SLOTS.ATTEMPT_NOT_IN_PROGRESS' } });
  });
});
