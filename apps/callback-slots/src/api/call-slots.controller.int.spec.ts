// Call slots over HTTP on the real stack: definitions, grid, closed dates, occurrence capacity, the
// calendar, privileges, the call-slot profile and the licence.
import type { CalendarResponse, CallSlotView, ListCallSlotsResponse, OccurrenceView, Problem } from '@cc/contracts';
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

jest.setTimeout(60_000);

describe('call slots over HTTP', () => {
  let app: CallbackSlotsTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startCallbackSlotsTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await new TenantFixture(app, tenant).register();
    admin = await httpAs(app, tenant);
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  it('creates a call slot, generates a grid, reads it back with its revision as ETag', async () => {
    const created = await admin.post<CallSlotView>('/v1/call-slots', {
      callSlotId: 'support',
      name: 'Support',
      zone: 'Europe/London',
      timeSlots: [{ weekday: 'sat', start: '10:00', lengthMinutes: 60, capacity: 2 }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ callSlotId: 'support', status: 'active', revision: 0, settings: { offerWindowDays: 6 } });

    const generated = await admin.post<CallSlotView>('/v1/call-slots/support/time-slots/generate', {
      grid: { weekdays: ['mon', 'tue'], from: '09:00', to: '11:00', everyMinutes: 30, capacity: 5 },
    });
    expect(generated.status).toBe(200);
    expect(generated.body.timeSlots).toHaveLength(9);
    expect(generated.headers.get('etag')).toBe('"1"');

    const read = await admin.get<CallSlotView>('/v1/call-slots/support');
    expect(read.body.revision).toBe(1);
    const list = await eventually(async () => {
      const res = await admin.get<ListCallSlotsResponse>('/v1/call-slots');
      return res.body.items[0]?.revision === 1 ? res.body : undefined;
    });
    expect(list.items.map((c) => c.callSlotId)).toEqual(['support']);

    const stale = await admin.send<Problem>('PUT', '/v1/call-slots/support', { name: 'x', zone: 'UTC', timeSlots: [] }, { 'if-match': '"0"' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONCURRENCY.REVISION_MISMATCH');
  });

  it('refuses bad input with a code and the field path', async () => {
    const overlapping = await admin.post<Problem>('/v1/call-slots', {
      name: 'x',
      zone: 'UTC',
      timeSlots: [
        { weekday: 'mon', start: '09:00', lengthMinutes: 60, capacity: 1 },
        { weekday: 'mon', start: '09:30', lengthMinutes: 30, capacity: 1 },
      ],
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body).toMatchObject({ code: 'CALLBACK_SLOTS.OVERLAPPING_TIME_SLOTS', errors: [{ path: 'timeSlots.1' }] });

    const negative = await admin.post<Problem>('/v1/call-slots', { name: 'x', zone: 'UTC', timeSlots: [{ weekday: 'mon', start: '09:00', lengthMinutes: 60, capacity: -1 }] });
    expect(negative.body).toMatchObject({ status: 400, code: 'CALLBACK_SLOTS.INVALID_CAPACITY', errors: [{ path: 'timeSlots.0.capacity' }] });

    const zone = await admin.post<Problem>('/v1/call-slots', { name: 'x', zone: 'Mars/Olympus', timeSlots: [] });
    expect(zone.body).toMatchObject({ status: 400, code: 'CALLBACK_SLOTS.INVALID_ZONE' });

    const unknown = await admin.get<Problem>('/v1/call-slots/nope');
    expect(unknown.body).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND' });
  });

  it('closes a date and changes one occurrence capacity; the calendar shows capacity, booked and free', async () => {
    await admin.post('/v1/call-slots', { callSlotId: 'cal', name: 'Calendar', zone: 'UTC', timeSlots: [] });
    await admin.post('/v1/call-slots/cal/time-slots/generate', { grid: roundTheClock(3) });
    const start = nextHourStart(5, 24);
    const date = start.slice(0, 10);
    const capacity = await admin.put<OccurrenceView>(`/v1/call-slots/cal/occurrences/${start}/capacity`, { capacity: 1 });
    expect(capacity.status).toBe(200);
    expect(capacity.body).toMatchObject({ startIso: start, capacity: 1, capacityOverridden: true, booked: 0, free: 1 });

    const booked = await admin.post('/v1/bookings', { callSlotId: 'cal', startIso: start, callbackNumber: '+447911123456', source: 'api' });
    expect(booked.status).toBe(201);

    const calendar = await eventually(async () => {
      const res = await admin.get<CalendarResponse>(`/v1/call-slots/cal/calendar?from=${date}&to=${date}`);
      const occurrence = res.body.days[0]?.occurrences.find((o) => o.startIso === start);
      return occurrence?.booked === 1 ? res.body : undefined;
    });
    expect(calendar.days).toHaveLength(1);
    expect(calendar.days[0]!.occurrences).toHaveLength(24);
    expect(calendar.days[0]!.occurrences.find((o) => o.startIso === start)).toMatchObject({ capacity: 1, booked: 1, free: 0 });

    const closed = await admin.put<CallSlotView>(`/v1/call-slots/cal/closed-dates/${date}`, { reason: 'holiday' });
    expect(closed.body.closedDates).toEqual([date]);
    const otherOnDate = start.endsWith('T23:00:00.000Z') ? `${date}T22:00:00.000Z` : `${date}T23:00:00.000Z`;
    const refused = await admin.post<Problem>('/v1/bookings', { callSlotId: 'cal', startIso: otherOnDate, callbackNumber: '+447911123456', source: 'api' });
    expect(refused.body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.OCCURRENCE_CLOSED' });
    const afterClose = await eventually(async () => {
      const res = await admin.get<CalendarResponse>(`/v1/call-slots/cal/calendar?from=${date}&to=${date}`);
      return res.body.days[0]?.closed ? res.body : undefined;
    });
    expect(afterClose.days[0]!.occurrences.every((o) => o.free === 0 && o.closed)).toBe(true);
    const reopened = await admin.delete<CallSlotView>(`/v1/call-slots/cal/closed-dates/${date}`);
    expect(reopened.body.closedDates).toEqual([]);
  });

  it('needs callSlots:read to read and callSlots:write to change', async () => {
    await admin.post('/v1/call-slots', { callSlotId: 'priv', name: 'P', zone: 'UTC', timeSlots: [] });
    const agent = await httpAs(app, tenant, { role: 'AGENT' });
    expect((await agent.get<Problem>('/v1/call-slots')).body).toMatchObject({ status: 403, code: 'AUTH.PRIVILEGE_REQUIRED' });
    const reader = await httpAs(app, tenant, { role: 'MANAGER', privileges: ['callSlots:read'] });
    expect((await reader.get('/v1/call-slots/priv')).status).toBe(200);
    const write = await reader.put<Problem>('/v1/call-slots/priv', { name: 'x', zone: 'UTC', timeSlots: [] });
    expect(write.body).toMatchObject({ status: 403, code: 'AUTH.PRIVILEGE_REQUIRED' });
  });

  it('a login sees only the call slots of its profile: others are 404, lists and bookings are filtered', async () => {
    for (const id of ['sales', 'support']) {
      await admin.post('/v1/call-slots', { callSlotId: id, name: id, zone: 'UTC', timeSlots: [] });
      await admin.post(`/v1/call-slots/${id}/time-slots/generate`, { grid: roundTheClock(5) });
    }
    const start = nextHourStart();
    for (const id of ['sales', 'support']) {
      expect((await admin.post('/v1/bookings', { callSlotId: id, startIso: start, callbackNumber: '+447911123456', source: 'api' })).status).toBe(201);
    }
    const sales = await httpAs(app, tenant, { role: 'MANAGER', privileges: ['callSlots:read', 'callSlots:write'], callSlotProfile: { kind: 'subset', callSlotIds: ['sales'] } });

    const list = await eventually(async () => {
      const res = await sales.get<ListCallSlotsResponse>('/v1/call-slots');
      return res.body.items.length > 0 ? res.body : undefined;
    });
    expect(list.items.map((c) => c.callSlotId)).toEqual(['sales']);
    expect((await sales.get<Problem>('/v1/call-slots/support')).body).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND' });
    expect((await sales.get<Problem>(`/v1/call-slots/support/calendar?from=${start.slice(0, 10)}&to=${start.slice(0, 10)}`)).status).toBe(404);
    const book = await sales.post<Problem>('/v1/bookings', { callSlotId: 'support', startIso: start, callbackNumber: '+447911123456', source: 'api' });
    expect(book.body).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND' });
    const create = await sales.post<Problem>('/v1/call-slots', { callSlotId: 'marketing', name: 'm', zone: 'UTC', timeSlots: [] });
    expect(create.body).toMatchObject({ status: 403, code: 'CALLBACK_SLOTS.OUTSIDE_PROFILE' });

    const all = await eventually(async () => {
      const res = await admin.get<{ items: { callSlotId: string; bookingId: string }[] }>('/v1/bookings');
      return res.body.items.length === 2 ? res.body : undefined;
    });
    const bookings = await sales.get<{ items: { callSlotId: string }[] }>('/v1/bookings');
    expect(bookings.body.items.map((b) => b.callSlotId)).toEqual(['sales']);
    const supportBooking = all.items.find((b) => b.callSlotId === 'support')!;
    expect((await sales.get<Problem>(`/v1/bookings/${supportBooking.bookingId}`)).body).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.BOOKING_NOT_FOUND' });
  });

  it('a tenant without the call-slots licence gets 403 naming the licence, also when it loses it', async () => {
    const unlicensed = uniqueTenant();
    const fixture = new TenantFixture(app, unlicensed);
    await fixture.register([]);
    const client = await httpAs(app, unlicensed);
    try {
      const refused = await client.get<Problem & { detail: string }>('/v1/call-slots');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('CALLBACK_SLOTS.LICENCE_REQUIRED');
      expect(JSON.parse(refused.body.detail)).toEqual({ licence: 'callSlots' });

      await fixture.changeLicence(['callSlots']);
      await eventually(async () => (await client.get('/v1/call-slots')).status === 200);
      await fixture.changeLicence([]);
      await eventually(async () => (await client.get('/v1/call-slots')).status === 403);
    } finally {
      await cleanUpTenant(app, unlicensed);
    }
  });
});
