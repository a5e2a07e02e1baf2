// Offer sessions in Redis on a clock the test moves: expiry (a step after the TTL is refused as gone,
// the sweeper reports it once), TTL renewal by steps, two keys racing on one session, hang-up.
import type { OfferReply } from '@cc/contracts';
import { toOfferSessionStreamId } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE } from '@cc/platform';
import { eventually, ManualClock, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, roundTheClock, startCallbackSlotsTestApp, TenantFixture, type CallbackSlotsTestApp } from '../../test/callback-slots-test-app';
import { OfferSessionSweeper } from './offer-session.sweeper';

jest.setTimeout(60_000);

type Offering = Extract<OfferReply, { status: 'offering' }>;
const TTL_SECONDS = 30;

describe('offer sessions', () => {
  let app: CallbackSlotsTestApp;
  let clock: ManualClock;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    app = await startCallbackSlotsTestApp({ clock });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    clock.set(new Date());
    tenant = uniqueTenant();
    await new TenantFixture(app, tenant).register();
    admin = await httpAs(app, tenant);
    await admin.post('/v1/call-slots', { callSlotId: 'support', name: 'Support', zone: 'UTC', timeSlots: [], settings: { offerSessionTtlSeconds: TTL_SECONDS } });
    await admin.post('/v1/call-slots/support/time-slots/generate', { grid: roundTheClock(5) });
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const start = async (): Promise<Offering> => {
    const res = await admin.post<Offering>('/v1/offers', { callSlotId: 'support', callId: 'call-1@pbx.test', callerCli: '+447911123456' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('offering');
    return res.body;
  };
  const press = (sessionId: string, key: string) => admin.post<OfferReply & { code?: string }>(`/v1/offers/${sessionId}/dtmf`, { key });
  const reported = async (sessionId: string) => app.app.get<EventStore>(EVENT_STORE).readStream(toOfferSessionStreamId(tenant, sessionId));
  const sweeper = () => app.app.get(OfferSessionSweeper);

  it('a step after the TTL is refused as gone; the sweeper ends the session as expired, once', async () => {
    const offered = await start();
    clock.advance((TTL_SECONDS + 1) * 1000);
    expect((await press(offered.sessionId, '1')).body).toMatchObject({ status: 410, code: 'CALLBACK_SLOTS.OFFER_SESSION_EXPIRED' });

    expect(await sweeper().sweepOnce(tenant)).toBe(1);
    expect(await sweeper().sweepOnce(tenant)).toBe(0);
    const events = await reported(offered.sessionId);
    expect(events.map((e) => e.type)).toEqual(['OfferStarted', 'SlotOffered', 'OfferEnded']);
    expect(events[2]!.data).toMatchObject({ reason: 'expired', bookingId: null, offeredCount: 1 });
    expect((await press(offered.sessionId, '1')).body).toMatchObject({ status: 409, code: 'CALLBACK_SLOTS.OFFER_SESSION_ENDED' });
  });

  it('every step renews the TTL, so an active dialogue is never swept', async () => {
    const offered = await start();
    for (let i = 0; i < 3; i++) {
      clock.advance((TTL_SECONDS - 5) * 1000);
      expect((await press(offered.sessionId, '2')).body.status).toBe('offering');
    }
    expect(await sweeper().sweepOnce(tenant)).toBe(0);
    clock.advance(TTL_SECONDS * 1000);
    expect(await sweeper().sweepOnce(tenant)).toBe(1);
  });

  it('two keys racing on one session run one after the other: two declines offer two further slots', async () => {
    const offered = await start();
    const [a, b] = await Promise.all([press(offered.sessionId, '3'), press(offered.sessionId, '3')]);
    const numbers = [(a.body as Offering).slot.offerNumber, (b.body as Offering).slot.offerNumber].sort();
    expect(numbers).toEqual([2, 3]);
    const types = (await reported(offered.sessionId)).map((e) => e.type);
    expect(types.filter((t) => t === 'OfferDeclined')).toHaveLength(2);
    expect(types.filter((t) => t === 'SlotOffered')).toHaveLength(3);
  });

  it('a hang-up ends the session as abandoned', async () => {
    const offered = await start();
    const ended = await admin.post<OfferReply>(`/v1/offers/${offered.sessionId}/abandon`);
    expect(ended.body).toEqual({ sessionId: offered.sessionId, status: 'ended', reason: 'abandoned', notice: null });
    await eventually(async () => (await reported(offered.sessionId)).at(-1)?.type === 'OfferEnded');
    expect(await sweeper().sweepOnce(tenant)).toBe(0);
  });
});
