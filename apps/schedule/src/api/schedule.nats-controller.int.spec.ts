// The schedule NATS request-reply API (`schedule.<verb>`) on the real NATS and PostgreSQL: the same
// operations as HTTP for internal services, errors as the same problem objects (codes and field paths
// survive the hop). Requests may be answered by a schedule app of another test file (same queue group,
// same schema; possibly a ManualClock), so every query passes an explicit instant and no command here
// depends on "now".
import { performance } from 'node:perf_hooks';
import {
  ScheduleRpc,
  type DeleteTemplateResult,
  type ImportExceptionsResult,
  type IsOpenResponse,
  type ListExceptionsResponse,
  type ListSchedulesResponse,
  type PreviewScheduleResponse,
  type ScheduleAuditResponse,
  type ScheduleChangeResult,
  type ScheduleView,
} from '@cc/contracts';
import { RemoteProblemError, rpcRequest } from '@cc/platform';
import { uniqueTenant } from '@cc/testing';
import { cleanUpTenant, startScheduleTestApp, type ScheduleTestApp } from '../../test/schedule-test-app';

jest.setTimeout(60_000);

const CHRISTMAS_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//call-control//nats test//EN',
  'BEGIN:VEVENT',
  'UID:xmas@holidays.example',
  'DTSTART;VALUE=DATE:20201225',
  'RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25',
  'SUMMARY:Christmas Day',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('schedule NATS request-reply API', () => {
  let app: ScheduleTestApp;
  let tenant: string;

  beforeAll(async () => {
    app = await startScheduleTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    tenant = uniqueTenant();
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const call = <T>(rpc: { subject: string }, payload: unknown, actor = 'service:admin-console', tenantId = tenant): Promise<T> =>
    rpcRequest<T>(app.nc, rpc.subject, { tenantId, actor, payload });

  const problemOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteProblemError);
    return (error as RemoteProblemError).problem;
  };

  /** Schedule 1 (Mon-Fri 09-17) and Schedule 2 (Mon-Fri 12-20), no rotation yet. */
  const setUp = async (): Promise<void> => {
    const weekdays = (start: string, end: string) => ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start, end }));
    await call(ScheduleRpc.create, { scheduleId: 'main-line', name: 'Main line', timezone: 'Europe/London' });
    await call(ScheduleRpc.addTemplate, { scheduleId: 'main-line', templateId: 'week-a', name: 'Schedule 1', ranges: weekdays('09:00', '17:00') });
    await call(ScheduleRpc.addTemplate, { scheduleId: 'main-line', templateId: 'week-b', name: 'Schedule 2', ranges: weekdays('12:00', '20:00') });
  };

  it('builds a rotating schedule and answers isOpen, preview, get, list and audit', async () => {
    await setUp();
    const extra = await call<ScheduleChangeResult>(ScheduleRpc.addTemplate, { scheduleId: 'main-line', templateId: 'week-c', name: 'Spare', ranges: [] });
    expect(extra).toMatchObject({ changed: true, revision: 3 });
    // Rotation off and not the first template: the deletion does not depend on the answering app's clock.
    const deleted = await call<DeleteTemplateResult>(ScheduleRpc.deleteTemplate, { scheduleId: 'main-line', templateId: 'week-c' });
    expect(deleted).toMatchObject({ templateId: 'week-c', rotationBefore: null, rotation: null, reanchored: false, forced: false, revision: 4 });
    const rotation = await call<ScheduleChangeResult>(ScheduleRpc.activateRotation, { scheduleId: 'main-line', anchorDate: '2026-01-05', firstTemplateId: 'week-a', expectedRevision: 4 });
    expect(rotation.schedule.rotation).toEqual({ active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' });

    const week0 = await call<IsOpenResponse>(ScheduleRpc.isOpen, { scheduleId: 'main-line', at: '2026-01-05T10:00:00Z' }, 'service:call-router');
    expect(week0).toMatchObject({ open: true, decidedBy: { kind: 'rule', templateId: 'week-a' }, nextTransition: '2026-01-05T17:00:00.000Z', week: { index: 0 } });
    const week1 = await call<IsOpenResponse>(ScheduleRpc.isOpen, { scheduleId: 'main-line', at: '2026-01-12T10:00:00Z' }, 'service:call-router');
    expect(week1).toMatchObject({ open: false, decidedBy: { kind: 'no-rule', templateId: 'week-b' }, nextTransition: '2026-01-12T12:00:00.000Z', week: { index: 1 } });

    const preview = await call<PreviewScheduleResponse>(ScheduleRpc.preview, { scheduleId: 'main-line', from: '2026-01-12T00:00:00Z', to: '2026-01-13T00:00:00Z' });
    expect(preview.intervals.map((i) => [i.start, i.end])).toEqual([['2026-01-12T12:00:00.000Z', '2026-01-12T20:00:00.000Z']]);

    const view = await call<ScheduleView>(ScheduleRpc.get, { scheduleId: 'main-line' });
    expect(view).toMatchObject({ status: 'active', revision: 5, schedule: { tenantId: tenant, rotation: { active: true } } });
    const list = await call<ListSchedulesResponse>(ScheduleRpc.list, {});
    expect(list).toMatchObject({ total: 1, page: 1, pageSize: 50, items: [{ scheduleId: 'main-line', revision: 5, templates: [{ templateId: 'week-a' }, { templateId: 'week-b' }] }] });
    const audit = await call<ScheduleAuditResponse>(ScheduleRpc.audit, { scheduleId: 'main-line', fromRevision: 3, limit: 10 });
    expect(audit.entries.map((e) => [e.type, e.actor])).toEqual([
      ['ScheduleTemplateAdded', 'service:admin-console'],
      ['ScheduleTemplateDeleted', 'service:admin-console'],
      ['ScheduleRotationActivated', 'service:admin-console'],
    ]);
  });

  it('answers isOpen over NATS request-reply (200 sequential requests, latency measured and logged)', async () => {
    await setUp();
    await call(ScheduleRpc.activateRotation, { scheduleId: 'main-line', anchorDate: '2026-01-05', firstTemplateId: 'week-a' });
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const at = new Date(Date.UTC(2026, 0, 5) + i * 3_600_000).toISOString();
      const started = performance.now();
      const answer = await call<IsOpenResponse>(ScheduleRpc.isOpen, { scheduleId: 'main-line', at }, 'service:call-router');
      latencies.push(performance.now() - started);
      expect(answer.at).toBe(at);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2);
    console.log(`schedule.is-open over NATS, 200 sequential requests: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
    expect(latencies).toHaveLength(200);
  });

  it('imports an iCalendar holiday, sets and clears an emergency override, switches to 24/7 and deletes', async () => {
    await setUp();
    await call(ScheduleRpc.activateRotation, { scheduleId: 'main-line', anchorDate: '2026-01-05', firstTemplateId: 'week-a' });
    const imported = await call<ImportExceptionsResult>(ScheduleRpc.importExceptions, { scheduleId: 'main-line', format: 'ics', ics: CHRISTMAS_ICS, source: 'xmas.ics' });
    expect(imported).toMatchObject({ changed: true, added: ['ics:xmas@holidays.example'], skipped: [] });
    expect(await call(ScheduleRpc.isOpen, { scheduleId: 'main-line', at: '2026-12-25T10:00:00Z' })).toMatchObject({ open: false, decidedBy: { kind: 'exception', label: 'Christmas Day' } });
    const exceptions = await call<ListExceptionsResponse>(ScheduleRpc.listExceptions, { scheduleId: 'main-line' });
    expect(exceptions.exceptions.map((e) => e.exceptionId)).toEqual(['ics:xmas@holidays.example']);

    // Without an expiry the override does not depend on the clock of the app that answers.
    const set = await call<ScheduleChangeResult>(ScheduleRpc.setEmergencyOverride, { scheduleId: 'main-line', state: 'closed', reason: 'Flood' }, 'user:ops@example.test');
    expect(set.schedule.emergency).toMatchObject({ state: 'closed', reason: 'Flood', by: 'user:ops@example.test', expiresAt: null });
    expect(await call(ScheduleRpc.isOpen, { scheduleId: 'main-line', at: '2030-01-07T10:00:00Z' })).toMatchObject({ open: false, decidedBy: { kind: 'emergency', label: 'Flood' }, nextTransition: null });
    await call(ScheduleRpc.clearEmergencyOverride, { scheduleId: 'main-line' });
    const allDay = await call<ScheduleChangeResult>(ScheduleRpc.setMode, { scheduleId: 'main-line', mode: '24/7' });
    expect(allDay.schedule.rotation).toEqual({ active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' });
    expect(await call(ScheduleRpc.isOpen, { scheduleId: 'main-line', at: '2026-01-12T10:00:00Z' })).toMatchObject({ open: true, decidedBy: { kind: '24/7' } });

    const gone = await call<ScheduleChangeResult>(ScheduleRpc.delete, { scheduleId: 'main-line' });
    expect(gone).toMatchObject({ changed: true });
    expect(await call(ScheduleRpc.get, { scheduleId: 'main-line' })).toMatchObject({ status: 'deleted' });
    expect(await problemOf(call(ScheduleRpc.isOpen, { scheduleId: 'main-line', at: '2026-01-12T10:00:00Z' }))).toMatchObject({ status: 410, code: 'SCHEDULE.DELETED' });
  });

  it('errors come back as problems with code and field path; bad messages never crash the handler; tenants stay apart', async () => {
    await setUp();
    const overlap = await problemOf(call(ScheduleRpc.setTemplateRanges, {
      scheduleId: 'main-line',
      templateId: 'week-a',
      ranges: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '11:00', end: '13:00' }],
    }));
    expect(overlap).toMatchObject({ status: 400, code: 'SCHEDULE.OVERLAPPING_SLOTS', errors: [{ path: 'ranges[1]' }] });
    expect(await problemOf(call(ScheduleRpc.changeTimezone, { scheduleId: 'main-line', timezone: 'Atlantis/Capital' }))).toMatchObject({ status: 400, code: 'SCHEDULE.UNKNOWN_ZONE', errors: [{ path: 'timezone' }] });
    const stale = await problemOf(call(ScheduleRpc.rename, { scheduleId: 'main-line', name: 'Late', expectedRevision: 0 }));
    expect(stale).toMatchObject({ status: 409, code: 'CONCURRENCY.REVISION_MISMATCH', currentRevision: 2 });

    const badWeekday = await problemOf(call(ScheduleRpc.addTimeSlot, { scheduleId: 'main-line', templateId: 'week-a', range: { day: 'caturday', start: '09:00', end: '10:00' } }));
    expect(badWeekday).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT', errors: [{ path: 'payload.range.day' }] });
    const garbage = await problemOf(rpcRequest(app.nc, ScheduleRpc.isOpen.subject, 'not an object'));
    expect(garbage).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT' });
    const noTenant = await problemOf(rpcRequest(app.nc, ScheduleRpc.get.subject, { actor: 'service:x', payload: { scheduleId: 'main-line' } }));
    expect(noTenant.errors?.map((e) => e.path)).toContain('tenantId');

    // The handler is still there, and another tenant cannot see this one's schedule.
    expect(await problemOf(call(ScheduleRpc.get, { scheduleId: 'main-line' }, 'service:x', uniqueTenant()))).toMatchObject({ status: 404, code: 'SCHEDULE.NOT_FOUND' });
    expect(await call(ScheduleRpc.get, { scheduleId: 'main-line' })).toMatchObject({ status: 'active', revision: 2 });
  });
});
