// The call log and agent performance over HTTP on real PostgreSQL and JetStream: visibility per role (ADMIN
// the tenant, MANAGER themself and reportees transitively, AGENT themself; outside it 403, never an empty
// list), filters, pagination, bad input (400), performance per agent and per manager, and the rebuild checksum.
import { randomUUID } from 'node:crypto';
import { toCallStreamId, type CallLogDetail, type CallLogPage, type PerformanceReport, type Problem } from '@cc/contracts';
import { eventually, uniqueTenant, type HttpClient } from '@cc/testing';
import { callLogChecksum, rebuildTenantCallLog } from '../projections/call-log.rebuild';
import {
  appendCall,
  cleanUpTenant,
  httpAs,
  publishCallbackAttempt,
  RosterFixture,
  settled,
  startCallLogTestApp,
  TEST_SCHEMA,
  type CallLogTestApp,
} from '../testing/call-log-test-app';
import { RoutingCallScript, type ScriptedAgent } from '../testing/routing-call.script';

jest.setTimeout(90_000);

const agent = (extension: string): ScriptedAgent => ({ agentId: randomUUID(), extension });
const DAY = '2026-03-02';
const at = (time: string): string => `${DAY}T${time}.000Z`;

describe('call log and performance', () => {
  let app: CallLogTestApp;
  let tenant: string;
  // head (MANAGER) -> lead (MANAGER) -> ada (AGENT); eve (MANAGER) -> bob (AGENT)
  let head: ScriptedAgent, lead: ScriptedAgent, ada: ScriptedAgent, eve: ScriptedAgent, bob: ScriptedAgent;
  let calls: Record<'adaAnswered' | 'bobMissed' | 'leadVoicemail' | 'groupAdaBob', RoutingCallScript>;
  let roster: RosterFixture;

  beforeAll(async () => {
    app = await startCallLogTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  beforeEach(async () => {
    tenant = uniqueTenant();
    [head, lead, ada, eve, bob] = ['2000', '2001', '2002', '2003', '2004'].map(agent) as [ScriptedAgent, ScriptedAgent, ScriptedAgent, ScriptedAgent, ScriptedAgent];
    const call = (time: string, number = '+441234567000') => new RoutingCallScript(tenant, `call-${randomUUID()}@pbx.test`, number, at(time));
    calls = {
      adaAnswered: call('09:00:00').received().decided([ada]).ringing(ada).answered(ada, 4).ended('answered', { talkSeconds: 100, answeredBy: ada }),
      bobMissed: call('10:00:00', '+441234567999').received().decided([bob]).ringing(bob).stepFailed([bob], 'noAnswer', 30).voicemail(bob).ended('voicemail', { afterSeconds: 15 }),
      leadVoicemail: call('11:00:00').received().voicemail(lead).ended('voicemail', { afterSeconds: 30 }),
      groupAdaBob: call('12:00:00').received().decided([ada, bob]).ringing(ada).ringing(bob).answered(bob, 8).ended('answered', { talkSeconds: 50, answeredBy: bob }),
    };
    for (const script of Object.values(calls)) await appendCall(app, script);

    roster = new RosterFixture(app.nc, tenant);
    await roster.enrol(head.agentId, null, 'MANAGER');
    await roster.enrol(eve.agentId, null, 'MANAGER');
    await roster.enrol(lead.agentId, head.agentId, 'MANAGER');
    await roster.enrol(ada.agentId, null);
    await roster.setLine(ada.agentId, lead.agentId, null);
    await roster.enrol(bob.agentId, eve.agentId);
    await settled(app);
    // The reporting-line replica is fed from JetStream: wait until head sees the whole tree.
    const asHead = await httpAs(app, tenant, 'MANAGER', head.agentId);
    await eventually(async () => (await asHead.get<CallLogPage>('/v1/call-logs')).body.items?.length === 3, 30_000);
  });

  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const idsOf = (page: CallLogPage): string[] => page.items.map((item) => item.callId);
  const list = async (http: HttpClient, query = ''): Promise<string[]> => {
    const res = await http.get<CallLogPage>(`/v1/call-logs${query}`);
    expect(res.status).toBe(200);
    return idsOf(res.body);
  };

  describe('visibility per role', () => {
    it('ADMIN sees every call of the tenant, newest first, and may filter by any agent', async () => {
      const admin = await httpAs(app, tenant, 'ADMIN');
      expect(await list(admin)).toEqual([calls.groupAdaBob.callId, calls.leadVoicemail.callId, calls.bobMissed.callId, calls.adaAnswered.callId]);
      expect(await list(admin, `?agentId=${bob.agentId}`)).toEqual([calls.groupAdaBob.callId, calls.bobMissed.callId]);
    });

    it('MANAGER sees their own calls and their reportees\', transitively, and nobody else\'s', async () => {
      const asHead = await httpAs(app, tenant, 'MANAGER', head.agentId);
      expect(await list(asHead)).toEqual([calls.groupAdaBob.callId, calls.leadVoicemail.callId, calls.adaAnswered.callId]);
      expect(await list(asHead, `?agentId=${ada.agentId}`)).toEqual([calls.groupAdaBob.callId, calls.adaAnswered.callId]);
      const asLead = await httpAs(app, tenant, 'MANAGER', lead.agentId);
      expect(await list(asLead)).toEqual([calls.groupAdaBob.callId, calls.leadVoicemail.callId, calls.adaAnswered.callId]);
      const asEve = await httpAs(app, tenant, 'MANAGER', eve.agentId);
      expect(await list(asEve)).toEqual([calls.groupAdaBob.callId, calls.bobMissed.callId]);
    });

    it('MANAGER asking for an agent outside their tree, or their own manager, gets 403 (not an empty list)', async () => {
      const asLead = await httpAs(app, tenant, 'MANAGER', lead.agentId);
      for (const other of [bob, head]) {
        const res = await asLead.get<Problem>(`/v1/call-logs?agentId=${other.agentId}`);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 'CALL_LOG.OUTSIDE_VISIBILITY', errors: [{ path: 'query.agentId' }] });
      }
    });

    it('AGENT sees only calls involving them; another agent\'s calls or a call without them are 403', async () => {
      const asAda = await httpAs(app, tenant, 'AGENT', ada.agentId);
      expect(await list(asAda)).toEqual([calls.groupAdaBob.callId, calls.adaAnswered.callId]);
      expect((await asAda.get<Problem>(`/v1/call-logs?agentId=${bob.agentId}`)).status).toBe(403);
      const detail = await asAda.get<Problem>(`/v1/call-logs/${encodeURIComponent(calls.bobMissed.callId)}`);
      expect(detail.status).toBe(403);
      expect(detail.body.code).toBe('CALL_LOG.OUTSIDE_VISIBILITY');
    });

    it('a reporting line moved in agent-directory moves the visibility with it', async () => {
      await roster.setLine(bob.agentId, lead.agentId, eve.agentId);
      const asHead = await httpAs(app, tenant, 'MANAGER', head.agentId);
      await eventually(async () => (await list(asHead)).includes(calls.bobMissed.callId), 30_000);
      const asEve = await httpAs(app, tenant, 'MANAGER', eve.agentId);
      expect((await asEve.get(`/v1/call-logs?agentId=${bob.agentId}`)).status).toBe(403);
    });

    it('a MANAGER or AGENT token without an agent, or without callLogs:read, is refused', async () => {
      const unlinked = await httpAs(app, tenant, 'AGENT', null);
      expect((await unlinked.get<Problem>('/v1/call-logs')).body).toMatchObject({ status: 403, code: 'CALL_LOG.NO_AGENT_LINK' });
      const unprivileged = await httpAs(app, tenant, 'MANAGER', head.agentId, []);
      expect((await unprivileged.get<Problem>('/v1/call-logs')).body).toMatchObject({ status: 403, code: 'AUTH.PRIVILEGE_REQUIRED' });
      expect((await app.http.get('/v1/call-logs')).status).toBe(401);
    });

    it('another tenant sees none of these calls, and a call id of this tenant is unknown there', async () => {
      const otherAdmin = await httpAs(app, uniqueTenant(), 'ADMIN');
      expect(await list(otherAdmin)).toEqual([]);
      expect((await otherAdmin.get<Problem>(`/v1/call-logs/${encodeURIComponent(calls.adaAnswered.callId)}`)).body).toMatchObject({ status: 404, code: 'CALL_LOG.CALL_NOT_FOUND' });
    });
  });

  describe('entries, filters and pages', () => {
    it('a call in detail: the summary and every step in order', async () => {
      const asAda = await httpAs(app, tenant, 'AGENT', ada.agentId);
      const res = await asAda.get<CallLogDetail>(`/v1/call-logs/${encodeURIComponent(calls.adaAnswered.callId)}`);
      expect(res.status).toBe(200);
      expect(res.body.call).toEqual({
        callId: calls.adaAnswered.callId,
        number: '+441234567000',
        cli: '+447700900123',
        flowVersion: 1,
        status: 'ended',
        outcome: 'answered',
        notRoutable: null,
        startedAt: at('09:00:00'),
        endedAt: '2026-03-02T09:01:44.000Z',
        durationSeconds: 104,
        talkSeconds: 100,
        answeredBy: ada.agentId,
        agentIds: [ada.agentId],
        stepCount: 5,
      });
      expect(res.body.steps.map((s) => [s.revision, s.type, s.eventId])).toEqual(calls.adaAnswered.events.map((e, i) => [i, e.type, e.id]));
      expect(res.body.steps[3]).toMatchObject({ type: 'LegAnswered', data: { ringSeconds: 4, leg: { agentId: ada.agentId } } });
    });

    it('filters by number, outcome and time range', async () => {
      const admin = await httpAs(app, tenant, 'ADMIN');
      expect(await list(admin, '?number=441234567999')).toEqual([calls.bobMissed.callId]);
      expect(await list(admin, `?number=${encodeURIComponent('+441234567999')}`)).toEqual([calls.bobMissed.callId]);
      expect(await list(admin, '?outcome=voicemail')).toEqual([calls.leadVoicemail.callId, calls.bobMissed.callId]);
      expect(await list(admin, '?outcome=inProgress')).toEqual([]);
      expect(await list(admin, `?from=${at('10:00:00')}&to=${at('12:00:00')}`)).toEqual([calls.leadVoicemail.callId, calls.bobMissed.callId]);
    });

    it('pages with a cursor until the last page, without repeating or skipping a call', async () => {
      const admin = await httpAs(app, tenant, 'ADMIN');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: CallLogPage } = await admin.get<CallLogPage>(`/v1/call-logs?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...idsOf(res.body));
        cursor = res.body.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(await list(admin));
    });

    it.each([
      ['a range that ends before it starts', `?from=${at('12:00:00')}&to=${at('10:00:00')}`, 'query.to'],
      ['a range longer than a year', '?from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'query.to'],
      ['a time without offset', '?from=2026-03-02T10:00:00', 'query.from'],
      ['an unknown outcome', '?outcome=lost', 'query.outcome'],
      ['a page size over the maximum', '?limit=201', 'query.limit'],
      ['a cursor this service did not issue', '?cursor=bm9wZQ', 'query.cursor'],
      ['an agent id that is not one', '?agentId=ada', 'query.agentId'],
    ])('refuses %s with 400 on the field', async (_what, query, path) => {
      const admin = await httpAs(app, tenant, 'ADMIN');
      const res = await admin.get<Problem>(`/v1/call-logs${query}`);
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.path)).toContain(path);
    });
  });

  describe('performance', () => {
    const period = `from=${DAY}T00:00:00Z&to=2026-03-03T00:00:00Z`;

    it('per agent: offered, answered, missed, ring and talk time, callbacks handled', async () => {
      await publishCallbackAttempt(app.nc, tenant, { bookingId: randomUUID(), agentIds: [ada.agentId], startedAt: at('15:00:00'), outcome: 'answered' });
      await publishCallbackAttempt(app.nc, tenant, { bookingId: randomUUID(), agentIds: [ada.agentId, bob.agentId], startedAt: at('16:00:00'), outcome: 'no-answer' });
      const asAda = await httpAs(app, tenant, 'AGENT', ada.agentId);
      const report = await eventually(async () => {
        const res = await asAda.get<PerformanceReport>(`/v1/performance?${period}`);
        return res.body.agents?.[0]?.callbacksOffered === 2 ? res.body : undefined;
      }, 30_000);
      expect(report.scope).toEqual({ kind: 'agent', agentId: ada.agentId });
      expect(report.agents).toEqual([
        {
          agentId: ada.agentId,
          callsOffered: 2,
          callsAnswered: 1,
          callsMissed: 0,
          averageRingSeconds: 4,
          talkSeconds: 100,
          averageTalkSeconds: 100,
          callbacksOffered: 2,
          callbacksHandled: 1,
        },
      ]);
    });

    it('per manager: every reportee below them (zeros included) and the team totals', async () => {
      const asHead = await httpAs(app, tenant, 'MANAGER', head.agentId);
      const res = await asHead.get<PerformanceReport>(`/v1/performance?${period}`);
      expect(res.status).toBe(200);
      expect(res.body.scope).toEqual({ kind: 'team', managerId: head.agentId });
      expect(res.body.agents.map((a) => a.agentId).sort()).toEqual([lead.agentId, ada.agentId].sort());
      expect(res.body.agents.find((a) => a.agentId === lead.agentId)).toMatchObject({ callsOffered: 0, averageRingSeconds: null });
      expect(res.body.totals).toMatchObject({ callsOffered: 2, callsAnswered: 1, callsMissed: 0 });

      const asEve = await httpAs(app, tenant, 'MANAGER', eve.agentId);
      const team = (await asEve.get<PerformanceReport>(`/v1/performance?${period}`)).body;
      expect(team.agents).toEqual([expect.objectContaining({ agentId: bob.agentId, callsOffered: 2, callsAnswered: 1, callsMissed: 1, averageRingSeconds: 8, talkSeconds: 50 })]);
    });

    it('ADMIN may ask for any manager\'s team; a manager only for a team within their own tree', async () => {
      const admin = await httpAs(app, tenant, 'ADMIN');
      const lead_ = (await admin.get<PerformanceReport>(`/v1/performance?${period}&managerId=${lead.agentId}`)).body;
      expect(lead_.agents.map((a) => a.agentId)).toEqual([ada.agentId]);
      const asHead = await httpAs(app, tenant, 'MANAGER', head.agentId);
      expect((await asHead.get(`/v1/performance?${period}&managerId=${lead.agentId}`)).status).toBe(200);
      const refused = await asHead.get<Problem>(`/v1/performance?${period}&managerId=${eve.agentId}`);
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]?.path).toBe('query.managerId');
      const asAda = await httpAs(app, tenant, 'AGENT', ada.agentId);
      expect((await asAda.get(`/v1/performance?${period}&agentId=${bob.agentId}`)).status).toBe(403);
      // A login with role AGENT sees only itself, even if the roster puts agents below it.
      const leadAsAgent = await httpAs(app, tenant, 'AGENT', lead.agentId);
      expect((await leadAsAgent.get(`/v1/performance?${period}&managerId=${lead.agentId}`)).status).toBe(403);
      const tenantWide = (await admin.get<PerformanceReport>(`/v1/performance?${period}`)).body;
      expect(tenantWide.totals).toMatchObject({ callsOffered: 4, callsAnswered: 2, callsMissed: 1 });
    });

    it('refuses a missing or inverted period, or agentId with managerId, with 400', async () => {
      const admin = await httpAs(app, tenant, 'ADMIN');
      expect((await admin.get<Problem>('/v1/performance')).body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['query.from', 'query.to']));
      expect((await admin.get<Problem>(`/v1/performance?from=${DAY}T10:00:00Z&to=${DAY}T09:00:00Z`)).body.errors?.[0]?.path).toBe('query.to');
      const both = await admin.get<Problem>(`/v1/performance?${period}&agentId=${ada.agentId}&managerId=${lead.agentId}`);
      expect(both.status).toBe(400);
      expect(both.body.errors?.[0]?.path).toBe('query.managerId');
    });
  });

  describe('rebuild', () => {
    it('dropping the tenant\'s call log and rebuilding it from the store gives the same checksum', async () => {
      const before = await callLogChecksum(app.dataSource, tenant);
      expect(before.endsWith(':0')).toBe(false);
      const { checkpointName } = await rebuildTenantCallLog(app.store, app.dataSource, tenant);
      try {
        expect(await callLogChecksum(app.dataSource, tenant)).toBe(before);
      } finally {
        await app.dataSource.query(`delete from "${TEST_SCHEMA}".checkpoints where name = $1`, [checkpointName]);
      }
    });

    it('a call whose rows were lost is caught up from its stream when its next event arrives', async () => {
      const call = new RoutingCallScript(tenant, `call-${randomUUID()}@pbx.test`, '+441234567000', at('13:00:00')).received().decided([ada]).ringing(ada);
      await appendCall(app, call);
      await settled(app);
      await app.dataSource.query(`delete from call_log_calls where tenant_id = $1 and call_id = $2`, [tenant, call.callId]);
      await app.dataSource.query(`delete from call_log_steps where tenant_id = $1 and call_id = $2`, [tenant, call.callId]);
      const streamId = toCallStreamId(tenant, call.callId);
      call.answered(ada, 3).ended('answered', { talkSeconds: 10, answeredBy: ada });
      await app.store.append(streamId, call.events.slice(3), 2);
      await settled(app);
      const detail = (await (await httpAs(app, tenant, 'ADMIN')).get<CallLogDetail>(`/v1/call-logs/${encodeURIComponent(call.callId)}`)).body;
      expect(detail.steps.map((s) => s.type)).toEqual(['CallReceived', 'RouteDecided', 'LegRinging', 'LegAnswered', 'CallEnded']);
      expect(detail.call).toMatchObject({ status: 'ended', outcome: 'answered', stepCount: 5, startedAt: at('13:00:00'), cli: '+447700900123' });
    });

    it('the checksum sees a difference (so equal checksums mean equal rows)', async () => {
      const before = await callLogChecksum(app.dataSource, tenant);
      await app.dataSource.query(`update call_log_agent_calls set missed = not missed where tenant_id = $1 and agent_id = $2`, [tenant, bob.agentId]);
      expect(await callLogChecksum(app.dataSource, tenant)).not.toBe(before);
    });
  });
});
