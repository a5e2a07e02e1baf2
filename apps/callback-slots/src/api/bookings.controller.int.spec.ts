// Bookings over HTTP against the real event store: the capacity race across two instances, lowering
// capacity, reschedule (full target keeps the old booking), cancel, idempotency keys across occurrences,
// number checks, pagination, and the reschedule reconciler after a crash between the saga's steps.
import { randomUUID } from 'node:crypto';
import {
  toTimeSlotStreamId,
  type BookCallbackResponse,
  type BookingView,
  type CalendarResponse,
  type ListBookingsResponse,
  type OccurrenceView,
  type Problem,
  type RescheduleBookingResponse,
} from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CommandExecutor, EVENT_STORE } from '@cc/platform';
import { eventually, uniqueTenant, type HttpClient } from '@cc/testing';
import {
  cleanUpTenant,
  httpAs,
  nextHourStart,
  roundTheClock,
  startCallbackSlotsTestApp,
  TenantFixture,
  type CallbackSlotsTestApp,
} from '../../test/callback-slots-test-app';
import { RescheduleReconciler } from '../bookings/reschedule.reconciler';
import { rescheduleBookCommand } from '../domain/reschedule.saga';
import { timeSlotDecider, type TimeSlotCommand, type TimeSlotState } from '../domain/time-slot.decider';

jest.setTimeout(120_000);

describe('bookings over HTTP', () => {
  let app: CallbackSlotsTestApp;
  let second: CallbackSlotsTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startCallbackSlotsTestApp();
    second = await startCallbackSlotsTestApp();
  });
  afterAll(async () => {
    await second?.stop();
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await new TenantFixture(app, tenant).register();
    admin = await httpAs(app, tenant);
    await admin.post('/v1/call-slots', { callSlotId: 'support', name: 'Support', zone: 'UTC', timeSlots: [] });
    await admin.post('/v1/call-slots/support/time-slots/generate', { grid: roundTheClock(5) });
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const book = (client: HttpClient, startIso: string, extra: Record<string, unknown> = {}) =>
    client.post<BookCallbackResponse & Problem>('/v1/bookings', { callSlotId: 'support', startIso, callbackNumber: '07911 123456', source: 'api', ...extra });
  const loadOf = async (startIso: string): Promise<OccurrenceView> => {
    const date = startIso.slice(0, 10);
    const calendar = await admin.get<CalendarResponse>(`/v1/call-slots/support/calendar?from=${date}&to=${date}`);
    return calendar.body.days[0]!.occurrences.find((o) => o.startIso === startIso)!;
  };

  it('64 clients race for an occurrence of capacity 50 on two instances: exactly 50 win, every loser hears SLOT_FULL', async () => {
    const start = nextHourStart(5, 2);
    await admin.put(`/v1/call-slots/support/occurrences/${start}/capacity`, { capacity: 50 });
    const other = await httpAs(second, tenant);
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => book(i % 2 === 0 ? admin : other, start, { callbackNumber: `+4479111234${String(i).padStart(2, '0')}` })));

    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status !== 201);
    expect(won).toHaveLength(50);
    expect(lost).toHaveLength(14);
    for (const loser of lost) expect(loser.body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.SLOT_FULL' });
    expect(new Set(won.map((r) => r.body.booking.bookingId)).size).toBe(50);

    const stored = await app.app.get<EventStore>(EVENT_STORE).readStream(toTimeSlotStreamId(tenant, 'support', start));
    expect(stored.filter((e) => e.type === 'CallbackBooked')).toHaveLength(50);
    await eventually(async () => (await loadOf(start)).booked === 50);
    expect(await loadOf(start)).toMatchObject({ capacity: 50, booked: 50, free: 0 });
  });

  it('lowering the capacity below the bookings keeps them all and only refuses new ones', async () => {
    const start = nextHourStart(5, 3);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await book(admin, start)).body.booking.bookingId);
    const lowered = await admin.put<OccurrenceView>(`/v1/call-slots/support/occurrences/${start}/capacity`, { capacity: 1 });
    expect(lowered.body).toMatchObject({ capacity: 1, capacityOverridden: true, booked: 3, free: 0 });
    expect((await book(admin, start)).body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.SLOT_FULL' });
    for (const id of ids) expect((await admin.get<BookingView>(`/v1/bookings/${id}`)).body.status).toBe('booked');

    const restored = await admin.put<OccurrenceView>(`/v1/call-slots/support/occurrences/${start}/capacity`, { capacity: null });
    expect(restored.body).toMatchObject({ capacity: 5, capacityOverridden: false, booked: 3, free: 2 });
    expect((await book(admin, start)).status).toBe(201);
    const negative = await admin.put<Problem>(`/v1/call-slots/support/occurrences/${start}/capacity`, { capacity: -1 });
    expect(negative.body).toMatchObject({ status: 400, code: 'CALLBACK_SLOTS.INVALID_CAPACITY' });
  });

  it('rescheduling into a full occurrence keeps the old booking; into a free one moves it and frees the old place', async () => {
    const from = nextHourStart(5, 4);
    const full = nextHourStart(5, 5);
    const free = nextHourStart(5, 6);
    await admin.put(`/v1/call-slots/support/occurrences/${full}/capacity`, { capacity: 1 });
    await book(admin, full, { callbackNumber: '+447911000001' });
    const original = (await book(admin, from)).body.booking;

    const refused = await admin.post<Problem>(`/v1/bookings/${original.bookingId}/reschedule`, { startIso: full });
    expect(refused.body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.SLOT_FULL' });
    expect((await admin.get<BookingView>(`/v1/bookings/${original.bookingId}`)).body).toMatchObject({ status: 'booked', startIso: from });

    const moved = await admin.post<RescheduleBookingResponse>(`/v1/bookings/${original.bookingId}/reschedule`, { startIso: free });
    expect(moved.status).toBe(200);
    expect(moved.body.booking).toMatchObject({ status: 'booked', startIso: free, callbackNumber: '+447911123456', rescheduledFrom: { bookingId: original.bookingId } });
    expect(moved.body.previous).toMatchObject({ status: 'cancelled', cancelReason: 'rescheduled', rescheduledTo: { bookingId: moved.body.booking.bookingId } });
    // A retried request answers with the same move and books nothing new.
    const retried = await admin.post<RescheduleBookingResponse>(`/v1/bookings/${original.bookingId}/reschedule`, { startIso: free });
    expect(retried.body.booking.bookingId).toBe(moved.body.booking.bookingId);

    await eventually(async () => (await loadOf(from)).booked === 0 && (await loadOf(free)).booked === 1);
    const same = await admin.post<Problem>(`/v1/bookings/${moved.body.booking.bookingId}/reschedule`, { startIso: free });
    expect(same.body).toMatchObject({ status: 400, code: 'CALLBACK_SLOTS.RESCHEDULE_TO_SAME_OCCURRENCE' });
  });

  it('cancels a booking once (again changes nothing) and frees its place', async () => {
    const start = nextHourStart(5, 7);
    const booking = (await book(admin, start)).body.booking;
    const cancelled = await admin.post<BookingView>(`/v1/bookings/${booking.bookingId}/cancel`, { note: 'customer called back' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'requested' });
    expect(cancelled.body.cancelledAt).not.toBeNull();
    const again = await admin.post<BookingView>(`/v1/bookings/${booking.bookingId}/cancel`, {});
    expect(again.body).toEqual(cancelled.body);
    const stored = await app.app.get<EventStore>(EVENT_STORE).readStream(toTimeSlotStreamId(tenant, 'support', start));
    expect(stored.map((e) => e.type)).toEqual(['CallbackBooked', 'CallbackCancelled']);
    expect((await admin.post<Problem>(`/v1/bookings/${randomUUID()}/cancel`, {})).body).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.BOOKING_NOT_FOUND' });
  });

  it('an idempotency key books once across occurrences, also when ten retries race', async () => {
    const first = nextHourStart(5, 8);
    const other = nextHourStart(5, 9);
    const key = `renewal-${randomUUID()}`;
    const racing = await Promise.all(Array.from({ length: 10 }, () => book(admin, first, { idempotencyKey: key })));
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 200 && r.body.created === false)).toHaveLength(9);
    expect(new Set(racing.map((r) => r.body.booking.bookingId)).size).toBe(1);

    const elsewhere = await book(admin, other, { idempotencyKey: key });
    expect(elsewhere.body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.IDEMPOTENCY_KEY_REUSED' });
    expect((await book(admin, first, { idempotencyKey: key, callbackNumber: '+447911123457' })).body.code).toBe('CALLBACK_SLOTS.IDEMPOTENCY_KEY_REUSED');

    // A refused booking does not use up its key.
    await admin.put(`/v1/call-slots/support/occurrences/${other}/capacity`, { capacity: 0 });
    const refusedKey = `k-${randomUUID()}`;
    expect((await book(admin, other, { idempotencyKey: refusedKey })).body.code).toBe('CALLBACK_SLOTS.SLOT_FULL');
    expect((await book(admin, first, { idempotencyKey: refusedKey })).status).toBe(201);
  });

  it('checks the callback number, the occurrence and the time', async () => {
    const start = nextHourStart(5, 10);
    expect((await book(admin, start, { callbackNumber: '12' })).body).toMatchObject({ status: 400, code: 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER', errors: [{ path: 'callbackNumber' }] });
    expect((await book(admin, start, { callbackNumber: '09065 000000' })).body).toMatchObject({ status: 400, code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED' });
    await admin.post('/v1/blacklist', { kind: 'prefix', value: '+447911' });
    expect((await book(admin, start)).body).toMatchObject({ status: 422, code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED' });
    await admin.delete('/v1/blacklist/prefix/%2B447911');
    expect((await book(admin, start)).status).toBe(201);

    const offGrid = start.replace(':00:00.000Z', ':30:00.000Z');
    expect((await book(admin, offGrid)).body).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.UNKNOWN_OCCURRENCE' });
    const past = new Date(Date.parse(nextHourStart(0)) - 3 * 3600_000).toISOString();
    expect((await book(admin, past)).body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.SLOT_IN_PAST' });
    expect((await admin.post<Problem>('/v1/bookings', { callSlotId: 'nope', startIso: start, callbackNumber: '07911 123456', source: 'api' })).body.code).toBe(
      'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND',
    );
  });

  it('lists bookings by start with filters and stable pages', async () => {
    const starts = [nextHourStart(5, 11), nextHourStart(5, 12), nextHourStart(5, 13)];
    for (const start of starts) {
      await book(admin, start);
      await book(admin, start, { callbackNumber: '+447911000002' });
    }
    const cancelled = (await book(admin, starts[2]!, { callbackNumber: '+447911000003' })).body.booking;
    await admin.post(`/v1/bookings/${cancelled.bookingId}/cancel`, {});

    const all: BookingView[] = [];
    await eventually(async () => (await admin.get<ListBookingsResponse>('/v1/bookings?status=cancelled')).body.items.length === 1);
    let cursor: string | null = null;
    do {
      const page: { body: ListBookingsResponse } = await admin.get<ListBookingsResponse>(`/v1/bookings?status=booked&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(all).toHaveLength(6);
    expect(all.map((b) => b.startIso)).toEqual([...all.map((b) => b.startIso)].sort());
    const window = await admin.get<ListBookingsResponse>(`/v1/bookings?from=${starts[1]}&to=${starts[2]}`);
    expect(window.body.items.map((b) => b.startIso)).toEqual([starts[1], starts[1]]);
    expect((await admin.get<Problem>('/v1/bookings?cursor=garbage')).body).toMatchObject({ status: 400, errors: [{ path: 'query.cursor' }] });
  });

  it('the reconciler finishes a reschedule interrupted after its first step, or compensates it', async () => {
    const from = nextHourStart(5, 14);
    const to = nextHourStart(5, 15);
    const executor = app.app.get(CommandExecutor);
    /** Runs only the saga's first step (book the target with rescheduledFrom), as a crash right after it would leave it. */
    const interruptedReschedule = async () => {
      const original = (await book(admin, from)).body.booking;
      const stream = await executor.load(toTimeSlotStreamId(tenant, 'support', from), timeSlotDecider);
      const record = stream.state.status === 'Open' ? stream.state.bookings.get(original.bookingId)! : null;
      const command = rescheduleBookCommand({
        now: new Date().toISOString(),
        old: { ref: { bookingId: original.bookingId, callSlotId: 'support', startIso: from }, record: record! },
        target: { callSlotId: 'support', startIso: to, endIso: new Date(Date.parse(to) + 3600_000).toISOString(), capacity: 5, closed: false },
        newBookingId: randomUUID(),
      });
      await executor.execute<TimeSlotState, TimeSlotCommand, Parameters<typeof timeSlotDecider.evolve>[1]>({
        streamId: toTimeSlotStreamId(tenant, 'support', to),
        decider: timeSlotDecider,
        command,
        tenantId: tenant,
      });
      return { original, movedId: command.bookingId };
    };
    const reconciler = app.app.get(RescheduleReconciler);

    const finished = await interruptedReschedule();
    await eventually(async () => (await admin.get<ListBookingsResponse>(`/v1/bookings?from=${to}`)).body.items.some((b) => b.bookingId === finished.movedId));
    expect(await reconciler.reconcileOnce({ graceMs: 0, tenantId: tenant })).toMatchObject({ cancelledOld: 1, compensated: 0, failed: 0 });
    expect((await admin.get<BookingView>(`/v1/bookings/${finished.original.bookingId}`)).body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'rescheduled',
      rescheduledTo: { bookingId: finished.movedId },
    });

    const compensated = await interruptedReschedule();
    await admin.post(`/v1/bookings/${compensated.original.bookingId}/cancel`, {}); // the customer cancelled meanwhile
    await eventually(async () => (await admin.get<ListBookingsResponse>(`/v1/bookings?from=${to}&status=booked`)).body.items.some((b) => b.bookingId === compensated.movedId));
    expect(await reconciler.reconcileOnce({ graceMs: 0, tenantId: tenant })).toMatchObject({ cancelledOld: 0, compensated: 1, failed: 0 });
    expect((await admin.get<BookingView>(`/v1/bookings/${compensated.movedId}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'reschedule-compensated' });

    await eventually(async () => (await reconciler.reconcileOnce({ graceMs: 0, tenantId: tenant })).checked === 0);
  });

  it('a retried reschedule finishes what a crash after the first step left', async () => {
    const from = nextHourStart(5, 16);
    const to = nextHourStart(5, 17);
    const original = (await book(admin, from)).body.booking;
    const executor = app.app.get(CommandExecutor);
    const stream = await executor.load(toTimeSlotStreamId(tenant, 'support', from), timeSlotDecider);
    const record = stream.state.status === 'Open' ? stream.state.bookings.get(original.bookingId)! : null;
    const command = rescheduleBookCommand({
      now: new Date().toISOString(),
      old: { ref: { bookingId: original.bookingId, callSlotId: 'support', startIso: from }, record: record! },
      target: { callSlotId: 'support', startIso: to, endIso: new Date(Date.parse(to) + 3600_000).toISOString(), capacity: 5, closed: false },
      newBookingId: randomUUID(),
    });
    await executor.execute({ streamId: toTimeSlotStreamId(tenant, 'support', to), decider: timeSlotDecider, command, tenantId: tenant });

    const retried = await admin.post<RescheduleBookingResponse>(`/v1/bookings/${original.bookingId}/reschedule`, { startIso: to });
    expect(retried.status).toBe(200);
    expect(retried.body.booking.bookingId).toBe(command.bookingId);
    expect(retried.body.previous).toMatchObject({ status: 'cancelled', cancelReason: 'rescheduled' });
    const target = await app.app.get<EventStore>(EVENT_STORE).readStream(toTimeSlotStreamId(tenant, 'support', to));
    expect(target.filter((e) => e.type === 'CallbackBooked')).toHaveLength(1);
  });
});
