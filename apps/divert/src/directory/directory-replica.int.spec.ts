// The agent-directory replica on real JetStream and PostgreSQL: extensions appear when agents register;
// removing or moving an agent rewrites the rules that pointed at its extension to the diverting
// extension's voicemail (DivertTargetOrphaned) and removes its own rules (DivertExtensionRemoved).
import {
  eventSubject,
  type DivertAuditResponse,
  type DivertChangeResult,
  type DivertEventEnvelope,
  type DivertRulesView,
  type Problem,
} from '@cc/contracts';
import { eventually, nextMessage, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, DirectoryFixture, httpAs, startDivertTestApp, type DivertTestApp } from '../../test/divert-test-app';
import { DirectoryReplica } from './directory-replica';

jest.setTimeout(60_000);

type Published = DivertEventEnvelope & { streamId: string; revision: number };

describe('agent-directory replica', () => {
  let app: DivertTestApp;
  let tenant: string;
  let directory: DirectoryFixture;
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
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  /** Subscribes now (before acting) to the divert event of `type` for `extension` in this tenant. */
  const divertEvent = (type: string, extension: string) =>
    nextMessage<Published>(app.nc, eventSubject('divert', tenant, type), (event) => (event.data as { extension: string }).extension === extension);

  it('removing an extension sends the rules that pointed at it to voicemail and removes its own rules', async () => {
    await directory.registerAgents(app, '2001', '2002', '2003');
    const from = new Date(Date.now() + 24 * 3600_000).toISOString();
    const to = new Date(Date.now() + 48 * 3600_000).toISOString();
    await admin.put('/v1/extensions/2001/diverts', {
      rules: {
        noAnswer: { target: { kind: 'extension', extension: '2003' }, ringSeconds: 20 },
        busy: { target: { kind: 'extension', extension: '2003' } },
        unreachable: { target: { kind: 'number', number: '441234567890' } },
      },
    });
    await admin.put('/v1/extensions/2002/diverts/always', { target: { kind: 'extension', extension: '2003' }, validity: { from, to } });
    await admin.put('/v1/extensions/2003/diverts/always', { target: { kind: 'voicemail' } });

    const orphaned2001 = divertEvent('DivertTargetOrphaned', '2001');
    const orphaned2002 = divertEvent('DivertTargetOrphaned', '2002');
    const removed2003 = divertEvent('DivertExtensionRemoved', '2003');
    const cause = await directory.removeAgent('2003');

    const first = await orphaned2001.promise;
    expect(first.data).toMatchObject({ extension: '2001', removedExtension: '2003', conditions: ['noAnswer', 'busy'] });
    expect(first).toMatchObject({ causationId: cause.id, actor: cause.actor, correlationId: cause.correlationId });
    const rewritten = (first.data as { rules: DivertChangeResult['rules'] }).rules;
    expect(rewritten.noAnswer).toEqual({ target: { kind: 'voicemail' }, validity: null, ringSeconds: 20 });
    expect(rewritten.busy).toEqual({ target: { kind: 'voicemail' }, validity: null });
    expect(rewritten.unreachable.target).toEqual({ kind: 'number', e164: '+441234567890' });

    const second = await orphaned2002.promise;
    expect((second.data as { rules: DivertChangeResult['rules'] }).rules.always).toEqual({ target: { kind: 'voicemail' }, validity: { from, to } });
    expect((await removed2003.promise).data).toMatchObject({ extension: '2003', reason: 'extension 2003 was removed from the directory' });

    const removedView = await admin.get<DivertRulesView>('/v1/extensions/2003/diverts');
    expect(removedView.body).toMatchObject({ status: 'removed', revision: 1 });
    const refused = await admin.put<Problem>('/v1/extensions/2001/diverts/busy', { target: { kind: 'extension', extension: '2003' } });
    expect(refused.status).toBe(404);
    expect(refused.body.errors?.[0]?.path).toBe('rules.busy.target.extension');

    const audit = await admin.get<DivertAuditResponse>('/v1/extensions/2001/diverts/audit');
    expect(audit.body.entries[0]).toMatchObject({
      type: 'DivertTargetOrphaned',
      actor: cause.actor,
      reason: 'extension 2003 was removed from the directory',
      conditions: ['noAnswer', 'busy'],
    });
  });

  it('an agent moving to another extension releases the old number; the new one can be used', async () => {
    await directory.registerAgents(app, '2001', '2002');
    await admin.put('/v1/extensions/2002/diverts/busy', { target: { kind: 'extension', extension: '2001' } });

    const orphaned = divertEvent('DivertTargetOrphaned', '2002');
    await directory.moveAgent('2001', '2005');
    expect((await orphaned.promise).data).toMatchObject({ removedExtension: '2001', conditions: ['busy'] });

    // The replica row is written right after the divert changes (the event can arrive first).
    await eventually(async () => (await admin.get('/v1/extensions/2001/diverts')).status === 404);
    const moved = await admin.put<DivertChangeResult>('/v1/extensions/2002/diverts/busy', { target: { kind: 'extension', extension: '2005' } });
    expect(moved.status).toBe(200);
  });

  it('applies each directory event once and never goes back to an older revision', async () => {
    await directory.registerAgents(app, '2001', '2002');
    const registration = directory.published[0];
    await admin.put('/v1/extensions/2002/diverts/busy', { target: { kind: 'extension', extension: '2001' } });
    const orphaned = divertEvent('DivertTargetOrphaned', '2002');
    const move = await directory.moveAgent('2001', '2005');
    await orphaned.promise;

    // The consumer is at-least-once: hand events to the replica again, as a late redelivery would.
    const replica = app.app.get(DirectoryReplica);
    await replica.apply(move);
    await replica.apply(registration as NonNullable<typeof registration>);
    // The older registration did not bring 2001 back, and the move did not orphan anything twice.
    expect((await admin.get('/v1/extensions/2001/diverts')).status).toBe(404);
    expect((await admin.get('/v1/extensions/2005/diverts')).status).toBe(200);
    const audit = await admin.get<DivertAuditResponse>('/v1/extensions/2002/diverts/audit');
    expect(audit.body.entries.map((e) => e.type)).toEqual(['DivertTargetOrphaned', 'DivertRuleSet']);
  });

  it("reads numbers typed without + with the tenant's default country from the directory", async () => {
    await directory.registerAgents(app, '2001');
    await directory.setDefaultCountry('DE');
    // Until the tenant event is applied the number reads as British; then as German.
    const e164 = await eventually(async () => {
      const res = await admin.put<DivertChangeResult>('/v1/extensions/2001/diverts/busy', { target: { kind: 'number', number: '030 12345678' } });
      const target = res.body.rules?.busy.target;
      return target?.kind === 'number' && target.e164.startsWith('+49') ? target.e164 : undefined;
    });
    expect(e164).toBe('+493012345678');
  });

  it('keeps the replica in PostgreSQL: a restarted service knows the extensions without a replay', async () => {
    await directory.registerAgents(app, '2001');
    const restarted = await startDivertTestApp();
    try {
      const http = await httpAs(restarted, tenant, 'ADMIN');
      expect((await http.get('/v1/extensions/2001/diverts')).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });
});
