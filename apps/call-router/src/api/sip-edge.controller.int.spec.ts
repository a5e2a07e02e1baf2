// The Kamailio SIP edge contract (deploy/kamailio/README.md) on the real PostgreSQL and NATS: the routing
// query answered with an rtjson document (tenant from the dialled number), the edge's events by route
// index applied to the call (deduplicated by event id), and the edge's credentials checked.
import { SIP_EDGE_PRIVILEGE, type CallFlowDefinitionInput, type Problem, type SipEdgeEventAck } from '@cc/contracts';
import { eventually, uniqueTenant, type HttpClient } from '@cc/testing';
import { createHash, randomUUID } from 'node:crypto';
import { cleanUpTenant, httpAs, startRouterTestApp, TenantEvents, type RouterTestApp } from '../../test/call-router-test-app';
import type { CallView } from '../calls/call-view.service';
import type { RtjsonDocument } from '../domain/rtjson';
import { agent, agentIdOf, device } from '../domain/routing.fixture';

jest.setTimeout(60_000);

const A2001 = agentIdOf('2001');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('SIP edge', () => {
  let app: RouterTestApp;
  let tenant: string;
  let number: string;
  let admin: HttpClient;
  let edge: HttpClient;

  beforeAll(async () => {
    app = await startRouterTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    // A DID belongs to one tenant: each test gets its own number.
    number = `+4420718${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
    admin = await httpAs(app, tenant, 'ADMIN');
    edge = await httpAs(app, 'platform', 'SERVICE', [SIP_EDGE_PRIVILEGE]);
    const events = new TenantEvents(app.nc, tenant);
    await events.agentRegistered(agent('2001', { ringPreference: { kind: 'simultaneous' } }));
    await events.agentRegistered(agent('2002'));
    await events.deviceChanged(device('2001', 'registered'));
    await events.deviceChanged(device('2002', 'registered'));
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const publish = async (flow: Omit<CallFlowDefinitionInput, 'number'>) => {
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(number)}`, { flow: { ...flow, number } })).status).toBe(200);
  };
  const query = (callId: string, extra: Record<string, unknown> = {}) => ({
    callId,
    did: number.slice(1),
    requestUri: `sip:${number}@edge.example`,
    toUser: number,
    fromUser: '+447700900123',
    sourceIp: '192.0.2.10',
    ...extra,
  });
  const rtjson = (callId: string, extra: Record<string, unknown> = {}) => edge.post<RtjsonDocument & Problem>('/v1/sip/rtjson', query(callId, extra));
  const post = (callId: string, type: string, leg?: number, extra: Record<string, unknown> = {}) =>
    edge.post<SipEdgeEventAck & Problem>(`/v1/calls/${encodeURIComponent(callId)}/events`, {
      id: md5(`${callId}|${type}|${leg ?? ''}`),
      type,
      sipCallId: callId,
      ...(leg === undefined ? {} : { leg }),
      at: Date.now() / 1000,
      ...extra,
    });

  it('answers a serial document (extension, then the agent voicemail) and follows the edge through it', async () => {
    await publish({
      name: 'Support',
      start: 'ring',
      nodes: {
        ring: { type: 'ringAgent', agentId: agentIdOf('2002'), ringSeconds: 20, onNoAnswer: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2002') } },
      },
    });
    const callId = `${randomUUID()}@carrier.example`;
    const doc = await eventually(async () => {
      const res = await rtjson(callId);
      return res.status === 200 && res.body.routes.length === 2 ? res.body : null;
    });
    expect(doc).toMatchObject({
      version: '1.0',
      routing: 'serial',
      routes: [
        { uri: `sip:2002@${tenant}.pbx.local`, fr_timer: 5000, fr_inv_timer: 20000 },
        { uri: `sip:vm-${tenant}-2002@media.local:5060` },
      ],
    });
    expect(doc.routes[0]!.headers!.extra).toContain(`X-CC-Call-Id: ${callId}\r\n`);

    expect((await post(callId, 'no-answer', 0, { sipStatus: 408 })).body).toMatchObject({ outcome: 'applied', note: 'continues at s2' });
    expect((await post(callId, 'no-answer', 0, { sipStatus: 408 })).body).toMatchObject({ outcome: 'duplicate' });
    expect((await post(callId, 'answered', 1)).body).toMatchObject({ outcome: 'ignored' });
    expect((await post(callId, 'hangup', undefined, { by: 'caller' })).body).toMatchObject({ outcome: 'applied', note: 'ended: voicemail' });
    const view = await admin.get<CallView>(`/v1/calls/${encodeURIComponent(callId)}`);
    expect(view.body).toMatchObject({ status: 'ended', outcome: 'voicemail' });
  });

  it('rings extension and mobile together for a simultaneous agent, the mobile with answer confirmation', async () => {
    await publish({
      name: 'Sales',
      start: 'ring',
      nodes: {
        ring: { type: 'ringAgent', agentId: A2001, onNoAnswer: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'sales' } },
      },
    });
    const callId = `${randomUUID()}@carrier.example`;
    const doc = await eventually(async () => {
      const res = await rtjson(callId);
      return res.status === 200 && res.body.routing === 'parallel' ? res.body : null;
    });
    expect(doc.routes.map((r) => r.uri)).toEqual([`sip:2001@${tenant}.pbx.local`, 'sip:+447700902001@pstn-gw.local:5060;user=phone']);
    expect(doc.routes[1]).toMatchObject({ dst_uri: 'sip:media.local:5060' });
    expect(doc.routes[1]!.headers!.extra).toContain('X-CC-Confirm: dtmf=1;timeout=15;prompt=accept-call\r\n');
    expect((await post(callId, 'answered', 1)).body).toMatchObject({ outcome: 'applied', note: 'connected at s1' });
  });

  it('says 404 for a number no tenant routes and 403 for a token that is not the edge', async () => {
    const unknown = await edge.post<Problem>('/v1/sip/rtjson', query('x@y', { did: '442071830000' }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('CALL_ROUTER.NOT_ROUTABLE');
    const tenantService = await httpAs(app, tenant, 'SERVICE');
    expect((await tenantService.post<Problem>('/v1/sip/rtjson', query('x@y'))).status).toBe(403);
    const event = await edge.post<Problem>(`/v1/calls/${encodeURIComponent('never@routed')}/events`, {
      id: md5('never'),
      type: 'hangup',
      sipCallId: 'never@routed',
    });
    expect(event.status).toBe(404);
    expect(event.body.code).toBe('CALL_ROUTER.UNKNOWN_CALL');
  });

  it('hands a call whose flow starts with a menu to the media server IVR', async () => {
    await publish({
      name: 'IVR',
      start: 'welcome',
      nodes: {
        welcome: { type: 'menu', prompt: { kind: 'recording', recordingId: 'welcome.wav' }, options: { '1': 'bye' }, timeoutSeconds: 5, invalidRetries: 0, default: 'bye' },
        bye: { type: 'hangup' },
      },
    });
    const callId = `${randomUUID()}@carrier.example`;
    const doc = await eventually(async () => {
      const res = await rtjson(callId, { privacy: 'id' });
      return res.status === 200 ? res.body : null;
    });
    expect(doc).toMatchObject({ routing: 'serial', routes: [{ uri: 'sip:ivr@media.local:5060' }] });
    expect(doc.routes[0]!.headers!.extra).toContain('X-CC-Ivr: menu\r\n');
  });
});
