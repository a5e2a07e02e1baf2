// Roles and reporting lines over HTTP on the real PostgreSQL: managers (also agents promoted to manager),
// transitive reportees, cycles refused with their chain, unknown managers, demotion and removal with
// reportees refused, and removal freeing the extension and the licence seat. Each test has its own tenant.
import type { AgentResponse, ListAgentsResponse, Problem, ReporteesResponse } from '@cc/contracts';
import { uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, registerTenant, startDirectoryTestApp, type DirectoryTestApp } from '../../test/agent-directory-test-app';

jest.setTimeout(60_000);

describe('agents: roles and reporting lines', () => {
  let app: DirectoryTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startDirectoryTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await registerTenant(app, tenant, { maxAgents: 5 });
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const register = async (name: string, extension: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await admin.post<AgentResponse>('/v1/agents', { name, extension, ...extra });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body.agent.agentId;
  };
  const agent = async (id: string): Promise<AgentResponse> => (await admin.get<AgentResponse>(`/v1/agents/${id}`)).body;
  const setManager = (id: string, managerId: string | null, promoteManager = false) =>
    admin.put<AgentResponse | Problem>(`/v1/agents/${id}/manager`, { managerId, promoteManager });

  it('assigns managers, promotes an agent picked as manager when asked, and lists reportees transitively', async () => {
    const head = await register('Head of Sales', '2000', { role: 'MANAGER' });
    const lead = await register('Team Lead', '2001');
    const ada = await register('Ada', '2002');
    const bob = await register('Bob', '2003');

    // An AGENT as manager: refused unless promotion is asked for (seed 002: "add an agent as reporting manager").
    const notAManager = await setManager(ada, lead);
    expect(notAManager.status).toBe(409);
    expect(notAManager.body).toMatchObject({ code: 'AGENT_DIRECTORY.MANAGER_ROLE_REQUIRED', errors: [{ path: 'managerId' }] });
    const promoted = await setManager(ada, lead, true);
    expect(promoted.status).toBe(200);
    expect((promoted.body as AgentResponse).agent).toMatchObject({ managerId: lead, role: 'AGENT' });
    // The promotion is mirrored into the manager's own agent stream.
    expect((await agent(lead)).agent.role).toBe('MANAGER');

    expect((await setManager(bob, lead)).status).toBe(200);
    expect((await setManager(lead, head)).status).toBe(200);

    const transitive = await admin.get<ReporteesResponse>(`/v1/agents/${head}/reportees`);
    expect(transitive.body).toEqual({
      managerId: head,
      transitive: true,
      reportees: [
        { agentId: lead, managerId: head, depth: 1 },
        ...[
          { agentId: ada, managerId: lead, depth: 2 },
          { agentId: bob, managerId: lead, depth: 2 },
        ].sort((a, b) => a.agentId.localeCompare(b.agentId)),
      ],
    });
    const direct = await admin.get<ReporteesResponse>(`/v1/agents/${head}/reportees?transitive=false`);
    expect(direct.body.reportees).toEqual([{ agentId: lead, managerId: head, depth: 1 }]);
    const byManager = await admin.get<ListAgentsResponse>(`/v1/agents?managerId=${lead}`);
    expect(byManager.body.items.map((a) => a.name)).toEqual(['Ada', 'Bob']);

    // Clearing the line: Ada reports to nobody.
    const cleared = await setManager(ada, null);
    expect((cleared.body as AgentResponse).agent.managerId).toBeNull();
  });

  it('registers an agent under a manager in one request, promoting the manager when asked', async () => {
    const lead = await register('Lead', '2001');
    const refused = await admin.post<Problem>('/v1/agents', { name: 'Ada', extension: '2002', managerId: lead });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('AGENT_DIRECTORY.MANAGER_ROLE_REQUIRED');
    const ada = await register('Ada', '2002', { managerId: lead, promoteManager: true });
    expect((await agent(ada)).agent.managerId).toBe(lead);
    expect((await agent(lead)).agent.role).toBe('MANAGER');
  });

  it('refuses a reporting line that closes a cycle with 409 and the chain', async () => {
    const a = await register('A', '2001', { role: 'MANAGER' });
    const b = await register('B', '2002', { role: 'MANAGER', managerId: a });
    const c = await register('C', '2003', { role: 'MANAGER', managerId: b });
    const cycle = await setManager(a, c);
    expect(cycle.status).toBe(409);
    const problem = cycle.body as Problem;
    expect(problem.code).toBe('AGENT_DIRECTORY.REPORTING_CYCLE');
    expect(problem.errors).toEqual([{ path: 'managerId', message: expect.stringContaining(`${a} -> ${c} -> ${b} -> ${a}`) }]);
    expect(JSON.parse(problem.detail ?? '{}')).toEqual({ chain: [a, c, b, a] });
    const self = await setManager(a, a);
    expect((self.body as Problem).code).toBe('AGENT_DIRECTORY.REPORTING_CYCLE');
    expect((await agent(a)).agent.managerId).toBeNull();
  });

  it('refuses an unknown manager with 400 naming managerId, and claims nothing for a refused registration', async () => {
    const ada = await register('Ada', '2001');
    const ghost = '00000000-0000-4000-8000-000000000042';
    const onChange = await setManager(ada, ghost);
    expect(onChange.status).toBe(400);
    expect(onChange.body).toMatchObject({ code: 'AGENT_DIRECTORY.MANAGER_NOT_FOUND', errors: [{ path: 'managerId' }] });
    const onRegister = await admin.post<Problem>('/v1/agents', { name: 'Bob', extension: '2002', managerId: ghost });
    expect(onRegister.status).toBe(400);
    expect(onRegister.body.code).toBe('AGENT_DIRECTORY.MANAGER_NOT_FOUND');
    // The refused registration released its claim on 2002.
    await register('Cy', '2002');
  });

  it('refuses demoting or removing a manager who still has reportees, listing them', async () => {
    const boss = await register('Boss', '2001', { role: 'MANAGER' });
    const ada = await register('Ada', '2002', { managerId: boss });
    const demote = await admin.put<Problem>(`/v1/agents/${boss}/role`, { role: 'AGENT' });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('AGENT_DIRECTORY.HAS_REPORTEES');
    expect(JSON.parse(demote.body.detail ?? '{}')).toEqual({ reportees: [ada] });
    const remove = await admin.delete<Problem>(`/v1/agents/${boss}`);
    expect(remove.status).toBe(409);
    expect((await agent(boss)).agent).toMatchObject({ role: 'MANAGER', status: 'active' });
    // Reassigned first, then both are allowed.
    expect((await setManager(ada, null)).status).toBe(200);
    const demoted = await admin.put<AgentResponse>(`/v1/agents/${boss}/role`, { role: 'AGENT' });
    expect(demoted.body.agent.role).toBe('AGENT');
  });

  it('removes an agent: status removed, extension and licence seat freed, no further changes, repeatable', async () => {
    const small = uniqueTenant();
    await registerTenant(app, small, { maxAgents: 1 });
    const smallAdmin = await httpAs(app, small, 'ADMIN');
    try {
      const ada = (await smallAdmin.post<AgentResponse>('/v1/agents', { name: 'Ada', extension: '2001' })).body.agent.agentId;
      expect((await smallAdmin.post<Problem>('/v1/agents', { name: 'Bob', extension: '2002' })).body.code).toBe('AGENT_DIRECTORY.AGENT_LIMIT_REACHED');

      const removed = await smallAdmin.delete<AgentResponse>(`/v1/agents/${ada}`);
      expect(removed.status).toBe(200);
      expect(removed.body.agent).toMatchObject({ agentId: ada, status: 'removed', extension: '2001' });
      const again = await smallAdmin.delete<AgentResponse>(`/v1/agents/${ada}`);
      expect(again.status).toBe(200);
      expect(again.body.revision).toBe(removed.body.revision);

      const edit = await smallAdmin.patch<Problem>(`/v1/agents/${ada}`, { name: 'Ada L.' });
      expect(edit.status).toBe(410);
      expect(edit.body.code).toBe('AGENT_DIRECTORY.AGENT_REMOVED');
      // The seat and the number are free: Bob takes both.
      const bob = await smallAdmin.post<AgentResponse>('/v1/agents', { name: 'Bob', extension: '2001' });
      expect(bob.status).toBe(201);
      const listed = await smallAdmin.get<ListAgentsResponse>('/v1/agents');
      expect(listed.body.items.map((a) => a.name)).toEqual(['Bob']);
      const withRemoved = await smallAdmin.get<ListAgentsResponse>('/v1/agents?status=removed');
      expect(withRemoved.body.items.map((a) => a.agentId)).toEqual([ada]);
    } finally {
      await cleanUpTenant(app, small);
    }
  });

  it('changes roles: a promoted agent may manage, and role changes carry the whole agent', async () => {
    const ada = await register('Ada', '2001');
    const bob = await register('Bob', '2002');
    const promoted = await admin.put<AgentResponse>(`/v1/agents/${ada}/role`, { role: 'MANAGER' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ revision: 1, agent: { agentId: ada, role: 'MANAGER', extension: '2001' } });
    expect((await setManager(bob, ada)).status).toBe(200);
    const unknown = await admin.put<Problem>('/v1/agents/00000000-0000-4000-8000-000000000042/role', { role: 'MANAGER' });
    expect(unknown.status).toBe(404);
  });
});
