// Scheduled callbacks on the real PostgreSQL, Redis and NATS: a booking fires at its time (never
// before) and is dialled in the call slot's order, cancel prevents firing, duplicate and replayed events
// add no job, a Redis "flush" is repaired by the reconciler with exactly the live jobs, outcomes over
// HTTP and NATS, a router that does not answer. Short real delays (1-2 s); one instance per file.
import { CallbackDispatchRpc, eventSubject, type CallbackView, type Problem } from '@cc/contracts';
import { eventually, nextMessage, uniqueTenant } from '@cc/testing';
import { connect, type NatsConnection } from 'nats';
import { rpcRequest, RemoteProblemError } from '@cc/platform';
import { CallbackSchedulerProjection } from './scheduling/callback-scheduler.projection';
import {
  bookCallback,
  callbackEvents,
  cancelCallback,
  deleteQueueKeys,
  destroyCallbacksInstance,
  FakeRouter,
  inMs,
  newCallbacksInstance,
  startCallbacksTestApp,
  type CallbacksTestApp,
  type TestBooking,
} from './testing/callbacks-test-app';

jest.setTimeout(60_000);

describe('scheduled callbacks', () => {
  const instance = newCallbacksInstance();
  let app: CallbacksTestApp;
  let router: FakeRouter;
  let nc: NatsConnection;
  let tenantId: string;

  beforeAll(async () => {
    router = await FakeRouter.start(instance.dialPlanSubject);
    app = await startCallbacksTestApp({ instance, leadMs: 1_000 });
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'callbacks-int-test' });
  });
  afterAll(async () => {
    await nc?.drain();
    await app?.close();
    await router?.stop();
    await destroyCallbacksInstance(instance);
  });
  beforeEach(() => {
    tenantId = uniqueTenant();
    router.mode = { kind: 'plan' };
  });

  const runtime = () => app.runtime!;
  const caughtUp = () => runtime().projection.caughtUp();
  const eventTypes = async (booking: TestBooking) => (await callbackEvents(app.store, booking)).map((e) => e.type);
  const book = (startInMs: number, extra: { callSlotId?: string; lengthMs?: number } = {}) => {
    const startIso = inMs(startInMs);
    return bookCallback(app.store, {
      tenantId,
      startIso,
      endIso: new Date(Date.parse(startIso) + (extra.lengthMs ?? 30 * 60_000)).toISOString(),
      ...(extra.callSlotId ? { callSlotId: extra.callSlotId } : {}),
    });
  };
  const pendingFor = async (bookings: TestBooking[]) => {
    const ids = await runtime().timers.pendingJobIds();
    return [...ids].filter((id) => bookings.some((b) => id.startsWith(b.bookingId))).sort();
  };

  it('fires at its time, never before, publishes CallbackDue, and dials the agent first', async () => {
    const published = nextMessage<{ type: string; data: { bookingId: string } }>(nc, eventSubject('callback-slots', tenantId, 'CallbackDue'), () => true, 20_000);
    const booking = await book(1_500);
    await caughtUp();
    expect(await pendingFor([booking])).toEqual([booking.bookingId]);

    const events = await eventually(async () => {
      const stored = await callbackEvents(app.store, booking);
      return stored.length >= 2 ? stored : undefined;
    });
    const due = events[0]!;
    expect(due.type).toBe('CallbackDue');
    const { dueAt, firedAt } = due.data as { dueAt: string; firedAt: string };
    expect(dueAt).toBe(booking.startIso);
    expect(Date.parse(firedAt)).toBeGreaterThanOrEqual(Date.parse(dueAt));
    expect((await published.promise).data.bookingId).toBe(booking.bookingId);

    expect(events[1]).toMatchObject({
      type: 'CallbackAttemptStarted',
      data: { attempt: 1, dialOrder: 'agent-first', legs: [{ kind: 'agent' }, { kind: 'customer', number: '+441234567890' }] },
    });
    expect(router.requestsFor(booking.bookingId)).toEqual([
      expect.objectContaining({ tenantId, attempt: 1, callbackNumber: '+441234567890', dialOrder: 'agent-first', callSlotId: 'support-uk' }),
    ]);

    const dialer = await app.as(tenantId, 'SERVICE');
    const answered = await dialer.post<CallbackView>(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 1, outcome: 'answered' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ bookingId: booking.bookingId, status: 'completed', attempts: [{ attempt: 1, outcome: 'answered' }] });
    expect(await eventTypes(booking)).toEqual(['CallbackDue', 'CallbackAttemptStarted', 'CallbackAttemptFinished', 'CallbackCompleted']);
    await caughtUp();
    expect(await pendingFor([booking])).toEqual([]); // nothing left to fire: no watchdog, no retry
    const view = await (await app.as(tenantId)).get<CallbackView>(`/v1/callbacks/${booking.bookingId}`);
    expect(view.body).toMatchObject({ status: 'completed', dueAt, firedAt });
  });

  it('a cancelled booking never fires, whether cancelled before its job was due or while the worker held it', async () => {
    const early = await book(2_500);
    const held = await book(2_500);
    const sentinel = await book(2_600); // fires after both would have
    await caughtUp();
    expect(await pendingFor([early, held, sentinel])).toEqual([early.bookingId, held.bookingId, sentinel.bookingId].sort());

    await cancelCallback(app.store, early);
    await caughtUp();
    expect(await pendingFor([early])).toEqual([]); // the projector removed its job

    // The worker takes the job a second (the lead) before it is due: cancel while it waits on its timer.
    await eventually(async () => (await runtime().timers.queue.getJobState(held.bookingId)) === 'active');
    await cancelCallback(app.store, held);

    await eventually(async () => ((await eventTypes(sentinel)).includes('CallbackDue') ? true : undefined));
    expect(await eventTypes(early)).toEqual([]);
    expect(await eventTypes(held)).toEqual([]);
    expect(router.requestsFor(held.bookingId)).toEqual([]);
    const view = await (await app.as(tenantId)).get<CallbackView>(`/v1/callbacks/${early.bookingId}`);
    expect(view.body).toMatchObject({ status: 'cancelled', firedAt: null });
  });

  it('a reschedule moves the job: the old booking\'s job goes, the new one is due at its own time', async () => {
    const old = await book(3_600_000);
    await caughtUp();
    // The reschedule saga: book the new occurrence first, then cancel the old booking pointing at it.
    const startIso = inMs(7_200_000);
    const moved = await bookCallback(app.store, { tenantId, startIso, endIso: new Date(Date.parse(startIso) + 1_800_000).toISOString(), rescheduledFrom: old });
    await cancelCallback(app.store, old, moved);
    await caughtUp();
    expect(await pendingFor([old, moved])).toEqual([moved.bookingId]);
    expect((await runtime().timers.queue.getJob(moved.bookingId))!.data.at).toBe(startIso);
  });

  it('duplicate and replayed events add no job, and the callback fires once', async () => {
    const booking = await book(2_000);
    await caughtUp();
    const job = await runtime().timers.queue.getJob(booking.bookingId);
    expect(job).toBeDefined();

    // At-least-once delivery: the same stored events handed to the projection again.
    const occurrence = await app.store.readStream(`timeslot-${tenantId}-support-uk-${booking.startIso}`);
    const projection = new CallbackSchedulerProjection(runtime().timers);
    await app.dataSource.transaction((manager) => projection.apply(occurrence, manager));
    await app.dataSource.transaction((manager) => projection.apply(occurrence, manager));
    // A second add of the same timer straight to BullMQ: the jobId makes it a no-op.
    await runtime().timers.add([
      { timer: { jobId: booking.bookingId, kind: 'due', attempt: 0, at: booking.startIso }, tenantId, bookingId: booking.bookingId, callSlotId: 'support-uk', startIso: booking.startIso },
    ]);
    expect(await pendingFor([booking])).toEqual([booking.bookingId]);
    expect((await runtime().timers.queue.getJob(booking.bookingId))!.timestamp).toBe(job!.timestamp);

    await eventually(async () => ((await eventTypes(booking)).includes('CallbackAttemptStarted') ? true : undefined));
    expect((await eventTypes(booking)).filter((t) => t === 'CallbackDue')).toHaveLength(1);
    expect(router.requestsFor(booking.bookingId)).toHaveLength(1);
  });

  it('after Redis loses the queue, the reconciler restores exactly the live jobs, never for cancelled or finished callbacks', async () => {
    const dialer = await app.as(tenantId, 'SERVICE');
    const future = [await book(3_600_000), await book(7_200_000)];
    const cancelled = await book(3_600_000);
    const soon = [await book(1_200), await book(1_200), await book(1_200), await book(1_200)];
    await cancelCallback(app.store, cancelled);
    const [completed, failed, dialling, retrying] = soon as [TestBooking, TestBooking, TestBooking, TestBooking];
    for (const b of soon) await eventually(async () => ((await eventTypes(b)).includes('CallbackAttemptStarted') ? true : undefined));
    await dialer.post(`/v1/callbacks/${completed.bookingId}/outcomes`, { attempt: 1, outcome: 'answered' });
    await dialer.post(`/v1/callbacks/${failed.bookingId}/outcomes`, { attempt: 1, outcome: 'invalid-number' });
    await dialer.post(`/v1/callbacks/${retrying.bookingId}/outcomes`, { attempt: 1, outcome: 'no-answer' });
    await caughtUp();

    const expected = [
      ...future.map((b) => b.bookingId),
      `${dialling.bookingId}-watchdog-1`,
      `${retrying.bookingId}-attempt-2-r2`,
    ].sort();
    const mine = [...future, cancelled, ...soon];
    expect(await pendingFor(mine)).toEqual(expected);
    const before = await runtime().timers.pendingJobIds();
    const retryJob = await runtime().timers.queue.getJob(`${retrying.bookingId}-attempt-2-r2`);

    // "FLUSHALL" for this queue: every key under its prefix is gone.
    expect(await deleteQueueKeys(instance.queuePrefix)).toBeGreaterThan(0);
    expect((await runtime().timers.pendingJobIds()).size).toBe(0);

    const report = await runtime().reconciler.reconcile();
    expect(report.added).toBeGreaterThanOrEqual(expected.length);
    expect(await pendingFor(mine)).toEqual(expected);
    expect(await runtime().timers.pendingJobIds()).toEqual(before);
    // Never early: a restored job waits until its instant minus the lead, as before the loss.
    const restored = await runtime().timers.queue.getJob(`${retrying.bookingId}-attempt-2-r2`);
    expect(restored!.data.at).toBe(retryJob!.data.at);
    expect(restored!.timestamp + restored!.delay).toBeGreaterThanOrEqual(Date.parse(restored!.data.at) - 1_000 - 5);
    // A second pass finds nothing to do.
    expect(await runtime().reconciler.reconcile()).toMatchObject({ added: 0, orphansRemoved: 0 });
  });

  it('removes orphaned waiting jobs nobody needs', async () => {
    const live = await book(3_600_000);
    await caughtUp();
    const orphanId = '00000000-0000-4000-8000-00000000beef';
    await runtime().timers.add([
      { timer: { jobId: orphanId, kind: 'due', attempt: 0, at: inMs(3_600_000) }, tenantId, bookingId: orphanId, callSlotId: 'support-uk', startIso: inMs(3_600_000) },
    ]);
    const report = await runtime().reconciler.reconcile();
    expect(report.orphansRemoved).toBeGreaterThanOrEqual(1);
    const ids = await runtime().timers.pendingJobIds();
    expect(ids.has(orphanId)).toBe(false);
    expect(ids.has(live.bookingId)).toBe(true);
  });

  it('takes outcomes over NATS; refuses unknown callbacks, wrong attempts and bad input with problems', async () => {
    const booking = await book(1_200);
    await eventually(async () => ((await eventTypes(booking)).includes('CallbackAttemptStarted') ? true : undefined));
    const report = (payload: unknown) =>
      // The queue group "callback-slots" is shared with every callback-slots app alive on this NATS
      // (other test files have their own databases): one that does not know the callback says 404, so ask again.
      eventually(async () => {
        try {
          return { ok: await rpcRequest<CallbackView>(nc, CallbackDispatchRpc.reportOutcome.subject, { tenantId, actor: 'service:dialer', payload }) };
        } catch (error) {
          if (error instanceof RemoteProblemError && error.problem.code !== 'CALLBACK_SLOTS.CALLBACK_NOT_FOUND') return { problem: error.problem };
          throw error;
        }
      });
    expect(await report({ bookingId: booking.bookingId, attempt: 2, outcome: 'busy' })).toMatchObject({
      problem: { status: 409, code: 'CALLBACK_SLOTS.ATTEMPT_NOT_IN_PROGRESS' },
    });
    expect(await report({ bookingId: booking.bookingId, attempt: 1, outcome: 'busy' })).toMatchObject({
      ok: { status: 'awaiting-attempt', attempts: [{ attempt: 1, outcome: 'busy' }] },
    });
    // The dialer retried its report: same answer, nothing new.
    expect(await report({ bookingId: booking.bookingId, attempt: 1, outcome: 'busy' })).toMatchObject({ ok: { status: 'awaiting-attempt' } });
    expect((await eventTypes(booking)).filter((t) => t === 'CallbackAttemptFinished')).toHaveLength(1);

    const http = await app.as(tenantId, 'SERVICE');
    const invalid = await http.post<Problem>(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 0, outcome: 'maybe', extra: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors!.map((e) => e.path).sort()).toEqual(['attempt', 'extra', 'outcome']);
    const unknown = await http.post<Problem>(`/v1/callbacks/0d7b7f55-2f1a-4e0c-8f43-8f2f6c1b9a22/outcomes`, { attempt: 1, outcome: 'answered' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'CALLBACK_SLOTS.CALLBACK_NOT_FOUND' } });
    const agent = await app.as(tenantId, 'AGENT');
    expect((await agent.post(`/v1/callbacks/${booking.bookingId}/outcomes`, { attempt: 1, outcome: 'answered' })).status).toBe(403);
    const badId = await http.post<Problem>('/v1/callbacks/not-a-uuid/outcomes', { attempt: 1, outcome: 'answered' });
    expect(badId).toMatchObject({ status: 400, body: { errors: [{ path: 'params.bookingId' }] } });
  });

  it('records a router that does not answer and asks again; dials once it answers', async () => {
    router.mode = { kind: 'silent' };
    const booking = await book(1_200);
    const unavailable = await eventually(async () => {
      const stored = await callbackEvents(app.store, booking);
      return stored.find((e) => e.type === 'CallbackDialPlanUnavailable');
    });
    expect(unavailable.data).toMatchObject({ attempt: 1, failures: 1, reason: expect.stringContaining('did not answer') });
    router.mode = { kind: 'plan' };
    const started = await eventually(async () => (await callbackEvents(app.store, booking)).find((e) => e.type === 'CallbackAttemptStarted'));
    expect(started.data).toMatchObject({ attempt: 1 });
    expect(router.requestsFor(booking.bookingId).length).toBeGreaterThanOrEqual(2);
    expect((await eventTypes(booking)).filter((t) => t === 'CallbackAttemptStarted')).toHaveLength(1);
  });

  it('spreads the callbacks of a call slot over the first minutes of the occurrence when configured', async () => {
    const admin = await app.as(tenantId);
    const set = await admin.put('/v1/call-slots/sales/callback-firing', { firing: { mode: 'spread', withinMinutes: 20 } });
    expect(set).toMatchObject({ status: 200, body: { callSlotId: 'sales', firing: { mode: 'spread', withinMinutes: 20 }, revision: 0 } });
    const bad = await admin.put<Problem>('/v1/call-slots/sales/callback-firing', { firing: { mode: 'spread', withinMinutes: 0 } });
    expect(bad.status).toBe(400);
    const startIso = inMs(3_600_000);
    const endIso = new Date(Date.parse(startIso) + 30 * 60_000).toISOString();
    const bookings = [];
    for (let i = 0; i < 4; i++) bookings.push(await bookCallback(app.store, { tenantId, callSlotId: 'sales', startIso, endIso }));
    await caughtUp();
    const dueTimes = await Promise.all(bookings.map(async (b) => (await runtime().timers.queue.getJob(b.bookingId))!.data.at));
    const offsetsMin = dueTimes.map((at) => (Date.parse(at) - Date.parse(startIso)) / 60_000);
    expect(offsetsMin).toEqual([0, 10, 5, 15]);
    const view = await admin.get<CallbackView>(`/v1/callbacks/${bookings[1]!.bookingId}`);
    expect(view.body).toMatchObject({ status: 'scheduled', dueAt: dueTimes[1] });
  });
});
