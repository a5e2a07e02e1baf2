// Call records are written in batches (one statement for many calls). A batch holding a call whose stream
// exists already is refused by the store as a whole; the recorder then writes call by call, so every other
// call is still recorded and only that one counts as a duplicate. Real PostgreSQL, NATS and router.
import { randomUUID } from 'node:crypto';
import { toCallStreamId, type RoutePlan } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, Metrics } from '@cc/platform';
import { uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, startRouterTestApp, TenantEvents, type RouterTestApp } from '../../test/call-router-test-app';
import { agent, device, ringThenVoicemailInput } from '../domain/routing.fixture';
import { CallRecorder } from './call-recorder';

jest.setTimeout(60_000);

const NUMBER = '+442071838500';

describe('call records in batches', () => {
  let app: RouterTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    // One write at a time, so the calls routed while it runs queue up and go together in the next one.
    app = await startRouterTestApp({ config: { ROUTER_RECORD_CONCURRENCY: 1, ROUTER_RECORD_BATCH: 50 } });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    const events = new TenantEvents(app.nc, tenant);
    await events.agentRegistered(agent('2001'));
    await events.deviceChanged(device('2001', 'registered'));
    admin = await httpAs(app, tenant, 'ADMIN');
    const flow = ringThenVoicemailInput(NUMBER, 'Batch line', '2001');
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow })).status).toBe(200);
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const recordOutcomes = async (): Promise<Record<string, number>> => {
    const text = await app.app.get(Metrics).registry.getSingleMetricAsString('cc_call_router_call_records_total');
    const counts: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const outcome = /outcome="(\w+)"/.exec(line)?.[1];
      if (outcome && !line.startsWith('#')) counts[outcome] = Number(line.split(' ').pop());
    }
    return counts;
  };
  const route = (callId: string) => admin.post<RoutePlan>('/v1/route', { callId, number: NUMBER, cli: '+447700900123' });

  it('records every call of a batch; one whose stream exists already is the only duplicate', async () => {
    const store = app.app.get<EventStore>(EVENT_STORE);
    const recorder = app.app.get(CallRecorder);
    const taken = `taken-${randomUUID()}`;
    // Someone recorded this call id before (another instance, say): its stream exists.
    await store.append(
      toCallStreamId(tenant, taken),
      [{ id: randomUUID(), type: 'CallReceived', version: 1, tenantId: tenant, occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, actor: null, data: { earlier: true } }],
      'no_stream',
    );
    // Warm up the tenant (flow, replicas) so the calls below are routed back to back.
    expect((await route(`warm-${randomUUID()}`)).status).toBe(200);
    await recorder.idle();
    const before = await recordOutcomes();

    const callIds = Array.from({ length: 20 }, (_, i) => `batch-${i}-${randomUUID()}`);
    const replies = await Promise.all([...callIds.slice(0, 10), taken, ...callIds.slice(10)].map(route));
    expect(replies.map((reply) => reply.status)).toEqual(Array(21).fill(200));
    await recorder.idle();

    for (const callId of callIds) {
      const recorded = await store.readStream(toCallStreamId(tenant, callId));
      expect(recorded[0]).toMatchObject({ type: 'CallReceived', revision: 0 });
    }
    const takenStream = await store.readStream(toCallStreamId(tenant, taken));
    expect(takenStream).toHaveLength(1);
    expect(takenStream[0]!.data).toEqual({ earlier: true });
    const after = await recordOutcomes();
    expect((after.stored ?? 0) - (before.stored ?? 0)).toBe(20);
    expect((after.duplicate ?? 0) - (before.duplicate ?? 0)).toBe(1);
  });
});
