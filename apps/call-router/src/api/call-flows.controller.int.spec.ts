// Call flows over HTTP and NATS on the real PostgreSQL and NATS: versioned publishing of validated graphs,
// optimistic concurrency on versions, reads, listing, retiring, and tenant isolation.
import { CallFlowRpc, type CallFlowDefinitionInput, type CallFlowView, type ListCallFlowsResponse, type PublishCallFlowResponse, type Problem } from '@cc/contracts';
import { rpcRequest } from '@cc/platform';
import { eventually, uniqueTenant } from '@cc/testing';
import { cleanUpTenant, httpAs, startRouterTestApp, type RouterTestApp } from '../../test/call-router-test-app';

jest.setTimeout(60_000);

const NUMBER = '+442071838100';
const path = `/v1/call-flows/${encodeURIComponent(NUMBER)}`;
const AGENT = '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a';

const ringThenVoicemail = (name = 'Main line'): CallFlowDefinitionInput => ({
  number: NUMBER,
  name,
  start: 'ring',
  nodes: {
    ring: { type: 'ringAgent', agentId: AGENT, onNoAnswer: 'vm' },
    vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: AGENT } },
  },
});

describe('call flows API', () => {
  let app: RouterTestApp;
  let tenant: string;

  beforeAll(async () => {
    app = await startRouterTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    tenant = uniqueTenant();
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  it('publishes versions, keeps an unchanged publish at its version, and reads the current one with its ETag', async () => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    const first = await admin.put<PublishCallFlowResponse>(path, { flow: ringThenVoicemail() });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ number: NUMBER, version: 1, status: 'published', changed: true });
    expect(first.body.flow.settings).toEqual({ defaultRingSeconds: 30, mobileAnswerConfirmation: true, divertHopLimit: 5 });

    const again = await admin.put<PublishCallFlowResponse>(path, { flow: ringThenVoicemail() });
    expect(again.body).toMatchObject({ version: 1, changed: false });

    const second = await admin.put<PublishCallFlowResponse>(path, { flow: ringThenVoicemail('Renamed'), expectedVersion: 1 });
    expect(second.body).toMatchObject({ version: 2, changed: true });

    const read = await admin.get<CallFlowView>(path);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');
    expect(read.body).toMatchObject({ version: 2, status: 'published', flow: { name: 'Renamed' } });
  });

  it('refuses a stale version (If-Match) with the current version', async () => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    await admin.put(path, { flow: ringThenVoicemail() });
    await admin.put(path, { flow: ringThenVoicemail('B') });
    const stale = await admin.send<Problem & { detail?: string }>('PUT', path, { flow: ringThenVoicemail('C') }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CALL_ROUTER.FLOW_VERSION_CONFLICT');
    expect(JSON.parse(stale.body.detail!)).toEqual({ currentVersion: 2 });
  });

  it.each<[string, (flow: CallFlowDefinitionInput) => unknown, string, string]>([
    ['a dangling edge', (f) => ({ ...f, nodes: { ...f.nodes, ring: { type: 'ringAgent', agentId: AGENT, onNoAnswer: 'nowhere' } } }), 'CALL_ROUTER.INVALID_FLOW', 'nodes.ring.onNoAnswer'],
    ['a missing start node', (f) => ({ ...f, start: 'welcome' }), 'CALL_ROUTER.INVALID_FLOW', 'start'],
    ['a flow for another number', (f) => ({ ...f, number: '+442071838199' }), 'VALIDATION.INVALID_INPUT', 'flow.number'],
    ['an unknown node type', (f) => ({ ...f, nodes: { ...f.nodes, vm: { type: 'teleport' } } }), 'VALIDATION.INVALID_INPUT', 'flow.nodes.vm.type'],
  ])('refuses %s with a field path', async (_, change, code, errorPath) => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    const res = await admin.put<Problem>(path, { flow: change(ringThenVoicemail()) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.errors?.map((e) => e.path)).toContain(errorPath);
  });

  it('lists the tenant flows and retires one; other tenants see none of it', async () => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    await admin.put(path, { flow: ringThenVoicemail() });
    const retired = await admin.delete<CallFlowView>(path, { reason: 'number ported out' });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ version: 1, status: 'retired' });
    const list = await admin.get<ListCallFlowsResponse>('/v1/call-flows');
    expect(list.body.items).toEqual([expect.objectContaining({ number: NUMBER, version: 1, status: 'retired' })]);

    const other = await httpAs(app, uniqueTenant(), 'ADMIN');
    expect((await other.get<ListCallFlowsResponse>('/v1/call-flows')).body.items).toEqual([]);
    expect((await other.get<Problem>(path)).body.code).toBe('CALL_ROUTER.FLOW_NOT_FOUND');
  });

  it('lets managers read but not publish', async () => {
    const manager = await httpAs(app, tenant, 'MANAGER');
    expect((await manager.put<Problem>(path, { flow: ringThenVoicemail() })).status).toBe(403);
    expect((await manager.get<Problem>(path)).status).toBe(404);
  });

  it('offers the same operations over NATS', async () => {
    const request = (payload: unknown) => ({ tenantId: tenant, actor: 'service:provisioning', payload });
    const published = await rpcRequest<PublishCallFlowResponse>(app.nc, CallFlowRpc.publish.subject, request({ flow: ringThenVoicemail() }));
    expect(published).toMatchObject({ version: 1, changed: true });
    expect(await rpcRequest<CallFlowView>(app.nc, CallFlowRpc.get.subject, request({ number: NUMBER }))).toMatchObject({ version: 1 });
    // Any instance of the queue group may answer the list, each from its replica (the flow arrives within ms).
    const list = await eventually(async () => {
      const reply = await rpcRequest<ListCallFlowsResponse>(app.nc, CallFlowRpc.list.subject, request({}));
      return reply.items.length > 0 ? reply : null;
    });
    expect(list.items.map((i) => i.number)).toEqual([NUMBER]);
    await expect(rpcRequest(app.nc, CallFlowRpc.get.subject, request({ number: '12' }))).rejects.toMatchObject({
      problem: { code: 'VALIDATION.INVALID_INPUT', status: 400 },
    });
  });
});
