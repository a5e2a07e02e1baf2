// Tenants and logins over HTTP on the real PostgreSQL: the operator registers and licenses tenants, the
// tenant's admin reads and configures its own; logins get roles, privileges and call-slot profiles (seed
// 003), gated by the licence (403 naming it), and their effective permissions. Each test has its own tenant.
import type { EffectivePermissions, ListLoginsResponse, ListTenantsResponse, LoginResponse, Problem, TenantResponse } from '@cc/contracts';
import { uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, registerTenant, startDirectoryTestApp, type DirectoryTestApp } from '../../test/agent-directory-test-app';

jest.setTimeout(60_000);

describe('tenants and logins HTTP API', () => {
  let app: DirectoryTestApp;
  let tenant: string;
  let operator: HttpClient;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startDirectoryTestApp();
    operator = await httpAs(app, 'platform', 'OPERATOR');
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  describe('tenants', () => {
    it('lets the operator register a tenant, which its admin then reads from the token', async () => {
      const created = await operator.post<TenantResponse>('/v1/tenants', {
        tenantId: tenant,
        name: ' Acme Ltd ',
        licence: { features: ['campaigns', 'callSlots', 'callSlots'], maxAgents: 250 },
        settings: { defaultTimezone: 'europe/london', defaultCountry: 'GB' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        revision: 0,
        tenant: {
          tenantId: tenant,
          name: 'Acme Ltd',
          licence: { features: ['callSlots', 'campaigns'], maxAgents: 250 },
          settings: { extensionDigits: { min: 3, max: 6 }, defaultTimezone: 'Europe/London', defaultCountry: 'GB' },
        },
      });
      const own = await admin.get<TenantResponse>('/v1/tenant');
      expect(own.status).toBe(200);
      expect(own.headers.get('etag')).toBe('"0"');
      expect(own.body).toEqual(created.body);
      // The operators' list, paged by tenant id (other test files' tenants are in it too).
      const listed: string[] = [];
      for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 100; pages++) {
        const page: ListTenantsResponse = (await operator.get<ListTenantsResponse>(`/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
        listed.push(...page.items.map((t) => t.tenantId));
        cursor = page.nextCursor;
      }
      expect(listed).toContain(tenant);
      expect(listed).toEqual([...listed].sort());
      const again = await operator.post<Problem>('/v1/tenants', { tenantId: tenant, name: 'Again', licence: { maxAgents: 1 }, settings: { defaultTimezone: 'UTC', defaultCountry: 'GB' } });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('AGENT_DIRECTORY.TENANT_EXISTS');
    });

    it('keeps tenant management for the operator and settings for the tenant\'s admin', async () => {
      await registerTenant(app, tenant);
      const body = { tenantId: uniqueTenant(), name: 'X', licence: { maxAgents: 1 }, settings: { defaultTimezone: 'UTC', defaultCountry: 'GB' } };
      expect((await admin.post<Problem>('/v1/tenants', body)).body).toMatchObject({ status: 403, code: 'AUTH.ROLE_REQUIRED' });
      expect((await admin.put(`/v1/tenants/${tenant}/licence`, { features: ['callSlots'], maxAgents: 9 })).status).toBe(403);
      expect((await (await httpAs(app, tenant, 'MANAGER')).get('/v1/tenant')).status).toBe(403);

      const licence = await operator.put<TenantResponse>(`/v1/tenants/${tenant}/licence`, { features: ['callSlots'], maxAgents: 9 });
      expect(licence.body).toMatchObject({ revision: 1, tenant: { licence: { features: ['callSlots'], maxAgents: 9 } } });
      const settings = await admin.patch<TenantResponse>('/v1/tenant/settings', { defaultTimezone: 'America/New_York' });
      expect(settings.status).toBe(200);
      expect(settings.body.tenant.settings).toEqual({ extensionDigits: { min: 4, max: 4 }, defaultTimezone: 'America/New_York', defaultCountry: 'GB' });
      const badZone = await admin.patch<Problem>('/v1/tenant/settings', { defaultTimezone: 'Atlantis/Capital' });
      expect(badZone.status).toBe(400);
      expect(badZone.body).toMatchObject({ code: 'AGENT_DIRECTORY.INVALID_TENANT_SETTINGS', errors: [{ path: 'settings.defaultTimezone' }] });
      const badLicence = await operator.put<Problem>(`/v1/tenants/${tenant}/licence`, { features: ['campaigns'], maxAgents: 9 });
      expect(badLicence.body).toMatchObject({ status: 400, errors: [{ path: 'licence.features' }] });
      const stale = await operator.send<Problem>('PUT', `/v1/tenants/${tenant}/licence`, { features: [], maxAgents: 9 }, { 'if-match': '"0"' });
      expect(stale.body).toMatchObject({ status: 409, currentRevision: 2 });
      expect((await operator.get<Problem>(`/v1/tenants/${uniqueTenant()}`)).body).toMatchObject({ status: 404, code: 'AGENT_DIRECTORY.TENANT_NOT_FOUND' });
    });
  });

  describe('logins', () => {
    const create = async (client: HttpClient, body: Record<string, unknown>): Promise<LoginResponse> => {
      const res = await client.post<LoginResponse>('/v1/logins', body);
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
      return res.body;
    };

    it('creates logins with the role\'s default privileges, refuses a second one of the same name, and lists them', async () => {
      await registerTenant(app, tenant, { features: ['callSlots'] });
      const ada = (await admin.post<{ agent: { agentId: string } }>('/v1/agents', { name: 'Ada', extension: '2001' })).body.agent.agentId;
      const manager = await create(admin, { loginId: 'Ada@Acme.test', role: 'MANAGER', agentId: ada });
      expect(manager).toEqual({
        revision: 0,
        login: {
          loginId: 'ada@acme.test',
          email: null,
          role: 'MANAGER',
          privileges: ['agents:read', 'schedules:read', 'diverts:read', 'diverts:write', 'callFlows:read', 'callSlots:read', 'campaigns:read', 'callLogs:read', 'performance:read'],
          callSlotProfile: { kind: 'all' },
          agentId: ada,
          status: 'active',
        },
      });
      const dup = await admin.post<Problem>('/v1/logins', { loginId: 'ada@acme.test', role: 'AGENT' });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ code: 'AGENT_DIRECTORY.LOGIN_EXISTS', errors: [{ path: 'loginId' }] });
      await create(admin, { loginId: 'root', role: 'ADMIN' });
      const unknownAgent = await admin.post<Problem>('/v1/logins', { loginId: 'ghost', role: 'AGENT', agentId: '00000000-0000-4000-8000-000000000042' });
      expect(unknownAgent.body).toMatchObject({ status: 400, code: 'AGENT_DIRECTORY.LINKED_AGENT_NOT_FOUND', errors: [{ path: 'agentId' }] });

      const all = await admin.get<ListLoginsResponse>('/v1/logins');
      expect(all.body.items.map((l) => l.loginId)).toEqual(['ada@acme.test', 'root']);
      const managers = await admin.get<ListLoginsResponse>('/v1/logins?role=MANAGER&limit=1');
      expect(managers.body).toEqual({ items: [manager.login], nextCursor: null });
    });

    it('refuses call-slot features the tenant is not licensed for with 403 naming the licence', async () => {
      await registerTenant(app, tenant, { features: [] });
      const profile = await admin.post<Problem>('/v1/logins', { loginId: 'ada', role: 'AGENT', callSlotProfile: { kind: 'subset', callSlotIds: ['sales'] } });
      expect(profile.status).toBe(403);
      expect(profile.body.code).toBe('AGENT_DIRECTORY.LICENCE_REQUIRED');
      expect(JSON.parse(profile.body.detail ?? '{}')).toEqual({ licence: 'callSlots' });
      expect(profile.body.title).toContain('"callSlots" licence');

      await create(admin, { loginId: 'ada', role: 'AGENT' });
      const privilege = await admin.put<Problem>('/v1/logins/ada/privileges', { privileges: ['agents:read', 'callSlots:read'] });
      expect(privilege.status).toBe(403);
      expect(privilege.body).toMatchObject({ code: 'AGENT_DIRECTORY.LICENCE_REQUIRED', errors: [{ path: 'privileges[1]' }] });
      const assign = await admin.put<Problem>('/v1/logins/ada/call-slot-profile', { callSlotProfile: { kind: 'all' } });
      expect(assign.body).toMatchObject({ status: 403, code: 'AGENT_DIRECTORY.LICENCE_REQUIRED' });

      // Once licensed, the same changes are accepted.
      expect((await operator.put(`/v1/tenants/${tenant}/licence`, { features: ['callSlots'], maxAgents: 10 })).status).toBe(200);
      const granted = await admin.put<LoginResponse>('/v1/logins/ada/privileges', { privileges: ['callSlots:read', 'agents:read'] });
      expect(granted.body).toMatchObject({ revision: 1, login: { privileges: ['agents:read', 'callSlots:read'] } });
      const subset = await admin.put<LoginResponse>('/v1/logins/ada/call-slot-profile', { callSlotProfile: { kind: 'subset', callSlotIds: ['b', 'a', 'b'] } });
      expect(subset.body.login.callSlotProfile).toEqual({ kind: 'subset', callSlotIds: ['a', 'b'] });
    });

    it('answers effective permissions with licence gating; a login reads its own, others need logins:read', async () => {
      await registerTenant(app, tenant, { features: ['callSlots'] });
      const ada = (await admin.post<{ agent: { agentId: string } }>('/v1/agents', { name: 'Ada', extension: '2001' })).body.agent.agentId;
      await create(admin, { loginId: 'ada', role: 'MANAGER', agentId: ada, callSlotProfile: { kind: 'subset', callSlotIds: ['sales'] } });
      const expected: EffectivePermissions = {
        loginId: 'ada',
        active: true,
        role: 'MANAGER',
        privileges: ['agents:read', 'schedules:read', 'diverts:read', 'diverts:write', 'callFlows:read', 'callSlots:read', 'callLogs:read', 'performance:read'],
        callSlotProfile: { kind: 'subset', callSlotIds: ['sales'] },
        agentId: ada,
        callLogScope: 'reportees',
        licensedFeatures: ['callSlots'],
      };
      expect((await admin.get('/v1/logins/ada/permissions')).body).toEqual(expected);
      const self = await httpAs(app, tenant, 'MANAGER', { sub: 'ada' });
      expect((await self.get('/v1/logins/ada/permissions')).body).toEqual(expected);
      const other = await httpAs(app, tenant, 'AGENT', { sub: 'bob' });
      expect((await other.get<Problem>('/v1/logins/ada/permissions')).body).toMatchObject({ status: 403, code: 'AUTH.PRIVILEGE_REQUIRED' });

      // The licence is withdrawn: call-slot privileges and profile disappear from what the login may do.
      expect((await operator.put(`/v1/tenants/${tenant}/licence`, { features: [], maxAgents: 10 })).status).toBe(200);
      expect((await admin.get('/v1/logins/ada/permissions')).body).toMatchObject({
        privileges: expected.privileges.filter((p) => !p.startsWith('callSlots')),
        callSlotProfile: { kind: 'subset', callSlotIds: [] },
        licensedFeatures: [],
      });
      const disabled = await admin.post<LoginResponse>('/v1/logins/ada/disable');
      expect(disabled.body.login.status).toBe('disabled');
      expect((await admin.get('/v1/logins/ada/permissions')).body).toMatchObject({ active: false, privileges: [], callLogScope: 'none' });
      expect((await admin.post<LoginResponse>('/v1/logins/ada/enable')).body.login.status).toBe('active');
      expect((await admin.get('/v1/logins/ada/permissions')).body).toMatchObject({ active: true, callLogScope: 'reportees' });
      expect((await admin.get<Problem>('/v1/logins/nobody/permissions')).body).toMatchObject({ status: 404, code: 'AGENT_DIRECTORY.LOGIN_NOT_FOUND' });
    });

    it('changes a login\'s role (privileges reset to the new role\'s) and refuses an explicit list for ADMIN', async () => {
      await registerTenant(app, tenant);
      await create(admin, { loginId: 'ada', role: 'AGENT' });
      const toManager = await admin.put<LoginResponse>('/v1/logins/ada/role', { role: 'MANAGER', privileges: ['agents:read'] });
      expect(toManager.body).toMatchObject({ revision: 1, login: { role: 'MANAGER', privileges: ['agents:read'] } });
      const toAdmin = await admin.put<Problem>('/v1/logins/ada/role', { role: 'ADMIN', privileges: ['agents:read'] });
      expect(toAdmin.body).toMatchObject({ status: 400, code: 'AGENT_DIRECTORY.ADMIN_PRIVILEGES_FIXED', errors: [{ path: 'privileges' }] });
      const stale = await admin.send<Problem>('PUT', '/v1/logins/ada/role', { role: 'AGENT' }, { 'if-match': '"0"' });
      expect(stale.body).toMatchObject({ status: 409, currentRevision: 1 });
      const needsWrite = await httpAs(app, tenant, 'MANAGER', { privileges: ['logins:read'] });
      expect((await needsWrite.put('/v1/logins/ada/role', { role: 'AGENT' })).status).toBe(403);
      expect((await needsWrite.get<LoginResponse>('/v1/logins/ada')).body.login.role).toBe('MANAGER');
    });
  });
});
