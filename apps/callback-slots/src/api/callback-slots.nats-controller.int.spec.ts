// The router's view of callback-slots over NATS request-reply on the real stack: availability ("not
// offered when full"), the IVR offer dialogue step by step with its reporting events, callback numbers
// (withheld CLI, invalid entries), a slot taken meanwhile, limits, the licence and bad requests.
import { randomUUID } from 'node:crypto';
import {
  CallbackSlotsRpc,
  toOfferSessionStreamId,
  type BookingView,
  type CallbackAvailabilityResponse,
  type OfferReply,
  type Problem,
} from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, RemoteProblemError, rpcRequest } from '@cc/platform';
import { eventually, uniqueTenant, type HttpClient } from '@cc/testing';
import {
  cleanUpTenant,
  httpAs,
  nextHourStart,
  roundTheClock,
  rpcAs,
  startCallbackSlotsTestApp,
  TenantFixture,
  type CallbackSlotsTestApp,
} from '../../test/callback-slots-test-app';

jest.setTimeout(60_000);

type Offering = Extract<OfferReply, { status: 'offering' }>;
type AwaitingNumber = Extract<OfferReply, { status: 'awaiting-number' }>;
type Booked = Extract<OfferReply, { status: 'booked' }>;
type Ended = Extract<OfferReply, { status: 'ended' }>;

describe('callback-slots over NATS', () => {
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

  /** Waits until the load table shows the occurrence changes made so far (availability reads it). */
  const loadsSettled = (callSlotId: string, start: string, free: number) =>
    eventually(async () => {
      const date = start.slice(0, 10);
      const res = await admin.get<{ days: { occurrences: { startIso: string; free: number }[] }[] }>(`/v1/call-slots/${callSlotId}/calendar?from=${date}&to=${date}`);
      return res.body.days[0]?.occurrences.find((o) => o.startIso === start)?.free === free;
    });

  /**
   * A call slot with an hourly time slot all day every day (UTC), `capacity` places each; the next two
   * hours are closed to bookings so the first offer is at least an hour away whenever the test runs.
   */
  async function hourlyCallSlot(callSlotId: string, capacity: number, settings: Record<string, unknown> = {}): Promise<string[]> {
    await admin.post('/v1/call-slots', { callSlotId, name: callSlotId, zone: 'UTC', timeSlots: [], settings });
    await admin.post(`/v1/call-slots/${callSlotId}/time-slots/generate`, { grid: roundTheClock(capacity) });
    for (const start of [nextHourStart(0), nextHourStart(0, 1)]) {
      await admin.put(`/v1/call-slots/${callSlotId}/occurrences/${start}/capacity`, { capacity: 0 });
    }
    await loadsSettled(callSlotId, nextHourStart(0, 1), 0);
    const first = Date.parse(nextHourStart(0, 2));
    return Array.from({ length: 6 }, (_, i) => new Date(first + i * 3600_000).toISOString());
  }
  const start = (callSlotId: string, callerCli: string | null) =>
    rpcAs<OfferReply>(app, CallbackSlotsRpc.startOffer.subject, tenant, { callSlotId, callId: `call-${randomUUID()}@pbx.test`, callerCli });
  const key = (sessionId: string, k: string) => rpcAs<OfferReply>(app, CallbackSlotsRpc.offerDtmf.subject, tenant, { sessionId, key: k });
  const digits = (sessionId: string, d: string) => rpcAs<OfferReply>(app, CallbackSlotsRpc.enterCallbackNumber.subject, tenant, { sessionId, digits: d });
  const problemOf = async (request: Promise<unknown>): Promise<Problem> => {
    const error = await request.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteProblemError);
    return (error as RemoteProblemError).problem;
  };
  const reportedTypes = async (sessionId: string) =>
    (await app.app.get<EventStore>(EVENT_STORE).readStream(toOfferSessionStreamId(tenant, sessionId))).map((e) => e.type);

  it('offers slots one by one: decline twice, repeat once, choose the third, keep the own number', async () => {
    const slots = await hourlyCallSlot('support', 5);

    const first = (await start('support', '+447911123456')) as Offering;
    expect(first).toMatchObject({ status: 'offering', slot: { startIso: slots[0], offerNumber: 1, zone: 'UTC' }, menu: { choose: '1', repeat: '2', decline: '3' } });
    const second = (await key(first.sessionId, '3')) as Offering;
    expect(second.slot).toMatchObject({ startIso: slots[1], offerNumber: 2 });
    const third = (await key(first.sessionId, '3')) as Offering;
    expect(third.slot).toMatchObject({ startIso: slots[2], offerNumber: 3 });
    const repeated = (await key(first.sessionId, '2')) as Offering;
    expect(repeated).toMatchObject({ status: 'offering', slot: third.slot, notice: null });
    const wrongKey = (await key(first.sessionId, '9')) as Offering;
    expect(wrongKey).toMatchObject({ status: 'offering', slot: third.slot, notice: { code: 'CALLBACK_SLOTS.INVALID_KEY' } });

    const chosen = (await key(first.sessionId, '1')) as AwaitingNumber;
    expect(chosen).toMatchObject({ status: 'awaiting-number', numberRequired: false, confirmKey: '#', slot: { startIso: slots[2] } });
    const booked = (await key(first.sessionId, '#')) as Booked;
    expect(booked).toMatchObject({ status: 'booked', callbackNumber: '+447911123456', slot: { startIso: slots[2] } });

    const booking = await admin.get<BookingView>(`/v1/bookings/${booked.bookingId}`);
    expect(booking.body).toMatchObject({ source: 'ivr', startIso: slots[2], offerSessionId: first.sessionId, callerCli: '+447911123456' });
    expect(await reportedTypes(first.sessionId)).toEqual([
      'OfferStarted',
      'SlotOffered',
      'OfferDeclined',
      'SlotOffered',
      'OfferDeclined',
      'SlotOffered',
      'OfferRepeated',
      'OfferRepeated',
      'OfferChosen',
      'CallbackNumberEntered',
      'OfferEnded',
    ]);
    expect((await problemOf(key(first.sessionId, '1'))).code).toBe('CALLBACK_SLOTS.OFFER_SESSION_ENDED');
  });

  it('a withheld CLI makes the callback number required; an invalid entry is asked for again, not booked', async () => {
    const slots = await hourlyCallSlot('support', 5);
    const offered = (await start('support', null)) as Offering;
    const chosen = (await key(offered.sessionId, '1')) as AwaitingNumber;
    expect(chosen).toMatchObject({ status: 'awaiting-number', numberRequired: true, repromptsLeft: 3 });

    const ownNumber = (await key(offered.sessionId, '#')) as AwaitingNumber;
    expect(ownNumber).toMatchObject({ status: 'awaiting-number', repromptsLeft: 2, notice: { code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_REQUIRED' } });
    const invalid = (await digits(offered.sessionId, '12345')) as AwaitingNumber;
    expect(invalid).toMatchObject({ status: 'awaiting-number', repromptsLeft: 1, notice: { code: 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER' } });
    const booked = (await digits(offered.sessionId, '07911123456')) as Booked;
    expect(booked).toMatchObject({ status: 'booked', callbackNumber: '+447911123456', slot: { startIso: slots[0] } });
    expect((await admin.get<BookingView>(`/v1/bookings/${booked.bookingId}`)).body).toMatchObject({ callerCli: null, callbackNumber: '+447911123456' });
  });

  it('a blacklisted CLI must give another number; too many invalid entries end the offer without a booking', async () => {
    await hourlyCallSlot('support', 5, { maxNumberReprompts: 1 });
    await admin.post('/v1/blacklist', { kind: 'number', value: '07911 123456' });
    const offered = (await start('support', '07911123456')) as Offering;
    const chosen = (await key(offered.sessionId, '1')) as AwaitingNumber;
    expect(chosen.numberRequired).toBe(true);
    expect((await digits(offered.sessionId, '07911123456')) as AwaitingNumber).toMatchObject({ notice: { code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED' } });
    const ended = (await digits(offered.sessionId, '999')) as Ended;
    expect(ended).toMatchObject({ status: 'ended', reason: 'invalid-number', notice: { code: 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER' } });
    const list = await admin.get<{ items: unknown[] }>('/v1/bookings');
    expect(list.body.items).toEqual([]);
    expect((await reportedTypes(offered.sessionId)).slice(-3)).toEqual(['CallbackNumberRejected', 'CallbackNumberRejected', 'OfferEnded']);
  });

  it('a slot taken meanwhile is said and the next one offered; choosing that books with the number already given', async () => {
    const slots = await hourlyCallSlot('support', 5);
    await admin.put(`/v1/call-slots/support/occurrences/${slots[0]}/capacity`, { capacity: 1 });
    await loadsSettled('support', slots[0]!, 1);
    const offered = (await start('support', '+447911123456')) as Offering;
    expect(offered.slot.startIso).toBe(slots[0]);
    await key(offered.sessionId, '1');
    // Someone else takes the last place before the caller confirms.
    expect((await admin.post('/v1/bookings', { callSlotId: 'support', startIso: slots[0], callbackNumber: '+447911000001', source: 'api' })).status).toBe(201);
    const next = (await key(offered.sessionId, '#')) as Offering;
    expect(next).toMatchObject({ status: 'offering', slot: { startIso: slots[1], offerNumber: 2 }, notice: { code: 'CALLBACK_SLOTS.SLOT_FULL' } });
    const booked = (await key(offered.sessionId, '1')) as Booked;
    expect(booked).toMatchObject({ status: 'booked', slot: { startIso: slots[1] }, callbackNumber: '+447911123456' });
    expect(await reportedTypes(offered.sessionId)).toContain('ChosenSlotUnavailable');
  });

  it('stops at the offer limit: no callback is scheduled', async () => {
    await hourlyCallSlot('support', 5, { offerLimit: 2 });
    const offered = (await start('support', '+447911123456')) as Offering;
    await key(offered.sessionId, '3');
    const ended = (await key(offered.sessionId, '3')) as Ended;
    expect(ended).toMatchObject({ status: 'ended', reason: 'limit-reached' });
  });

  it('a full call slot is not offered: availability says so and the offer answers not-offered', async () => {
    const slots = await hourlyCallSlot('full', 0);
    const availability = await rpcAs<CallbackAvailabilityResponse>(app, CallbackSlotsRpc.availability.subject, tenant, { callSlotId: 'full' });
    expect(availability).toEqual({ callSlotId: 'full', offerable: false, nextFree: null });
    const reply = await start('full', '+447911123456');
    expect(reply.status).toBe('not-offered');
    expect(await reportedTypes(reply.sessionId)).toEqual(['OfferStarted', 'OfferEnded']);

    await admin.put(`/v1/call-slots/full/occurrences/${slots[3]}/capacity`, { capacity: 1 });
    const open = await eventually(async () => {
      const res = await rpcAs<CallbackAvailabilityResponse>(app, CallbackSlotsRpc.availability.subject, tenant, { callSlotId: 'full' });
      return res.offerable ? res : undefined;
    });
    expect(open.nextFree).toMatchObject({ startIso: slots[3], capacity: 1, booked: 0, free: 1 });
  });

  it('answers a tenant without the licence, an unknown call slot or session, and a malformed request with a problem', async () => {
    const unlicensed = uniqueTenant();
    await new TenantFixture(app, unlicensed).register([]);
    try {
      const refused = await problemOf(rpcAs(app, CallbackSlotsRpc.availability.subject, unlicensed, { callSlotId: 'x' }));
      expect(refused).toMatchObject({ status: 403, code: 'CALLBACK_SLOTS.LICENCE_REQUIRED' });
    } finally {
      await cleanUpTenant(app, unlicensed);
    }
    expect(await problemOf(start('nope', null))).toMatchObject({ status: 404, code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND' });
    expect(await problemOf(key(randomUUID(), '1'))).toMatchObject({ status: 410, code: 'CALLBACK_SLOTS.OFFER_SESSION_EXPIRED' });
    const malformed = await problemOf(rpcRequest(app.nc, CallbackSlotsRpc.offerDtmf.subject, { tenantId: tenant, actor: 'x', payload: { sessionId: 'nope', key: '11' } }));
    expect(malformed.status).toBe(400);
    expect(malformed.errors?.map((e) => e.path).sort()).toEqual(['payload.key', 'payload.sessionId']);
  });
});
