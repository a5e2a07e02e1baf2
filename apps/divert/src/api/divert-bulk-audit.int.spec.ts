// Bulk updates (applied in order, atomic per extension, one result per item) and the audit trail built
// from the events (who, when, what, why), on the real PostgreSQL and NATS.
import { uniqueTenant, type HttpClient } from '@cc/testing';
import type { BulkReplaceDivertRulesResponse, DivertAuditResponse, DivertRulesView, Problem } from '@cc/contracts';
import { cleanUpTenant, DirectoryFixture, httpAs, startDivertTestApp, type DivertTestApp } from '../../test/divert-test-app';

jest.setTimeout(60_000);

describe('divert bulk updates and audit trail', () => {
  let app: DivertTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startDivertTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await new DirectoryFixture(app.nc, tenant).registerAgents(app, '2001', '2002', '2003', '2004');
    admin = await httpAs(app, tenant, 'OPERATOR');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const revisionOf = async (extension: string): Promise<number> =>
    (await admin.get<DivertRulesView>(`/v1/extensions/${extension}/diverts`)).body.revision;

  it('applies the good items, rejects the bad ones on their own, later items seeing earlier ones (207)', async () => {
    const res = await admin.post<BulkReplaceDivertRulesResponse>('/v1/diverts/bulk', {
      reason: 'holiday cover',
      items: [
        { extension: '2001', rules: { always: { target: { kind: 'extension', extension: '2002' } } } },
        // Closes a loop with the item before it.
        { extension: '2002', rules: { always: { target: { kind: 'extension', extension: '2001' } } } },
        { extension: '2003', rules: { busy: { target: { kind: 'number', number: 'not a number' } } } },
        { extension: '2004', rules: { noAnswer: { target: { kind: 'voicemail' }, ringSeconds: 30 } } },
        { extension: '2999', rules: {} },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.results.map((r) => [r.extension, r.status])).toEqual([
      ['2001', 'changed'],
      ['2002', 'rejected'],
      ['2003', 'rejected'],
      ['2004', 'changed'],
      ['2999', 'rejected'],
    ]);
    const problems = res.body.results.flatMap((r) => (r.status === 'rejected' ? [r.problem] : []));
    expect(problems.map((p) => [p.status, p.code, p.errors?.[0]?.path])).toEqual([
      [409, 'DIVERT.LOOP', 'rules.always.target.extension'],
      [400, 'DIVERT.INVALID_NUMBER', 'rules.busy.target.number'],
      [404, 'DIVERT.UNKNOWN_EXTENSION', 'extension'],
    ]);
    expect(await revisionOf('2001')).toBe(0);
    expect(await revisionOf('2002')).toBe(-1);
    expect(await revisionOf('2003')).toBe(-1);
    expect(await revisionOf('2004')).toBe(0);

    // Sending the same rules again changes nothing (no events), and an all-good bulk answers 200.
    const again = await admin.post<BulkReplaceDivertRulesResponse>('/v1/diverts/bulk', {
      items: [
        { extension: '2001', rules: { always: { target: { kind: 'extension', extension: '2002' } } } },
        { extension: '2003', rules: { busy: { target: { kind: 'voicemail' } } }, expectedRevision: -1 },
      ],
    });
    expect(again.status).toBe(200);
    expect(again.body.results.map((r) => [r.extension, r.status])).toEqual([
      ['2001', 'unchanged'],
      ['2003', 'changed'],
    ]);
  });

  it('checks a stale expectedRevision per item', async () => {
    await admin.put('/v1/extensions/2001/diverts/busy', { target: { kind: 'voicemail' } });
    const res = await admin.post<BulkReplaceDivertRulesResponse>('/v1/diverts/bulk', {
      items: [
        { extension: '2001', rules: {}, expectedRevision: -1 },
        { extension: '2002', rules: { busy: { target: { kind: 'voicemail' } } }, expectedRevision: -1 },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', problem: { status: 409, currentRevision: 0 } });
    expect(res.body.results[1]).toMatchObject({ status: 'changed', revision: 0 });
  });

  it('refuses a malformed bulk request as a whole, naming the item', async () => {
    const res = await admin.post<Problem>('/v1/diverts/bulk', {
      items: [
        { extension: '2001', rules: {} },
        { extension: '2002', rules: {} },
        { extension: '2001', rules: {} },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path)).toEqual(['items.2.extension']);
    expect(await revisionOf('2002')).toBe(-1);
  });

  it('keeps an audit trail from the events: who changed what, when and why, newest first, paged', async () => {
    const manager = await httpAs(app, tenant, 'MANAGER');
    const correlationId = `corr-${tenant}`;
    await admin.send('PUT', '/v1/extensions/2001/diverts/busy', { target: { kind: 'extension', extension: '2002' }, reason: 'cover' }, {
      'x-correlation-id': correlationId,
    });
    await manager.put('/v1/extensions/2001/diverts', { rules: { noAnswer: { target: { kind: 'voicemail' }, ringSeconds: 25 } }, reason: 'new plan' });
    await manager.delete('/v1/extensions/2001/diverts/noAnswer?reason=done');
    await admin.put('/v1/extensions/2002/diverts/always', { target: { kind: 'voicemail' } });

    const trail = await admin.get<DivertAuditResponse>('/v1/extensions/2001/diverts/audit');
    expect(trail.status).toBe(200);
    expect(trail.body.nextCursor).toBeNull();
    expect(trail.body.entries.map((e) => [e.type, e.actor, e.conditions, e.reason])).toEqual([
      ['DivertRuleCleared', `manager@${tenant}.test`, ['noAnswer'], 'done'],
      ['DivertRulesReplaced', `manager@${tenant}.test`, ['noAnswer', 'busy'], 'new plan'],
      ['DivertRuleSet', `operator@${tenant}.test`, ['busy'], 'cover'],
    ]);
    const set = trail.body.entries[2];
    expect(set?.correlationId).toBe(correlationId);
    expect(set?.rules?.busy.target).toEqual({ kind: 'extension', extension: '2002' });
    expect(Date.parse(set?.occurredAt ?? '')).not.toBeNaN();

    // Page by page with the cursor, over the whole tenant.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/diverts/audit?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { status: number; body: DivertAuditResponse } = await admin.get<DivertAuditResponse>(query);
      expect(page.status).toBe(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.entries.map((e) => `${e.extension}:${e.type}`));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['2002:DivertRuleSet', '2001:DivertRuleCleared', '2001:DivertRulesReplaced', '2001:DivertRuleSet']);

    const filtered = await admin.get<DivertAuditResponse>('/v1/diverts/audit?extension=2002');
    expect(filtered.body.entries.map((e) => e.extension)).toEqual(['2002']);

    const badCursor = await admin.get<Problem>('/v1/diverts/audit?cursor=abc');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors?.[0]?.path).toBe('cursor');
  });
});
