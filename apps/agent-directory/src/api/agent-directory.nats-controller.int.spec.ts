// The agent-directory NATS request-reply API (`agent-directory.<verb>`) and device state on the real NATS
// and PostgreSQL: the queries other services ask, the SIP edge's reports over NATS and HTTP (stale reports
// change nothing), and errors as the same problem objects as over HTTP (codes and field paths survive).
import {
  AgentDirectoryRpc,
  type AgentResponse,
  type DeviceState,
  type DeviceStateReportResult,
  type EffectivePermissions,
  type IsWorkingResponse,
  type ListAgentsResponse,
  type Problem,
  type ReporteesResponse,
  type TenantResponse,
} from '@cc/contracts';
import { RemoteProblemError, rpcRequest } from '@cc/platform';
import { uniqueTenant, type HttpClient } from '@cc/testing';
import {
  cleanUpTenant,
  holdNatsRequestWindow,
  httpAs,
  registerTenant,
  startDirectoryTestApp,
  type DirectoryTestApp,
} from '../../test/agent-directory-test-app';

jest.setTimeout(60_000);

describe('agent-directory NATS request-reply API and device state', () => {
  let app: DirectoryTestApp;
  let tenant: string;
  let admin: HttpClient;
  let releaseNatsWindow: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    app = await startDirectoryTestApp();
    // Requests may be answered by an agent-directory test app of another test file: none closes meanwhile.
    releaseNatsWindow = await holdNatsRequestWindow();
  });
  afterAll(async () => {
    await releaseNatsWindow?.();
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await registerTenant(app, tenant, { features: ['callSlots'] });
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const call = <T>(rpc: { subject: string }, payload: unknown, actor = 'service:call-router'): Promise<T> =>
    rpcRequest<T>(app.nc, rpc.subject, { tenantId: tenant, actor, payload });
  const problemOf = async (promise: Promise<unknown>): Promise<Problem> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteProblemError);
    return (error as RemoteProblemError).problem;
  };
  const register = async (body: Record<string, unknown>): Promise<AgentResponse> => {
    const res = await admin.post<AgentResponse>('/v1/agents', body);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('answers the queries other services ask: tenant, agent, list, isWorking, reportees, permissions', async () => {
    const boss = await register({ name: 'Boss', extension: '2000', role: 'MANAGER' });
    const ada = await register({
      name: 'Ada',
      extension: '2001',
      managerId: boss.agent.agentId,
      workingHours: { mode: 'weekly', ranges: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '13:00', end: '17:00' }] },
    });
    expect((await admin.post('/v1/logins', { loginId: 'boss', role: 'MANAGER', agentId: boss.agent.agentId })).status).toBe(201);

    expect(await call<TenantResponse>(AgentDirectoryRpc.getTenant, {})).toMatchObject({ tenant: { tenantId: tenant, licence: { features: ['callSlots'] } }, revision: 0 });
    expect(await call<AgentResponse>(AgentDirectoryRpc.getAgent, { agentId: ada.agent.agentId })).toEqual(ada);
    const listed = await call<ListAgentsResponse>(AgentDirectoryRpc.listAgents, { extension: '2001' });
    expect(listed).toEqual({ items: [ada.agent], nextCursor: null });
    const working = await call<IsWorkingResponse>(AgentDirectoryRpc.isWorking, { agentId: ada.agent.agentId, at: '2026-11-23T12:15:00Z' });
    expect(working).toMatchObject({ working: false, reason: 'outsideRanges', nextChange: '2026-11-23T13:00:00.000Z', timezone: 'Europe/London' });
    const reportees = await call<ReporteesResponse>(AgentDirectoryRpc.reportees, { managerId: boss.agent.agentId });
    expect(reportees.reportees).toEqual([{ agentId: ada.agent.agentId, managerId: boss.agent.agentId, depth: 1 }]);
    const permissions = await call<EffectivePermissions>(AgentDirectoryRpc.effectivePermissions, { loginId: 'boss' });
    expect(permissions).toMatchObject({ loginId: 'boss', role: 'MANAGER', callLogScope: 'reportees', agentId: boss.agent.agentId });
  });

  it('answers errors as problems: codes, statuses and field paths survive the hop', async () => {
    const unknown = await problemOf(call(AgentDirectoryRpc.getAgent, { agentId: '00000000-0000-4000-8000-000000000042' }));
    expect(unknown).toMatchObject({ status: 404, code: 'AGENT_DIRECTORY.AGENT_NOT_FOUND' });
    const malformed = await problemOf(call(AgentDirectoryRpc.isWorking, { agentId: 'ada', at: 'monday' }));
    expect(malformed).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT' });
    expect(malformed.errors?.map((e) => e.path).sort()).toEqual(['payload.agentId', 'payload.at']);
    const noTenant = await problemOf(rpcRequest(app.nc, AgentDirectoryRpc.getTenant.subject, { tenantId: uniqueTenant(), actor: 'service:x', payload: {} }));
    expect(noTenant).toMatchObject({ status: 404, code: 'AGENT_DIRECTORY.TENANT_NOT_FOUND' });
    const withoutTenant = await problemOf(rpcRequest(app.nc, AgentDirectoryRpc.getTenant.subject, { actor: 'service:x', payload: {} }));
    expect(withoutTenant.errors?.map((e) => e.path)).toEqual(['tenantId']);
  });

  it('takes device reports from the SIP edge over NATS, ignoring stale ones, and serves them over HTTP', async () => {
    const first = await call<DeviceStateReportResult>(
      AgentDirectoryRpc.reportDeviceState,
      { extension: '2001', registration: 'registered', observedAt: '2026-11-23T08:58:00Z' },
      'service:sip-edge',
    );
    expect(first).toEqual({
      changed: true,
      device: { extension: '2001', registration: 'registered', registrationObservedAt: '2026-11-23T08:58:00.000Z', activity: 'idle', activityObservedAt: null },
    });
    const onCall = await call<DeviceStateReportResult>(AgentDirectoryRpc.reportDeviceState, { extension: '2001', activity: 'onCall', observedAt: '2026-11-23T09:00:00Z' });
    expect(onCall).toMatchObject({ changed: true, device: { registration: 'registered', activity: 'onCall' } });
    // A late report of the registrar, older than what we know: nothing changes.
    const stale = await call<DeviceStateReportResult>(AgentDirectoryRpc.reportDeviceState, { extension: '2001', registration: 'unregistered', observedAt: '2026-11-23T08:00:00Z' });
    expect(stale).toEqual({ changed: false, device: onCall.device });

    expect(await call<DeviceState>(AgentDirectoryRpc.getDeviceState, { extension: '2001' })).toEqual(onCall.device);
    const read = await admin.get<DeviceState>('/v1/devices/2001/state');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(onCall.device);
    const never = await admin.get<DeviceState>('/v1/devices/2999/state');
    expect(never.body).toEqual({ extension: '2999', registration: 'unregistered', registrationObservedAt: null, activity: 'idle', activityObservedAt: null });

    const empty = await problemOf(call(AgentDirectoryRpc.reportDeviceState, { extension: '2001', observedAt: '2026-11-23T09:01:00Z' }));
    expect(empty).toMatchObject({ status: 400, errors: [{ path: 'payload.registration' }] });
  });

  it('takes device reports over HTTP from the SIP edge (SERVICE) or an ADMIN, not from others', async () => {
    const edge = await httpAs(app, tenant, 'SERVICE', { sub: 'service:sip-edge' });
    const reported = await edge.put<DeviceStateReportResult>('/v1/devices/2001/state', { registration: 'registered', activity: 'onCall', observedAt: '2026-11-23T09:00:00Z' });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ changed: true, device: { extension: '2001', registration: 'registered', activity: 'onCall' } });
    const idle = await admin.put<DeviceStateReportResult>('/v1/devices/2001/state', { activity: 'idle', observedAt: '2026-11-23T09:05:00Z' });
    expect(idle.body).toMatchObject({ changed: true, device: { activity: 'idle', activityObservedAt: '2026-11-23T09:05:00.000Z' } });
    expect(await call<DeviceState>(AgentDirectoryRpc.getDeviceState, { extension: '2001' })).toEqual(idle.body.device);

    const agent = await httpAs(app, tenant, 'AGENT', { privileges: ['agents:read'] });
    expect((await agent.put<Problem>('/v1/devices/2001/state', { activity: 'onCall', observedAt: '2026-11-23T09:06:00Z' })).body).toMatchObject({
      status: 403,
      code: 'AUTH.ROLE_REQUIRED',
    });
    const bad = await edge.put<Problem>('/v1/devices/20x1/state', { activity: 'busy', observedAt: 'now' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(['activity', 'extension', 'observedAt']);
    const stranger = await httpAs(app, uniqueTenant(), 'SERVICE');
    expect((await stranger.put<Problem>('/v1/devices/2001/state', { activity: 'idle', observedAt: '2026-11-23T09:00:00Z' })).body).toMatchObject({
      status: 404,
      code: 'AGENT_DIRECTORY.TENANT_NOT_FOUND',
    });
  });
});
