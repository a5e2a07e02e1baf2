// The divert HTTP API on the real PostgreSQL and NATS: set / read / clear / replace, bad input as
// problem+json naming the field, loops refused with their chain, optimistic concurrency, roles, list,
// effective divert. Each test has its own tenant.
import { uniqueTenant, type HttpClient } from '@cc/testing';
import type { DivertChangeResult, DivertRulesView, EffectiveDivertResponse, ListDivertRulesResponse, Problem } from '@cc/contracts';
import { cleanUpTenant, DirectoryFixture, httpAs, startDivertTestApp, type DivertTestApp } from '../../test/divert-test-app';

jest.setTimeout(60_000);

describe('divert HTTP API', () => {
  let app: DivertTestApp;
  let tenant: string;
  let directory: DirectoryFixture;
  let agents: Map<string, string>;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startDivertTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    directory = new DirectoryFixture(app.nc, tenant);
    agents = await directory.registerAgents(app, '2001', '2002', '2003', '2004');
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const rules = async (extension: string): Promise<DivertRulesView> => {
    const res = await admin.get<DivertRulesView>(`/v1/extensions/${extension}/diverts`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('sets, reads and clears single rules; the ETag is the stream revision', async () => {
    const before = await admin.get<DivertRulesView>('/v1/extensions/2001/diverts');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ extension: '2001', status: 'unconfigured', revision: -1 });
    expect(before.headers.get('etag')).toBe('"-1"');

    const busy = await admin.put<DivertChangeResult>('/v1/extensions/2001/diverts/busy', {
      target: { kind: 'number', number: '441234567890' },
      reason: 'mobile while travelling',
    });
    expect(busy.status).toBe(200);
    expect(busy.body).toMatchObject({ extension: '2001', changed: true, revision: 0 });
    expect(busy.body.rules.busy).toEqual({ target: { kind: 'number', e164: '+441234567890' }, validity: null });
    expect(busy.headers.get('etag')).toBe('"0"');

    const noAnswer = await admin.put<DivertChangeResult>('/v1/extensions/2001/diverts/noAnswer', {
      target: { kind: 'extension', extension: '2002' },
      ringSeconds: 20,
    });
    expect(noAnswer.body).toMatchObject({ changed: true, revision: 1 });

    const read = await rules('2001');
    expect(read).toMatchObject({ status: 'configured', revision: 1 });
    expect(read.rules.noAnswer).toEqual({ target: { kind: 'extension', extension: '2002' }, validity: null, ringSeconds: 20 });
    expect(read.rules.busy.target).toEqual({ kind: 'number', e164: '+441234567890' });

    const cleared = await admin.delete<DivertChangeResult>('/v1/extensions/2001/diverts/busy?reason=back%20in%20the%20office');
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ changed: true, revision: 2 });
    expect(cleared.body.rules.busy).toEqual({ target: { kind: 'off' }, validity: null });

    const again = await admin.delete<DivertChangeResult>('/v1/extensions/2001/diverts/busy');
    expect(again.body).toMatchObject({ changed: false, revision: 2 });
  });

  it('replaces all rules of an extension: conditions left out are off, the ring time defaults to 300 s', async () => {
    await admin.put('/v1/extensions/2001/diverts/always', { target: { kind: 'voicemail' } });
    const replaced = await admin.put<DivertChangeResult>('/v1/extensions/2001/diverts', {
      rules: { busy: { target: { kind: 'extension', extension: '2003' } }, noAnswer: { target: { kind: 'voicemail' } } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.rules).toEqual({
      always: { target: { kind: 'off' }, validity: null },
      noAnswer: { target: { kind: 'voicemail' }, validity: null, ringSeconds: 300 },
      busy: { target: { kind: 'extension', extension: '2003' }, validity: null },
      unreachable: { target: { kind: 'off' }, validity: null },
    });
    expect((await rules('2001')).rules).toEqual(replaced.body.rules);
  });

  it.each([
    ['an unknown extension', 'PUT', '/v1/extensions/2999/diverts/busy', { target: { kind: 'voicemail' } }, 404, 'DIVERT.UNKNOWN_EXTENSION', 'extension'],
    ['an unknown target extension', 'PUT', '/v1/extensions/2001/diverts/busy', { target: { kind: 'extension', extension: '2999' } }, 404, 'DIVERT.UNKNOWN_EXTENSION', 'rules.busy.target.extension'],
    ['an outside number that is not a number', 'PUT', '/v1/extensions/2001/diverts/busy', { target: { kind: 'number', number: 'call my mobile' } }, 400, 'DIVERT.INVALID_NUMBER', 'rules.busy.target.number'],
    ['an outside number that does not exist', 'PUT', '/v1/extensions/2001/diverts/unreachable', { target: { kind: 'number', number: '+44 12' } }, 400, 'DIVERT.INVALID_NUMBER', 'rules.unreachable.target.number'],
    ['a ring time below the range', 'PUT', '/v1/extensions/2001/diverts/noAnswer', { target: { kind: 'voicemail' }, ringSeconds: 2 }, 400, 'DIVERT.RING_TIME_OUT_OF_RANGE', 'rules.noAnswer.ringSeconds'],
    ['a ring time above the range', 'PUT', '/v1/extensions/2001/diverts', { rules: { noAnswer: { target: { kind: 'voicemail' }, ringSeconds: 601 } } }, 400, 'DIVERT.RING_TIME_OUT_OF_RANGE', 'rules.noAnswer.ringSeconds'],
    ['a divert to itself', 'PUT', '/v1/extensions/2001/diverts/always', { target: { kind: 'extension', extension: '2001' } }, 400, 'DIVERT.TARGET_IS_SELF', 'rules.always.target.extension'],
    ['a ring time on a busy rule', 'PUT', '/v1/extensions/2001/diverts/busy', { target: { kind: 'voicemail' }, ringSeconds: 20 }, 400, 'VALIDATION.INVALID_INPUT', 'ringSeconds'],
    ['an unknown target kind', 'PUT', '/v1/extensions/2001/diverts', { rules: { busy: { target: { kind: 'queue' } } } }, 400, 'VALIDATION.INVALID_INPUT', 'rules.busy.target.kind'],
    ['an unknown condition', 'PUT', '/v1/extensions/2001/diverts/sometimes', { target: { kind: 'voicemail' } }, 400, 'VALIDATION.INVALID_INPUT', 'condition'],
    ['a malformed extension', 'GET', '/v1/extensions/20a1/diverts', undefined, 400, 'VALIDATION.INVALID_INPUT', 'extension'],
    ['a malformed If-Match', 'DELETE', '/v1/extensions/2001/diverts/busy', undefined, 400, 'VALIDATION.INVALID_INPUT', 'headers.if-match'],
  ])('refuses %s with problem+json naming the field', async (_what, method, path, body, status, code, field) => {
    const headers: Record<string, string> = method === 'DELETE' ? { 'if-match': 'yesterday' } : {};
    const res = await admin.send<Problem>(method, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code });
    // An unexpected key is reported by zod at the enclosing object's path, the key named in the message.
    const named = res.body.errors?.some((e) => e.path === field || (e.path === '(root)' && e.message.includes(`"${field}"`)));
    expect({ errors: res.body.errors, named }).toMatchObject({ named: true });
    expect((await rules('2001')).revision).toBe(-1);
  });

  it('refuses the rule that closes a loop A -> B -> C -> A with 409 and reports the chain', async () => {
    expect((await admin.put('/v1/extensions/2001/diverts/always', { target: { kind: 'extension', extension: '2002' } })).status).toBe(200);
    expect((await admin.put('/v1/extensions/2002/diverts/busy', { target: { kind: 'extension', extension: '2003' } })).status).toBe(200);

    const loop = await admin.put<Problem>('/v1/extensions/2003/diverts/noAnswer', { target: { kind: 'extension', extension: '2001' } });
    expect(loop.status).toBe(409);
    expect(loop.body.code).toBe('DIVERT.LOOP');
    expect(loop.body.errors).toEqual([{ path: 'rules.noAnswer.target.extension', message: expect.stringContaining('2003 -> 2001 -> 2002 -> 2003') }]);
    expect(JSON.parse(loop.body.detail ?? '{}')).toMatchObject({
      chain: ['2003', '2001', '2002', '2003'],
      conditions: ['noAnswer', 'always', 'busy'],
    });
    expect((await rules('2003')).revision).toBe(-1);

    // Breaking the chain elsewhere makes the same rule acceptable.
    expect((await admin.delete('/v1/extensions/2002/diverts/busy')).status).toBe(200);
    expect((await admin.put('/v1/extensions/2003/diverts/noAnswer', { target: { kind: 'extension', extension: '2001' } })).status).toBe(200);
  });

  it('concurrent edits at the same revision: one wins, the other gets 409 with the current revision; nothing is lost', async () => {
    const first = await admin.put<DivertChangeResult>('/v1/extensions/2001/diverts/busy', { target: { kind: 'voicemail' } });
    expect(first.body.revision).toBe(0);

    const [viaHeader, viaBody] = await Promise.all([
      admin.send<DivertChangeResult & Problem>('PUT', '/v1/extensions/2001/diverts/unreachable', { target: { kind: 'voicemail' } }, { 'if-match': '"0"' }),
      admin.put<DivertChangeResult & Problem>('/v1/extensions/2001/diverts/noAnswer', { target: { kind: 'voicemail' }, expectedRevision: 0 }),
    ]);
    const statuses = [viaHeader.status, viaBody.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = viaHeader.status === 409 ? viaHeader : viaBody;
    expect(loser.body).toMatchObject({ code: 'CONCURRENCY.REVISION_MISMATCH', currentRevision: 1 });

    // The loser re-reads and retries with the new ETag.
    const retried = await admin.send<DivertChangeResult>(
      'PUT',
      loser === viaHeader ? '/v1/extensions/2001/diverts/unreachable' : '/v1/extensions/2001/diverts/noAnswer',
      { target: { kind: 'voicemail' } },
      { 'if-match': (await admin.get('/v1/extensions/2001/diverts')).headers.get('etag') as string },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.revision).toBe(2);

    // Without a pinned revision, concurrent changes of different rules are all kept (re-decided on conflict).
    const wanted = { always: '2003', busy: '2004', unreachable: '2001' } as const;
    const results = await Promise.all(
      Object.entries(wanted).map(([condition, extension]) =>
        admin.put<DivertChangeResult>(`/v1/extensions/2002/diverts/${condition}`, { target: { kind: 'extension', extension } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const final = await rules('2002');
    expect(final.revision).toBe(2);
    expect(final.rules.always.target).toEqual({ kind: 'extension', extension: '2003' });
    expect(final.rules.busy.target).toEqual({ kind: 'extension', extension: '2004' });
    expect(final.rules.unreachable.target).toEqual({ kind: 'extension', extension: '2001' });
  });

  it('an AGENT manages only their own extension; tenant-wide operations need another role', async () => {
    const agent = await httpAs(app, tenant, 'AGENT', agents.get('2001') ?? null);
    expect((await agent.put('/v1/extensions/2001/diverts/busy', { target: { kind: 'voicemail' } })).status).toBe(200);
    expect((await agent.get('/v1/extensions/2001/diverts/effective')).status).toBe(200);

    const other = await agent.put<Problem>('/v1/extensions/2002/diverts/busy', { target: { kind: 'voicemail' } });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('DIVERT.NOT_YOUR_EXTENSION');
    expect((await agent.get<Problem>('/v1/extensions/2002/diverts')).status).toBe(403);
    expect((await agent.get<Problem>('/v1/diverts')).body.code).toBe('AUTH.ROLE_REQUIRED');
    expect((await agent.post<Problem>('/v1/diverts/bulk', { items: [{ extension: '2001', rules: {} }] })).status).toBe(403);
    expect((await agent.get<Problem>('/v1/diverts/audit')).status).toBe(403);

    const noAgent = await httpAs(app, tenant, 'AGENT', null);
    expect((await noAgent.put<Problem>('/v1/extensions/2001/diverts/busy', { target: { kind: 'off' } })).status).toBe(403);

    const manager = await httpAs(app, tenant, 'MANAGER');
    expect((await manager.put('/v1/extensions/2002/diverts/busy', { target: { kind: 'voicemail' } })).status).toBe(200);
    expect((await app.http.get('/v1/extensions/2001/diverts')).status).toBe(401);
  });

  it('lists the configured extensions a page at a time, in extension order', async () => {
    for (const extension of ['2003', '2001', '2002']) {
      await admin.put(`/v1/extensions/${extension}/diverts/busy`, { target: { kind: 'voicemail' } });
    }
    const page1 = await admin.get<ListDivertRulesResponse>('/v1/diverts?page=1&pageSize=2');
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(page1.body.items.map((i) => i.extension)).toEqual(['2001', '2002']);
    expect(page1.body.items[0]).toMatchObject({ status: 'configured', revision: 0, updatedBy: `admin@${tenant}.test` });

    const page2 = await admin.get<ListDivertRulesResponse>('/v1/diverts?page=2&pageSize=2');
    expect(page2.body.items.map((i) => i.extension)).toEqual(['2003']);

    const one = await admin.get<ListDivertRulesResponse>('/v1/diverts?extension=2002');
    expect(one.body).toMatchObject({ total: 1, items: [{ extension: '2002' }] });

    const bad = await admin.get<Problem>('/v1/diverts?pageSize=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe('query.pageSize');
  });

  it('answers the effective divert at an instant: windows applied, chains followed to where the call ends up', async () => {
    const from = new Date(Date.now() + 24 * 3600_000).toISOString();
    const to = new Date(Date.now() + 48 * 3600_000).toISOString();
    const inside = new Date(Date.now() + 36 * 3600_000).toISOString();
    await admin.put('/v1/extensions/2001/diverts/always', { target: { kind: 'extension', extension: '2002' }, validity: { from, to } });
    await admin.put('/v1/extensions/2002/diverts/noAnswer', { target: { kind: 'voicemail' }, ringSeconds: 15 });

    const during = await admin.get<EffectiveDivertResponse>(`/v1/extensions/2001/diverts/effective?at=${encodeURIComponent(inside)}`);
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ extension: '2001', rings: false, ringSeconds: null });
    expect(during.body.targets.always).toEqual({ kind: 'extension', extension: '2002' });
    expect(during.body.resolved.always).toEqual({
      outcome: { kind: 'ring', extension: '2002', ringSeconds: 15 },
      hops: [{ from: '2001', condition: 'always', to: '2002' }],
      stop: 'resolved',
    });

    const now = await admin.get<EffectiveDivertResponse>('/v1/extensions/2001/diverts/effective');
    expect(now.body).toMatchObject({ rings: true, targets: { always: { kind: 'off' } } });
    expect(now.body.resolved.busy.outcome).toEqual({ kind: 'noDivert', extension: '2001', condition: 'busy' });

    expect((await admin.get<Problem>('/v1/extensions/2999/diverts/effective')).status).toBe(404);
    const badAt = await admin.get<Problem>('/v1/extensions/2001/diverts/effective?at=tomorrow');
    expect(badAt.status).toBe(400);
    expect(badAt.body.errors?.[0]?.path).toBe('query.at');
  });

  it('documents the API in OpenAPI with the contract schemas', async () => {
    const doc = await app.http.get<{ paths: Record<string, unknown> }>('/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/extensions/{extension}/diverts',
        '/v1/extensions/{extension}/diverts/{condition}',
        '/v1/extensions/{extension}/diverts/effective',
        '/v1/extensions/{extension}/diverts/audit',
        '/v1/diverts',
        '/v1/diverts/bulk',
        '/v1/diverts/audit',
      ]),
    );
    expect(JSON.stringify(doc.body.paths['/v1/extensions/{extension}/diverts/{condition}'])).toContain('ringSeconds');
  });
});

