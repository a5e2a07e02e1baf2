// Campaigns on the real PostgreSQL, Redis and NATS, booking through the real BookingService: a bulk
// submit of a thousand items into named slots and "earliest free" windows under a per-campaign cap,
// with per-item results for bad items, duplicates and reused keys; a resubmit books nothing new;
// concurrent submits never pass the cap; progress and counts; items over NATS; cancel a campaign.
import { randomUUID } from 'node:crypto';
import { rpcRequest, RemoteProblemError } from '@cc/platform';
import { eventually, uniqueTenant } from '@cc/testing';
import {
  CampaignRpc,
  toTimeSlotStreamId,
  type CampaignItemResult,
  type CampaignView,
  type CancelCampaignResponse,
  type Problem,
  type SubmitCampaignItemsResponse,
} from '@cc/contracts';
import { EVENT_STORE } from '@cc/platform';
import type { EventStore } from '@cc/event-store';
import { CampaignsProjectionRunner } from './projections/campaigns.projection-runner';
import { createHourlyCallSlot, hourStart, registerLicensedTenant, startCampaignsTestApp, type CampaignsTestApp } from './testing/campaigns-test-app';

jest.setTimeout(180_000);

describe('campaigns', () => {
  let app: CampaignsTestApp;
  let tenantId: string;

  beforeAll(async () => {
    app = await startCampaignsTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenantId = uniqueTenant();
    await registerLicensedTenant(app, tenantId);
  });

  const number = (i: number) => `07911 ${String(100000 + i)}`;
  const slotItem = (key: string, i: number, startIso: string, callSlotId = 'hourly') => ({
    idempotencyKey: key,
    callbackNumber: number(i),
    target: { kind: 'slot', callSlotId, startIso },
  });
  const windowItem = (key: string, i: number, from: string, to: string) => ({
    idempotencyKey: key,
    callbackNumber: number(i),
    target: { kind: 'earliest', callSlotId: 'hourly', from, to },
  });
  const submit = async (campaignId: string, items: unknown[]) => {
    const res = await (await app.as(tenantId)).post<SubmitCampaignItemsResponse>(`/v1/campaigns/${campaignId}/items`, { items });
    expect(res.status).toBe(200);
    return res.body;
  };
  const configure = async (campaignId: string, capPerTimeSlot: number | null) => {
    const res = await (await app.as(tenantId)).put<CampaignView>(`/v1/campaigns/${campaignId}`, { name: `Campaign ${campaignId}`, capPerTimeSlot });
    expect(res.status).toBe(200);
  };
  /** Live bookings of a campaign per occurrence, from the occurrence streams (the truth). */
  const campaignBookingsAt = async (campaignId: string, startIso: string) => {
    const events = await app.app.get<EventStore>(EVENT_STORE, { strict: false }).readStream(toTimeSlotStreamId(tenantId, 'hourly', startIso));
    const live = new Set<string>();
    for (const e of events) {
      const data = e.data as { bookingId: string; campaignId?: string | null };
      if (e.type === 'CallbackBooked' && data.campaignId === campaignId) live.add(data.bookingId);
      if (e.type === 'CallbackCancelled') live.delete(data.bookingId);
    }
    return live.size;
  };

  it('books a thousand items in one request: a result per item, the cap per time slot held, bad items answered alone', async () => {
    await createHourlyCallSlot(app, tenantId, 'hourly', 5);
    await configure('winter', 3);
    const named = Array.from({ length: 20 }, (_, h) => hourStart(h));
    const items: unknown[] = [];
    // 60 named items: 3 per occurrence, exactly the cap.
    for (let i = 0; i < 60; i++) items.push(slotItem(`named-${i}`, i, named[i % 20]!));
    // 2 more into the first occurrence: over the campaign's cap (the occurrence itself has room).
    items.push(slotItem('over-cap-1', 900, named[0]!), slotItem('over-cap-2', 901, named[0]!));
    // 900 into a window of 400 hours after those: at most 3 per occurrence, earliest first.
    const from = hourStart(20);
    const to = hourStart(420);
    for (let i = 0; i < 900; i++) items.push(windowItem(`window-${i}`, 1000 + i, from, to));
    // Per-item refusals and bad input.
    items.push({ ...slotItem('bad-number', 0, hourStart(500)), callbackNumber: '12' });
    items.push(slotItem('past', 2000, hourStart(-3)));
    items.push(slotItem('not-an-occurrence', 2001, new Date(Date.parse(named[2]!) + 60_000).toISOString()));
    items.push({ idempotencyKey: 'shapeless', callbackNumber: 7, target: { kind: 'someday' } });
    items.push(windowItem('window-over', 2002, new Date(Date.now() - 7_200_000).toISOString(), new Date(Date.now() - 3_600_000).toISOString()));
    // The same item twice in one request, and a reused key with other content.
    items.push(slotItem('named-0', 0, named[0]!));
    items.push(slotItem('named-1', 99_999, named[1]!));

    const started = Date.now();
    const response = await submit('winter', items);
    const elapsed = Date.now() - started;
    process.stdout.write(`campaign submit: ${items.length} items in ${elapsed} ms (${Math.round((items.length / elapsed) * 1000)} items/s): ${JSON.stringify(response.counts)}\n`);

    const byKey = new Map<string, CampaignItemResult[]>();
    for (const r of response.results) byKey.set(r.idempotencyKey ?? `#${r.index}`, [...(byKey.get(r.idempotencyKey ?? `#${r.index}`) ?? []), r]);
    expect(response.results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    expect(response.results.filter((r) => r.outcome === 'rejected').map((r) => `${r.idempotencyKey}: ${r.reason}`).sort()).toEqual([
      'bad-number: invalid-number',
      'not-an-occurrence: unknown-slot',
      'over-cap-1: campaign-cap',
      'over-cap-2: campaign-cap',
      'past: in-past',
      'window-over: outside-window',
    ]);
    expect(response.counts).toEqual({ booked: 960, duplicate: 1, rejected: 6, conflict: 1, invalid: 1 });
    expect(byKey.get('over-cap-1')![0]).toMatchObject({ outcome: 'rejected', status: 422, reason: 'campaign-cap' });
    expect(byKey.get('bad-number')![0]).toMatchObject({ outcome: 'rejected', reason: 'invalid-number' });
    expect(byKey.get('past')![0]).toMatchObject({ outcome: 'rejected', reason: 'in-past' });
    expect(byKey.get('not-an-occurrence')![0]).toMatchObject({ outcome: 'rejected', reason: 'unknown-slot' });
    expect(byKey.get('window-over')![0]).toMatchObject({ outcome: 'rejected', reason: 'outside-window' });
    expect(byKey.get('shapeless')![0]).toMatchObject({ outcome: 'invalid', status: 400 });
    expect(byKey.get('shapeless')![0]!.problem!.errors.map((e) => e.path).sort()).toEqual(['callbackNumber', 'target.kind']);
    const [first, again] = byKey.get('named-0')!;
    expect(first).toMatchObject({ outcome: 'booked', status: 201 });
    expect(again).toMatchObject({ outcome: 'duplicate', status: 200, booking: first!.booking });
    expect(byKey.get('named-1')![1]).toMatchObject({ outcome: 'conflict', status: 409, problem: { code: 'CALLBACK_SLOTS.CAMPAIGN_ITEM_KEY_REUSED' } });

    // The cap held in every occurrence, and the window was filled earliest first.
    for (const startIso of named) expect(await campaignBookingsAt('winter', startIso)).toBe(3);
    const windowStarts = response.results.filter((r) => r.idempotencyKey?.startsWith('window-') && r.outcome === 'booked').map((r) => r.booking!.startIso);
    const perOccurrence = new Map<string, number>();
    for (const s of windowStarts) perOccurrence.set(s, (perOccurrence.get(s) ?? 0) + 1);
    expect(Math.max(...perOccurrence.values())).toBe(3);
    // Earliest first: the first 300 occurrences of the window, give or take those that concurrent items
    // passed over while another item was booking them (at most one per item in flight, 8).
    const used = [...perOccurrence.keys()].sort();
    expect(used[0]).toBe(from);
    expect(Date.parse(used[used.length - 1]!)).toBeLessThan(Date.parse(from) + (300 + 8) * 3_600_000);

    // Resubmitting the whole batch books nothing new.
    const again2 = await submit('winter', items);
    expect(again2.counts).toEqual({ booked: 0, duplicate: 961, rejected: 6, conflict: 1, invalid: 1 });

    // Progress and counts.
    await app.app.get(CampaignsProjectionRunner).caughtUp();
    const view = await (await app.as(tenantId)).get<CampaignView>('/v1/campaigns/winter');
    expect(view.body).toMatchObject({
      campaignId: 'winter',
      capPerTimeSlot: 3,
      status: 'active',
      counts: { booked: 960, scheduled: 960, cancelled: 0, completed: 0, failed: 0 },
      inProgress: [],
    });
    expect(view.body.counts.rejected).toMatchObject({ 'campaign-cap': 2, 'invalid-number': 1, 'in-past': 1, 'unknown-slot': 1, 'outside-window': 1, full: 0 });
  });

  it('two submits racing for the same occurrence never pass the campaign cap', async () => {
    await createHourlyCallSlot(app, tenantId, 'hourly', 20);
    await configure('race', 3);
    const startIso = hourStart(2);
    const batch = (prefix: string) => Array.from({ length: 5 }, (_, i) => slotItem(`${prefix}-${i}`, i, startIso));
    const [a, b] = await Promise.all([submit('race', batch('a')), submit('race', batch('b'))]);
    expect(a.counts.booked + b.counts.booked).toBe(3);
    expect(a.counts.rejected + b.counts.rejected).toBe(7);
    expect(await campaignBookingsAt('race', startIso)).toBe(3);
  });

  it('takes a stream of item chunks over NATS', async () => {
    await createHourlyCallSlot(app, tenantId, 'hourly', 10);
    await configure('stream', null);
    const startIso = hourStart(3);
    const send = (items: unknown[]) =>
      // The queue group "callback-slots" is shared with every callback-slots app alive on this NATS (other
      // test files have other databases): one that does not know the campaign answers 404, so ask again.
      eventually(async () => {
        try {
          return await rpcRequest<SubmitCampaignItemsResponse>(app.nc, CampaignRpc.submitItems.subject, { tenantId, actor: 'service:campaigns', payload: { campaignId: 'stream', items } }, { timeoutMs: 20_000 });
        } catch (error) {
          if (error instanceof RemoteProblemError && ['CALLBACK_SLOTS.CAMPAIGN_NOT_FOUND', 'CALLBACK_SLOTS.LICENCE_REQUIRED'].includes(error.problem.code)) throw error;
          return { error } as never;
        }
      }, 30_000);
    const chunks = [0, 1, 2].map((c) => Array.from({ length: 3 }, (_, i) => slotItem(`s-${c}-${i}`, c * 10 + i, startIso)));
    const answers = [];
    for (const chunk of chunks) answers.push(await send(chunk));
    expect(answers.map((a) => a.counts.booked)).toEqual([3, 3, 3]);
    expect((await send(chunks[0]!)).counts.duplicate).toBe(3);
  });

  it('refuses a submit for an unknown campaign and bad requests as a whole', async () => {
    const admin = await app.as(tenantId);
    const unknown = await admin.post<Problem>('/v1/campaigns/nope/items', { items: [slotItem('k', 1, hourStart(1))] });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'CALLBACK_SLOTS.CAMPAIGN_NOT_FOUND' } });
    await configure('empty', null);
    const empty = await admin.post<Problem>('/v1/campaigns/empty/items', { items: [] });
    expect(empty).toMatchObject({ status: 400, body: { errors: [{ path: 'items' }] } });
    const unlicensed = await (await app.as(uniqueTenant())).post<Problem>('/v1/campaigns/empty/items', { items: [slotItem('k', 1, hourStart(1))] });
    expect(unlicensed.status).toBe(403);
  });

  it('cancels a whole campaign: every booking it made is cancelled, and it takes no more items', async () => {
    await createHourlyCallSlot(app, tenantId, 'hourly', 10);
    await configure('spring', null);
    const startIso = hourStart(5);
    const items = Array.from({ length: 25 }, (_, i) => slotItem(`c-${i}`, i, hourStart(5 + (i % 5))));
    expect((await submit('spring', items)).counts.booked).toBe(25);
    const admin = await app.as(tenantId);
    const cancelled = await admin.post<CancelCampaignResponse>('/v1/campaigns/spring/cancel', { reason: 'offer withdrawn' });
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled', bookingsCancelled: 25, alreadyCancelled: 0 } });
    expect(await campaignBookingsAt('spring', startIso)).toBe(0);
    const later = await admin.post<Problem>('/v1/campaigns/spring/items', { items: [slotItem(`late-${randomUUID()}`, 99, startIso)] });
    expect(later).toMatchObject({ status: 409, body: { code: 'CALLBACK_SLOTS.CAMPAIGN_CANCELLED' } });
    const again = await admin.post<CancelCampaignResponse>('/v1/campaigns/spring/cancel', {});
    expect(again.body).toMatchObject({ bookingsCancelled: 0 });
    await app.app.get(CampaignsProjectionRunner).caughtUp();
    const view = await admin.get<CampaignView>('/v1/campaigns/spring');
    expect(view.body).toMatchObject({ status: 'cancelled', counts: { booked: 25, scheduled: 0, cancelled: 25 } });
  });
});
