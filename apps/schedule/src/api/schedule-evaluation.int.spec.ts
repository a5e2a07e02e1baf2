// isOpen and preview over HTTP on the real infrastructure: the rotation (week 0 vs week 1 at the same wall
// time, across the year boundary), the 24/7 override and back, exceptions beating the rules, iCalendar
// import of a holiday calendar, and the emergency override with an expiry (time moved by a ManualClock).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ImportExceptionsResult,
  IsOpenResponse,
  ListExceptionsResponse,
  PreviewScheduleResponse,
  Problem,
  ScheduleAuditResponse,
  ScheduleChangeResult,
  ScheduleView,
} from '@cc/contracts';
import { ManualClock, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, startScheduleTestApp, type ScheduleTestApp } from '../../test/schedule-test-app';

jest.setTimeout(60_000);

const HOLIDAYS_ICS = readFileSync(join(__dirname, '../../test/fixtures/office-holidays.ics'), 'utf8');
const weekdays = (start: string, end: string) => ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start, end }));
// Europe/London is on GMT (= UTC) in January and December, BST (UTC+1) from 29 March to 25 October 2026.
const MONDAY_WEEK_0 = '2026-01-05T10:00:00.000Z';
const MONDAY_WEEK_1 = '2026-01-12T10:00:00.000Z';

describe('schedule evaluation over HTTP (isOpen, preview)', () => {
  let app: ScheduleTestApp;
  const clock = new ManualClock('2026-01-05T09:30:00.000Z');
  let tenant: string;
  let admin: HttpClient;
  let scheduleId: string;

  beforeAll(async () => {
    app = await startScheduleTestApp({ clock });
  });
  afterAll(async () => {
    await app?.stop();
  });
  /** "Main line": Schedule 1 (weekdays 09-17) and Schedule 2 (weekdays 12-20), Schedule 1 first from the week of 2026-01-05. */
  beforeEach(async () => {
    clock.set('2026-01-05T09:30:00.000Z');
    tenant = uniqueTenant();
    admin = await httpAs(app, tenant, 'ADMIN');
    scheduleId = (await ok<ScheduleChangeResult>(admin.post('/v1/schedules', { scheduleId: 'main-line', name: 'Main line', timezone: 'Europe/London' }), 201)).scheduleId;
    await ok(admin.post(`/v1/schedules/${scheduleId}/templates`, { templateId: 'week-a', name: 'Schedule 1', ranges: weekdays('09:00', '17:00') }));
    await ok(admin.post(`/v1/schedules/${scheduleId}/templates`, { templateId: 'week-b', name: 'Schedule 2', ranges: weekdays('12:00', '20:00') }));
    await ok(admin.put(`/v1/schedules/${scheduleId}/rotation`, { anchorDate: '2026-01-05', firstTemplateId: 'week-a' }));
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  async function ok<T>(request: Promise<{ status: number; body: unknown }>, status = 200): Promise<T> {
    const res = await request;
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body as T;
  }
  const isOpen = (at?: string): Promise<IsOpenResponse> => ok(admin.get(`/v1/schedules/${scheduleId}/open${at ? `?at=${encodeURIComponent(at)}` : ''}`));

  it('the same wall-clock time is open in week 0 (Schedule 1) and closed in week 1 (Schedule 2)', async () => {
    expect(await isOpen(MONDAY_WEEK_0)).toEqual({
      scheduleId,
      at: MONDAY_WEEK_0,
      open: true,
      decidedBy: { kind: 'rule', templateId: 'week-a', templateName: 'Schedule 1', range: { day: 'mon', start: '09:00', end: '17:00' } },
      nextTransition: '2026-01-05T17:00:00.000Z',
      week: { index: 0, templateId: 'week-a' },
    });
    expect(await isOpen(MONDAY_WEEK_1)).toEqual({
      scheduleId,
      at: MONDAY_WEEK_1,
      open: false,
      decidedBy: { kind: 'no-rule', templateId: 'week-b', templateName: 'Schedule 2' },
      nextTransition: '2026-01-12T12:00:00.000Z',
      week: { index: 1, templateId: 'week-b' },
    });
    // "Choose which first": starting with Schedule 2 swaps the weeks.
    await ok(admin.put(`/v1/schedules/${scheduleId}/rotation`, { anchorDate: '2026-01-05', firstTemplateId: 'week-b' }));
    expect((await isOpen(MONDAY_WEEK_0)).open).toBe(false);
    expect((await isOpen(MONDAY_WEEK_1)).open).toBe(true);
  });

  it('the rotation keeps counting weeks across the year boundary (week 51 is Schedule 2, week 52 Schedule 1)', async () => {
    expect(await isOpen('2026-12-28T10:00:00Z')).toMatchObject({ open: false, week: { index: 51, templateId: 'week-b' } });
    expect(await isOpen('2027-01-04T10:00:00Z')).toMatchObject({ open: true, week: { index: 52, templateId: 'week-a' } });
  });

  it('"now" is the service clock when `at` is left out', async () => {
    expect(await isOpen()).toMatchObject({ at: '2026-01-05T09:30:00.000Z', open: true });
    clock.set('2026-01-05T17:30:00.000Z');
    expect(await isOpen()).toMatchObject({ at: '2026-01-05T17:30:00.000Z', open: false, nextTransition: '2026-01-06T09:00:00.000Z' });
  });

  it('24/7 overrides the rotation; switching back to custom restores it', async () => {
    await ok(admin.put(`/v1/schedules/${scheduleId}/mode`, { mode: '24/7' }));
    expect(await isOpen(MONDAY_WEEK_1)).toEqual({ scheduleId, at: MONDAY_WEEK_1, open: true, decidedBy: { kind: '24/7' }, nextTransition: null });
    expect((await isOpen('2026-01-11T03:00:00Z')).open).toBe(true);
    await ok(admin.put(`/v1/schedules/${scheduleId}/mode`, { mode: 'custom' }));
    expect(await isOpen(MONDAY_WEEK_1)).toMatchObject({ open: false, week: { index: 1, templateId: 'week-b' } });
    expect(await isOpen(MONDAY_WEEK_0)).toMatchObject({ open: true, week: { index: 0, templateId: 'week-a' } });
  });

  it('an exception beats the rule: a closure inside open hours, an opening on a closed Saturday', async () => {
    await ok(admin.post(`/v1/schedules/${scheduleId}/exceptions`, {
      exception: { exceptionId: 'summer-party', label: 'Team lunch', effect: 'closed', when: { kind: 'period', start: '2026-01-05T12:00', end: '2026-01-05T14:00' } },
    }));
    const saturday = await ok<ScheduleChangeResult>(admin.post(`/v1/schedules/${scheduleId}/exceptions`, {
      exception: { label: 'Stocktake Saturday', effect: 'open', hours: [{ start: '10:00', end: '13:00' }], when: { kind: 'dates', from: '2026-01-10', to: '2026-01-10' } },
    }));
    // The id was generated.
    const stocktakeId = saturday.schedule.exceptions[1]!.exceptionId;
    expect(stocktakeId).toMatch(/^[0-9a-f-]{36}$/);

    expect(await isOpen('2026-01-05T11:00:00Z')).toMatchObject({ open: true, decidedBy: { kind: 'rule' }, nextTransition: '2026-01-05T12:00:00.000Z' });
    expect(await isOpen('2026-01-05T12:30:00Z')).toMatchObject({
      open: false,
      decidedBy: { kind: 'exception', exceptionId: 'summer-party', label: 'Team lunch', effect: 'closed' },
      nextTransition: '2026-01-05T14:00:00.000Z',
    });
    expect(await isOpen('2026-01-10T11:00:00Z')).toMatchObject({ open: true, decidedBy: { kind: 'exception', exceptionId: stocktakeId, effect: 'open' } });
    expect(await isOpen('2026-01-10T14:00:00Z')).toMatchObject({ open: false, decidedBy: { kind: 'exception', exceptionId: stocktakeId } });

    const listed = await ok<ListExceptionsResponse>(admin.get(`/v1/schedules/${scheduleId}/exceptions`));
    expect(listed.exceptions.map((e) => e.exceptionId)).toEqual(['summer-party', stocktakeId]);
    await ok(admin.delete(`/v1/schedules/${scheduleId}/exceptions/summer-party`));
    expect(await isOpen('2026-01-05T12:30:00Z')).toMatchObject({ open: true, decidedBy: { kind: 'rule' } });
    const gone = await admin.delete<Problem>(`/v1/schedules/${scheduleId}/exceptions/summer-party`);
    expect(gone.body).toMatchObject({ status: 404, code: 'SCHEDULE.EXCEPTION_NOT_FOUND' });
  });

  it('imports a holiday calendar sent as text/calendar: the yearly holidays close the office every year, the bad event is reported', async () => {
    const res = await admin.send<ImportExceptionsResult>('POST', `/v1/schedules/${scheduleId}/exceptions/import?source=office-holidays.ics`, HOLIDAYS_ICS, {
      'content-type': 'text/calendar; charset=utf-8',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      changed: true,
      added: ['ics:christmas-day@holidays.example', 'ics:spring-bank-holiday@holidays.example', 'ics:staff-training-2026@holidays.example'],
      replaced: [],
      unchanged: [],
      skipped: [{ path: 'events[3].dtstart', message: 'is missing' }],
    });
    expect(res.body.schedule.exceptions[0]).toEqual({
      exceptionId: 'ics:christmas-day@holidays.example',
      label: 'Christmas Day',
      effect: 'closed',
      when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', dtstart: '2020-12-25', days: 1, exdates: [] },
    });

    // Friday 25 Dec 2026 is a Schedule 1 week (open 09-17): the holiday wins, this year and the next.
    expect(await isOpen('2026-12-24T10:00:00Z')).toMatchObject({ open: true, decidedBy: { kind: 'rule', templateId: 'week-a' } });
    expect(await isOpen('2026-12-25T10:00:00Z')).toMatchObject({
      open: false,
      decidedBy: { kind: 'exception', exceptionId: 'ics:christmas-day@holidays.example', label: 'Christmas Day', effect: 'closed' },
    });
    expect((await isOpen('2028-12-25T10:00:00Z')).decidedBy).toMatchObject({ kind: 'exception', label: 'Christmas Day' });
    // "Last Monday of May": 25 May 2026, 10:00 BST.
    expect(await isOpen('2026-05-25T09:00:00Z')).toMatchObject({ open: false, decidedBy: { kind: 'exception', label: 'Spring bank holiday' } });
    expect(await isOpen('2026-05-11T09:00:00Z')).toMatchObject({ open: true, decidedBy: { kind: 'rule', templateId: 'week-a' } });
    // A TZID time lands on the schedule's wall clock: training 13:00-16:00 on Wednesday 14 January.
    expect(await isOpen('2026-01-14T13:30:00Z')).toMatchObject({ open: false, decidedBy: { kind: 'exception', label: 'Staff training afternoon' } });

    // The same calendar again (as JSON this time) changes nothing.
    const again = await ok<ImportExceptionsResult>(admin.post(`/v1/schedules/${scheduleId}/exceptions/import`, { ics: HOLIDAYS_ICS }));
    expect(again).toMatchObject({ changed: false, added: [], replaced: [], revision: res.body.revision });
    expect(again.unchanged).toHaveLength(3);
    const audit = await ok<ScheduleAuditResponse>(admin.get(`/v1/schedules/${scheduleId}/audit`));
    expect(audit.entries.at(-1)).toMatchObject({ type: 'ScheduleExceptionsImported', change: { source: 'office-holidays.ics' } });
  });

  it('refuses a calendar with nothing importable (400, field paths) and saves nothing', async () => {
    const before = await ok<ScheduleView>(admin.get(`/v1/schedules/${scheduleId}`));
    const notIcs = await admin.send<Problem>('POST', `/v1/schedules/${scheduleId}/exceptions/import`, 'hello, world', { 'content-type': 'text/calendar' });
    expect(notIcs.status).toBe(400);
    expect(notIcs.body.code).toBe('SCHEDULE.INVALID_EXCEPTION');
    expect(notIcs.body.errors?.[0]?.path).toBe('ics');
    const onlyBroken = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:x@y', 'SUMMARY:No start', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const broken = await admin.post<Problem>(`/v1/schedules/${scheduleId}/exceptions/import`, { ics: onlyBroken });
    expect(broken.body).toMatchObject({ status: 400, code: 'SCHEDULE.INVALID_EXCEPTION', errors: [{ path: 'events[0].dtstart' }] });
    const neither = await admin.post<Problem>(`/v1/schedules/${scheduleId}/exceptions/import`, {});
    expect(neither.body).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT' });
    expect(await ok<ScheduleView>(admin.get(`/v1/schedules/${scheduleId}`))).toEqual(before);
  });

  it('emergency override: closed now with an expiry, then the schedule resumes by itself; audited who, when, why', async () => {
    const manager = await httpAs(app, tenant, 'MANAGER');
    const set = await ok<ScheduleChangeResult>(manager.put(`/v1/schedules/${scheduleId}/emergency`, { state: 'closed', reason: 'Fire alarm', expiresAt: '2026-01-05T11:00:00Z' }));
    expect(set.schedule.emergency).toEqual({
      state: 'closed',
      reason: 'Fire alarm',
      by: `manager@${tenant}.test`,
      at: '2026-01-05T09:30:00.000Z',
      expiresAt: '2026-01-05T11:00:00.000Z',
    });
    expect(await isOpen()).toEqual({
      scheduleId,
      at: '2026-01-05T09:30:00.000Z',
      open: false,
      decidedBy: { kind: 'emergency', state: 'closed', label: 'Fire alarm', expiresAt: '2026-01-05T11:00:00.000Z' },
      nextTransition: '2026-01-05T11:00:00.000Z',
      week: { index: 0, templateId: 'week-a' },
    });
    clock.set('2026-01-05T11:30:00.000Z');
    expect(await isOpen()).toMatchObject({ open: true, decidedBy: { kind: 'rule', templateId: 'week-a' }, nextTransition: '2026-01-05T17:00:00.000Z' });

    // An open override beats a holiday closure too (emergency > exception > rotation), until cleared.
    await ok(admin.post(`/v1/schedules/${scheduleId}/exceptions`, { exception: { exceptionId: 'closed-today', label: 'Closed', effect: 'closed', when: { kind: 'dates', from: '2026-01-05', to: '2026-01-05' } } }));
    expect(await isOpen()).toMatchObject({ open: false, decidedBy: { kind: 'exception', exceptionId: 'closed-today' } });
    await ok(admin.put(`/v1/schedules/${scheduleId}/emergency`, { state: 'open', reason: 'Storm line' }));
    expect(await isOpen()).toMatchObject({ open: true, decidedBy: { kind: 'emergency', state: 'open', label: 'Storm line', expiresAt: null }, nextTransition: null });
    clock.set('2026-01-05T12:00:00.000Z');
    await ok(manager.delete(`/v1/schedules/${scheduleId}/emergency`));
    expect(await isOpen()).toMatchObject({ open: false, decidedBy: { kind: 'exception' } });

    const audit = await ok<ScheduleAuditResponse>(admin.get(`/v1/schedules/${scheduleId}/audit`));
    const overrides = audit.entries.filter((e) => e.type.startsWith('ScheduleEmergencyOverride'));
    expect(overrides.map((e) => [e.type, e.actor, e.occurredAt])).toEqual([
      ['ScheduleEmergencyOverrideSet', `manager@${tenant}.test`, '2026-01-05T09:30:00.000Z'],
      ['ScheduleEmergencyOverrideSet', `admin@${tenant}.test`, '2026-01-05T11:30:00.000Z'],
      ['ScheduleEmergencyOverrideCleared', `manager@${tenant}.test`, '2026-01-05T12:00:00.000Z'],
    ]);
    expect(overrides[0]!.change).toEqual({ emergency: set.schedule.emergency });
    expect(overrides[2]!.change).toMatchObject({ previous: { state: 'open', reason: 'Storm line', by: `admin@${tenant}.test` } });
  });

  it('previews the open intervals of two rotation weeks, and a spring-forward slot as the ADR defines it', async () => {
    const preview = await ok<PreviewScheduleResponse>(admin.get(`/v1/schedules/${scheduleId}/preview?from=2026-01-05T00:00:00Z&to=2026-01-19T00:00:00Z`));
    expect(preview).toMatchObject({ scheduleId, from: '2026-01-05T00:00:00.000Z', to: '2026-01-19T00:00:00.000Z', timezone: 'Europe/London' });
    expect(preview.intervals).toHaveLength(10);
    expect(preview.intervals[0]).toEqual({
      start: '2026-01-05T09:00:00.000Z',
      end: '2026-01-05T17:00:00.000Z',
      decidedBy: { kind: 'rule', templateId: 'week-a', templateName: 'Schedule 1', range: { day: 'mon', start: '09:00', end: '17:00' } },
    });
    expect(preview.intervals[5]).toMatchObject({ start: '2026-01-12T12:00:00.000Z', end: '2026-01-12T20:00:00.000Z', decidedBy: { templateId: 'week-b' } });

    // Sunday 29 March 2026 (a Schedule 2 week): London skips 01:00-02:00; a 01:30-02:30 slot is open 02:00-02:30 BST.
    await ok(admin.post(`/v1/schedules/${scheduleId}/templates/week-b/slots`, { range: { day: 'sun', start: '01:30', end: '02:30' } }));
    const spring = await ok<PreviewScheduleResponse>(admin.get(`/v1/schedules/${scheduleId}/preview?from=2026-03-29T00:00:00Z&to=2026-03-30T00:00:00Z`));
    expect(spring.intervals.map((i) => [i.start, i.end])).toEqual([['2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z']]);

    const tooLong = await admin.get<Problem>(`/v1/schedules/${scheduleId}/preview?from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z`);
    expect(tooLong.body).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT', errors: [{ path: 'to' }] });
    const badAt = await admin.get<Problem>(`/v1/schedules/${scheduleId}/open?at=tomorrow`);
    expect(badAt.body).toMatchObject({ status: 400, errors: [{ path: 'query.at' }] });
    expect((await admin.get<Problem>('/v1/schedules/no-such-schedule/open')).body).toMatchObject({ status: 404, code: 'SCHEDULE.NOT_FOUND' });
  });
});
