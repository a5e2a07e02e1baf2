// The agents HTTP API on the real PostgreSQL and NATS: register / read / list with filters and pages, bad
// input as problem+json naming the field, one holder per extension (also under a race), the licence's
// seat limit, working hours and isWorking across a break, optimistic concurrency. Each test has its own tenant.
import type { AgentResponse, IsWorkingResponse, ListAgentsResponse, Problem } from '@cc/contracts';
import { uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, registerTenant, startDirectoryTestApp, type DirectoryTestApp } from '../../test/agent-directory-test-app';

jest.setTimeout(60_000);

const SPLIT_SHIFT = {
  mode: 'weekly',
  ranges: [
    { day: 'mon', start: '09:00', end: '12:00' },
    { day: 'mon', start: '13:00', end: '17:00' },
  ],
};

describe('agents HTTP API', () => {
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
    await registerTenant(app, tenant, { maxAgents: 10 });
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const register = async (body: Record<string, unknown>): Promise<AgentResponse> => {
    const res = await admin.post<AgentResponse>('/v1/agents', body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body;
  };
  const list = async (query = ''): Promise<ListAgentsResponse> => {
    const res = await admin.get<ListAgentsResponse>(`/v1/agents${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('registers an agent with every default, reads it with its revision as ETag, and lists it', async () => {
    const created = await admin.post<AgentResponse>('/v1/agents', { name: ' Ada Lovelace ', extension: '2001' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"0"');
    expect(created.headers.get('location')).toBe(`/v1/agents/${created.body.agent.agentId}`);
    expect(created.body).toEqual({
      revision: 0,
      agent: {
        agentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Ada Lovelace',
        email: null,
        mobile: null,
        extension: '2001',
        ringPreference: { kind: 'extensionOnly' },
        workingHours: { mode: 'always' },
        afterHours: { kind: 'followCallFlow' },
        role: 'AGENT',
        managerId: null,
        status: 'active',
      },
    });
    const read = await admin.get<AgentResponse>(`/v1/agents/${created.body.agent.agentId}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"0"');
    expect(read.body).toEqual(created.body);
    expect((await list()).items).toEqual([created.body.agent]);
  });

  it('accepts the seed\'s 441234567890 and stores it as E.164; refuses an invalid mobile at `mobile`, claiming nothing', async () => {
    const ada = await register({ name: 'Ada', extension: '2001', mobile: '441234567890', ringPreference: { kind: 'extensionThenMobile' } });
    expect(ada.agent.mobile).toBe('+441234567890');
    expect(ada.agent.ringPreference).toEqual({ kind: 'extensionThenMobile', mobileAfterSeconds: 20 });

    const invalid = await admin.post<Problem>('/v1/agents', { name: 'Bob', extension: '2002', mobile: '12345' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid.body).toMatchObject({ code: 'AGENT_DIRECTORY.INVALID_NUMBER', errors: [{ path: 'mobile' }] });
    // Refused before claiming: the extension is still free.
    await register({ name: 'Bob', extension: '2002' });
  });

  it.each([
    ['a range that ends where it starts', { mode: 'weekly', ranges: [{ day: 'mon', start: '09:00', end: '09:00' }] }, 'workingHours.ranges[0].end'],
    ['an unknown time zone', { mode: 'weekly', timezone: 'Mars/Olympus_Mons', ranges: [{ day: 'mon', start: '09:00', end: '17:00' }] }, 'workingHours.timezone'],
    ['overlapping ranges', { mode: 'weekly', ranges: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '11:00', end: '14:00' }] }, 'workingHours.ranges[1]'],
  ])('refuses working hours with %s: 400 naming the field', async (_what, workingHours, path) => {
    const res = await admin.post<Problem>('/v1/agents', { name: 'Ada', extension: '2001', workingHours });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('AGENT_DIRECTORY.INVALID_WORKING_HOURS');
    expect(res.body.errors?.map((e) => e.path)).toContain(path);
  });

  it.each([
    ['a malformed time', { name: 'Ada', extension: '2001', workingHours: { mode: 'weekly', ranges: [{ day: 'mon', start: '9am', end: '17:00' }] } }, 'workingHours.ranges.0.start'],
    ['an extension with letters', { name: 'Ada', extension: '20a1' }, 'extension'],
    ['an unknown field', { name: 'Ada', extension: '2001', pin: '1234' }, 'pin'],
  ])('refuses %s at the edge with the field path', async (_what, body, path) => {
    const res = await admin.post<Problem>('/v1/agents', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION.INVALID_INPUT' });
    expect(res.body.errors?.map((e) => e.path)).toContain(path);
  });

  it('refuses an extension outside the tenant\'s plan, and a preference that rings a missing mobile', async () => {
    const short = await admin.post<Problem>('/v1/agents', { name: 'Ada', extension: '201' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'AGENT_DIRECTORY.INVALID_EXTENSION', errors: [{ path: 'extension' }] });
    const noMobile = await admin.post<Problem>('/v1/agents', { name: 'Ada', extension: '2001', ringPreference: { kind: 'mobileOnly' } });
    expect(noMobile.status).toBe(409);
    expect(noMobile.body).toMatchObject({ code: 'AGENT_DIRECTORY.MOBILE_REQUIRED', errors: [{ path: 'ringPreference.kind' }] });
  });

  it('refuses a duplicate extension with 409 naming `extension`', async () => {
    const ada = await register({ name: 'Ada', extension: '2001' });
    const dup = await admin.post<Problem>('/v1/agents', { name: 'Bob', extension: '2001' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'AGENT_DIRECTORY.EXTENSION_TAKEN', errors: [{ path: 'extension', message: 'is already in use' }] });
    expect(JSON.parse(dup.body.detail ?? '{}')).toEqual({ extension: '2001', heldBy: ada.agent.agentId });
    expect((await list()).items.map((a) => a.name)).toEqual(['Ada']);
  });

  it('lets exactly one of two registrations racing for one extension win; the other is told it is taken', async () => {
    const results = await Promise.all(['Ada', 'Bob', 'Cy', 'Di'].map((name) => admin.post<AgentResponse | Problem>('/v1/agents', { name, extension: '2001' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const loser of results.filter((r) => r.status === 409)) {
      expect((loser.body as Problem).code).toBe('AGENT_DIRECTORY.EXTENSION_TAKEN');
    }
    const winners = (await list('?extension=2001')).items;
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual((results.find((r) => r.status === 201)?.body as AgentResponse).agent);
  });

  it('filters by extension, manager and name (case-insensitive substring), and pages in name order', async () => {
    const boss = await register({ name: 'Zed Boss', extension: '2000', role: 'MANAGER' });
    const names = ['ada lovelace', 'Alan Turing', 'Grace Hopper', 'Barbara Liskov', 'Edsger Dijkstra'];
    for (const [i, name] of names.entries()) {
      await register({ name, extension: String(2001 + i), managerId: i % 2 === 0 ? boss.agent.agentId : null });
    }
    expect((await list('?extension=2003')).items.map((a) => a.name)).toEqual(['Grace Hopper']);
    expect((await list(`?managerId=${boss.agent.agentId}`)).items.map((a) => a.name)).toEqual(['ada lovelace', 'Edsger Dijkstra', 'Grace Hopper']);
    expect((await list('?name=a%20L')).items.map((a) => a.name)).toEqual(['ada lovelace', 'Barbara Liskov']);
    expect((await list('?name=LOVE')).items.map((a) => a.name)).toEqual(['ada lovelace']);
    expect((await list('?name=%25')).items).toEqual([]); // a LIKE wildcard matches itself only
    expect((await list('?role=MANAGER')).items.map((a) => a.name)).toEqual(['Zed Boss']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListAgentsResponse = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['ada lovelace', 'Alan Turing', 'Barbara Liskov', 'Edsger Dijkstra', 'Grace Hopper', 'Zed Boss']);

    const bad = await admin.get<Problem>('/v1/agents?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it('refuses a registration beyond the licence\'s maxAgents with 403, and frees the refused extension', async () => {
    const small = uniqueTenant();
    await registerTenant(app, small, { maxAgents: 2 });
    const smallAdmin = await httpAs(app, small, 'ADMIN');
    try {
      expect((await smallAdmin.post('/v1/agents', { name: 'A', extension: '2001' })).status).toBe(201);
      expect((await smallAdmin.post('/v1/agents', { name: 'B', extension: '2002' })).status).toBe(201);
      const third = await smallAdmin.post<Problem>('/v1/agents', { name: 'C', extension: '2003' });
      expect(third.status).toBe(403);
      expect(third.body.code).toBe('AGENT_DIRECTORY.AGENT_LIMIT_REACHED');
      expect(JSON.parse(third.body.detail ?? '{}')).toEqual({ maxAgents: 2, agents: 2 });
      // The claim on 2003 was released: with a bigger licence, another agent takes it.
      const operator = await httpAs(app, 'platform', 'OPERATOR');
      expect((await operator.put(`/v1/tenants/${small}/licence`, { features: [], maxAgents: 3 })).status).toBe(200);
      expect((await smallAdmin.post('/v1/agents', { name: 'D', extension: '2003' })).status).toBe(201);
    } finally {
      await cleanUpTenant(app, small);
    }
  });

  it('gives the last licence seat to exactly one of several racing registrations; the others release their numbers', async () => {
    const small = uniqueTenant();
    await registerTenant(app, small, { maxAgents: 1 });
    const smallAdmin = await httpAs(app, small, 'ADMIN');
    try {
      const extensions = ['2001', '2002', '2003', '2004'];
      const results = await Promise.all(extensions.map((extension) => smallAdmin.post<AgentResponse | Problem>('/v1/agents', { name: `A ${extension}`, extension })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403, 403]);
      expect(results.filter((r) => r.status === 403).map((r) => (r.body as Problem).code)).toEqual(Array(3).fill('AGENT_DIRECTORY.AGENT_LIMIT_REACHED'));
      // Once the winner is gone, every loser's number is free for the seat.
      const winner = results.find((r) => r.status === 201)!.body as AgentResponse;
      expect((await smallAdmin.delete(`/v1/agents/${winner.agent.agentId}`)).status).toBe(200);
      const loser = extensions.find((extension) => extension !== winner.agent.extension)!;
      expect((await smallAdmin.post('/v1/agents', { name: 'Late', extension: loser })).status).toBe(201);
    } finally {
      await cleanUpTenant(app, small);
    }
  });

  it('refuses agents of a tenant that is not registered with 404', async () => {
    const stranger = await httpAs(app, uniqueTenant(), 'ADMIN');
    const res = await stranger.post<Problem>('/v1/agents', { name: 'Ada', extension: '2001' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('AGENT_DIRECTORY.TENANT_NOT_FOUND');
  });

  it('answers isWorking across the seed\'s break (09-12, 13-17, Europe/London) with the next change', async () => {
    const ada = await register({ name: 'Ada', extension: '2001', workingHours: SPLIT_SHIFT });
    expect(ada.agent.workingHours).toEqual({ ...SPLIT_SHIFT, timezone: 'Europe/London' });
    const at = async (instant: string) => {
      const res = await admin.get<IsWorkingResponse>(`/v1/agents/${ada.agent.agentId}/working?at=${instant}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    // Monday 23 November 2026; London is on GMT, so local time = UTC.
    expect(await at('2026-11-23T10:00:00Z')).toEqual({
      agentId: ada.agent.agentId,
      at: '2026-11-23T10:00:00.000Z',
      working: true,
      reason: 'insideRange',
      range: { day: 'mon', start: '09:00', end: '12:00' },
      nextChange: '2026-11-23T12:00:00.000Z',
      timezone: 'Europe/London',
    });
    expect(await at('2026-11-23T12:30:00Z')).toMatchObject({ working: false, reason: 'outsideRanges', range: null, nextChange: '2026-11-23T13:00:00.000Z' });
    expect(await at('2026-11-23T13:00:00Z')).toMatchObject({ working: true, range: { start: '13:00', end: '17:00' }, nextChange: '2026-11-23T17:00:00.000Z' });
    expect(await at('2026-11-23T17:00:00Z')).toMatchObject({ working: false, nextChange: '2026-11-30T09:00:00.000Z' });
    // In summer London is an hour ahead: 08:30 UTC is 09:30 local.
    expect(await at('2026-06-01T08:30:00Z')).toMatchObject({ working: true, nextChange: '2026-06-01T11:00:00.000Z' });

    const disabled = await admin.post<AgentResponse>(`/v1/agents/${ada.agent.agentId}/disable`, { reason: 'on leave' });
    expect(disabled.body.agent.status).toBe('disabled');
    expect(await at('2026-11-23T10:00:00Z')).toMatchObject({ working: false, reason: 'disabled', nextChange: null });
    const enabled = await admin.post<AgentResponse>(`/v1/agents/${ada.agent.agentId}/enable`);
    expect(enabled.body).toMatchObject({ revision: 2, agent: { status: 'active' } });
    expect(await at('2026-11-23T10:00:00Z')).toMatchObject({ working: true, reason: 'insideRange' });
    const malformed = await admin.get<Problem>(`/v1/agents/${ada.agent.agentId}/working?at=monday`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((e) => e.path)).toEqual(['at']);
  });

  it('edits the profile, ring preference, hours and after-hours policy, each event carrying the whole agent', async () => {
    const ada = await register({ name: 'Ada', extension: '2001' });
    const id = ada.agent.agentId;
    const profile = await admin.patch<AgentResponse>(`/v1/agents/${id}`, { mobile: '07911 123456', email: 'ada@acme.test' });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ revision: 1, agent: { mobile: '+447911123456', email: 'ada@acme.test' } });
    const ring = await admin.put<AgentResponse>(`/v1/agents/${id}/ring-preference`, { ringPreference: { kind: 'simultaneous' } });
    expect(ring.body).toMatchObject({ revision: 2, agent: { ringPreference: { kind: 'simultaneous' } } });
    const hours = await admin.put<AgentResponse>(`/v1/agents/${id}/working-hours`, { workingHours: { ...SPLIT_SHIFT, timezone: 'America/New_York' } });
    expect(hours.body.agent.workingHours).toMatchObject({ timezone: 'America/New_York' });
    const after = await admin.put<AgentResponse>(`/v1/agents/${id}/after-hours`, { afterHours: { kind: 'forwardNumber', number: '441234567890' } });
    expect(after.body.agent.afterHours).toEqual({ kind: 'forwardNumber', e164: '+441234567890' });
    const self = await admin.put<Problem>(`/v1/agents/${id}/after-hours`, { afterHours: { kind: 'forwardExtension', extension: '2001' } });
    expect(self.status).toBe(400);
    expect(self.body.errors).toEqual([{ path: 'afterHours.extension', message: expect.any(String) }]);
    // Removing the mobile while the preference rings it is refused at `mobile`.
    const dropMobile = await admin.patch<Problem>(`/v1/agents/${id}`, { mobile: null });
    expect(dropMobile.status).toBe(409);
    expect(dropMobile.body).toMatchObject({ code: 'AGENT_DIRECTORY.MOBILE_REQUIRED', errors: [{ path: 'mobile' }] });
    // Setting what is already set writes nothing.
    const same = await admin.put<AgentResponse>(`/v1/agents/${id}/ring-preference`, { ringPreference: { kind: 'simultaneous' } });
    expect(same.body.revision).toBe(4);
  });

  it('moves an agent to another extension and frees the old one; a taken one is refused and nothing moves', async () => {
    const ada = await register({ name: 'Ada', extension: '2001' });
    await register({ name: 'Bob', extension: '2002' });
    const taken = await admin.put<Problem>(`/v1/agents/${ada.agent.agentId}/extension`, { extension: '2002' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('AGENT_DIRECTORY.EXTENSION_TAKEN');
    const moved = await admin.put<AgentResponse>(`/v1/agents/${ada.agent.agentId}/extension`, { extension: '2005' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ revision: 1, agent: { extension: '2005' } });
    // 2001 is free again; 2005 is Ada's.
    await register({ name: 'Cy', extension: '2001' });
    expect((await admin.post<Problem>('/v1/agents', { name: 'Di', extension: '2005' })).status).toBe(409);
    expect((await list('?extension=2005')).items.map((a) => a.name)).toEqual(['Ada']);
  });

  it('refuses an edit made on a stale read with 409 and the current revision; the first edit is kept', async () => {
    const ada = await register({ name: 'Ada', extension: '2001' });
    const url = `/v1/agents/${ada.agent.agentId}`;
    const etag = (await admin.get(url)).headers.get('etag') as string;
    const first = await admin.send<AgentResponse>('PATCH', url, { name: 'Ada L.' }, { 'if-match': etag });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    const stale = await admin.send<Problem>('PATCH', url, { name: 'Ada K.' }, { 'if-match': etag });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'CONCURRENCY.REVISION_MISMATCH', currentRevision: 1 });
    // The same precondition holds on roster changes (role) and on extension moves.
    const staleRole = await admin.send<Problem>('PUT', `${url}/role`, { role: 'MANAGER' }, { 'if-match': etag });
    expect(staleRole).toMatchObject({ status: 409, body: { currentRevision: 1 } });
    const staleMove = await admin.send<Problem>('PUT', `${url}/extension`, { extension: '2009' }, { 'if-match': etag });
    expect(staleMove).toMatchObject({ status: 409, body: { currentRevision: 1 } });
    expect((await admin.post('/v1/agents', { name: 'Bob', extension: '2009' })).status).toBe(201); // the stale move claimed nothing
    const read = await admin.get<AgentResponse>(url);
    expect(read.body).toMatchObject({ revision: 1, agent: { name: 'Ada L.', role: 'AGENT', extension: '2001' } });
    const malformed = await admin.send<Problem>('PATCH', url, { name: 'X' }, { 'if-match': 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ path: 'headers.if-match', message: expect.any(String) }]);
  });

  it('applies concurrent edits without If-Match one after the other: nothing is lost', async () => {
    const ada = await register({ name: 'Ada', extension: '2001', mobile: '07911123456' });
    const id = ada.agent.agentId;
    const results = await Promise.all([
      admin.patch(`/v1/agents/${id}`, { name: 'Ada Lovelace' }),
      admin.put(`/v1/agents/${id}/ring-preference`, { ringPreference: { kind: 'simultaneous' } }),
      admin.put(`/v1/agents/${id}/working-hours`, { workingHours: SPLIT_SHIFT }),
      admin.put(`/v1/agents/${id}/after-hours`, { afterHours: { kind: 'voicemail' } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const read = await admin.get<AgentResponse>(`/v1/agents/${id}`);
    expect(read.body.revision).toBe(4);
    expect(read.body.agent).toMatchObject({
      name: 'Ada Lovelace',
      ringPreference: { kind: 'simultaneous' },
      workingHours: { mode: 'weekly' },
      afterHours: { kind: 'voicemail' },
    });
  });

  it('needs agents:write to change and agents:read to read', async () => {
    const agent = await httpAs(app, tenant, 'AGENT', { privileges: ['agents:read'] });
    expect((await agent.post<Problem>('/v1/agents', { name: 'Ada', extension: '2001' })).body).toMatchObject({ status: 403, code: 'AUTH.PRIVILEGE_REQUIRED' });
    expect((await agent.get('/v1/agents')).status).toBe(200);
    const nobody = await httpAs(app, tenant, 'AGENT');
    expect((await nobody.get('/v1/agents')).status).toBe(403);
    expect((await app.http.get('/v1/agents')).status).toBe(401);
  });

  it('answers 404 for an unknown agent and 400 for a malformed id', async () => {
    expect((await admin.get<Problem>('/v1/agents/6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a')).body).toMatchObject({ status: 404, code: 'AGENT_DIRECTORY.AGENT_NOT_FOUND' });
    const malformed = await admin.get<Problem>('/v1/agents/ada');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.map((e) => e.path)).toEqual(['agentId']);
  });
});
