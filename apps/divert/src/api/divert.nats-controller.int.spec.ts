// The divert NATS request-reply API (`divert.<verb>`) on the real NATS and PostgreSQL: the same operations
// as HTTP for internal services, errors as the same problem objects (codes and field paths survive the hop).
import { uniqueTenant } from '@cc/testing';
import {
  DivertRpc,
  type BulkReplaceDivertRulesResponse,
  type DivertAuditResponse,
  type DivertChangeResult,
  type DivertRulesView,
  type EffectiveDivertResponse,
  type ListDivertRulesResponse,
} from '@cc/contracts';
import { RemoteProblemError, rpcRequest } from '@cc/platform';
import { cleanUpTenant, DirectoryFixture, holdNatsRequestWindow, startDivertTestApp, type DivertTestApp } from '../../test/divert-test-app';

jest.setTimeout(60_000);

describe('divert NATS request-reply API', () => {
  let app: DivertTestApp;
  let tenant: string;
  let releaseNatsWindow: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    app = await startDivertTestApp();
    // Requests may be answered by a divert test app of another test file: none closes meanwhile.
    releaseNatsWindow = await holdNatsRequestWindow();
  });
  afterAll(async () => {
    await releaseNatsWindow?.();
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await new DirectoryFixture(app.nc, tenant).registerAgents(app, '2001', '2002', '2003');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const call = <T>(rpc: { subject: string }, payload: unknown, actor = 'service:call-router'): Promise<T> =>
    rpcRequest<T>(app.nc, rpc.subject, { tenantId: tenant, actor, payload });

  const problemOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteProblemError);
    return (error as RemoteProblemError).problem;
  };

  it('sets, reads, replaces and clears rules', async () => {
    const set = await call<DivertChangeResult>(DivertRpc.setRule, {
      extension: '2001',
      condition: 'busy',
      target: { kind: 'number', number: '441234567890' },
      reason: 'mobile while travelling',
    });
    expect(set).toMatchObject({ extension: '2001', changed: true, revision: 0 });
    expect(set.rules.busy.target).toEqual({ kind: 'number', e164: '+441234567890' });

    const replaced = await call<DivertChangeResult>(DivertRpc.replaceRules, {
      extension: '2001',
      rules: { noAnswer: { target: { kind: 'extension', extension: '2002' }, ringSeconds: 20 } },
      expectedRevision: 0,
    });
    expect(replaced).toMatchObject({ changed: true, revision: 1 });

    const read = await call<DivertRulesView>(DivertRpc.getRules, { extension: '2001' });
    expect(read).toMatchObject({ status: 'configured', revision: 1 });
    expect(read.rules.busy.target).toEqual({ kind: 'off' });
    expect(read.rules.noAnswer).toEqual({ target: { kind: 'extension', extension: '2002' }, validity: null, ringSeconds: 20 });

    const cleared = await call<DivertChangeResult>(DivertRpc.clearRule, { extension: '2001', condition: 'noAnswer' });
    expect(cleared).toMatchObject({ changed: true, revision: 2 });
    expect(cleared.rules.noAnswer).toEqual({ target: { kind: 'off' }, validity: null, ringSeconds: 300 });
  });

  it('answers effective divert, list, bulk and audit', async () => {
    await call(DivertRpc.setRule, { extension: '2001', condition: 'always', target: { kind: 'extension', extension: '2002' } }, 'service:admin-console');

    const effective = await call<EffectiveDivertResponse>(DivertRpc.effectiveDivert, { extension: '2001' });
    expect(effective).toMatchObject({ extension: '2001', rings: false });
    expect(effective.resolved.busy.outcome).toEqual({ kind: 'ring', extension: '2002', ringSeconds: null });

    const bulk = await call<BulkReplaceDivertRulesResponse>(DivertRpc.bulkReplaceRules, {
      items: [
        { extension: '2002', rules: { busy: { target: { kind: 'voicemail' } } } },
        { extension: '2003', rules: { always: { target: { kind: 'extension', extension: '2003' } } } },
      ],
    });
    expect(bulk.results.map((r) => r.status)).toEqual(['changed', 'rejected']);

    const list = await call<ListDivertRulesResponse>(DivertRpc.listRules, { page: 1, pageSize: 10 });
    expect(list).toMatchObject({ total: 2, page: 1, pageSize: 10 });
    expect(list.items.map((i) => i.extension)).toEqual(['2001', '2002']);

    const audit = await call<DivertAuditResponse>(DivertRpc.audit, { extension: '2001', limit: 10 });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ type: 'DivertRuleSet', actor: 'service:admin-console', conditions: ['always'] });
  });

  it('replies with the same problem objects as HTTP: code, status and field path survive the hop', async () => {
    expect(await problemOf(call(DivertRpc.getRules, { extension: '2999' }))).toMatchObject({
      status: 404,
      code: 'DIVERT.UNKNOWN_EXTENSION',
      errors: [{ path: 'extension' }],
    });
    expect(
      await problemOf(call(DivertRpc.setRule, { extension: '2001', condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds: 9000 })),
    ).toMatchObject({ status: 400, code: 'DIVERT.RING_TIME_OUT_OF_RANGE', errors: [{ path: 'rules.noAnswer.ringSeconds' }] });
    expect(await problemOf(call(DivertRpc.getRules, { extension: 'x' }))).toMatchObject({
      status: 400,
      code: 'VALIDATION.INVALID_INPUT',
      errors: [{ path: 'payload.extension' }],
    });
    expect(await problemOf(rpcRequest(app.nc, DivertRpc.getRules.subject, { payload: { extension: '2001' } }))).toMatchObject({
      status: 400,
      errors: expect.arrayContaining([{ path: 'tenantId', message: expect.any(String) }]),
    });

    await call(DivertRpc.setRule, { extension: '2001', condition: 'busy', target: { kind: 'extension', extension: '2002' } });
    const loop = await problemOf(call(DivertRpc.setRule, { extension: '2002', condition: 'unreachable', target: { kind: 'extension', extension: '2001' } }));
    expect(loop).toMatchObject({ status: 409, code: 'DIVERT.LOOP' });
    expect(JSON.parse(loop.detail ?? '{}').chain).toEqual(['2002', '2001', '2002']);

    const stale = await problemOf(call(DivertRpc.clearRule, { extension: '2001', condition: 'busy', expectedRevision: 7 }));
    expect(stale).toMatchObject({ status: 409, code: 'CONCURRENCY.REVISION_MISMATCH', currentRevision: 0 });
  });
});
