// The schedule HTTP API on the real PostgreSQL and NATS: create / read / list / rename / zone / mode /
// delete, templates, slots and rotation with re-index info, roles, optimistic concurrency (If-Match and a
// real race), and bad input refused as problem+json naming the field with nothing saved. Own tenant per test.
import type {
  DeleteTemplateResult,
  ListSchedulesResponse,
  Problem,
  ScheduleAuditResponse,
  ScheduleChangeResult,
  ScheduleView,
} from '@cc/contracts';
import { ManualClock, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, startScheduleTestApp, type ScheduleTestApp } from '../../test/schedule-test-app';

jest.setTimeout(60_000);

/** Wednesday of rotation week 0 (anchor Monday 2026-01-05), London = UTC in January. */
const NOW = '2026-01-07T10:00:00.000Z';
const WEEKDAYS_9_TO_5 = ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '09:00', end: '17:00' }));

describe('schedule HTTP API', () => {
  let app: ScheduleTestApp;
  const clock = new ManualClock(NOW);
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startScheduleTestApp({ clock });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    clock.set(NOW);
    tenant = uniqueTenant();
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const create = async (body: Record<string, unknown> = {}): Promise<ScheduleChangeResult> => {
    const res = await admin.post<ScheduleChangeResult>('/v1/schedules', { name: 'Main line', timezone: 'Europe/London', ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const read = async (scheduleId: string): Promise<ScheduleView> => {
    const res = await admin.get<ScheduleView>(`/v1/schedules/${scheduleId}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** A custom schedule with "Schedule 1" (09-17) and "Schedule 2" (12-20) on weekdays, rotating from 2026-01-05. */
  const rotating = async (): Promise<string> => {
    const { scheduleId } = await create({ scheduleId: 'main-line' });
    expect((await admin.post(`/v1/schedules/${scheduleId}/templates`, { templateId: 'week-a', name: 'Schedule 1', ranges: WEEKDAYS_9_TO_5 })).status).toBe(200);
    const late = WEEKDAYS_9_TO_5.map((r) => ({ ...r, start: '12:00', end: '20:00' }));
    expect((await admin.post(`/v1/schedules/${scheduleId}/templates`, { templateId: 'week-b', name: 'Schedule 2', ranges: late })).status).toBe(200);
    expect((await admin.put(`/v1/schedules/${scheduleId}/rotation`, { anchorDate: '2026-01-05', firstTemplateId: 'week-a' })).status).toBe(200);
    return scheduleId;
  };

  it('creates a schedule (id generated when left out), reads it with its revision as ETag, renames it and moves its zone', async () => {
    const res = await admin.post<ScheduleChangeResult>('/v1/schedules', { name: '  Reception ', timezone: 'europe/london' });
    expect(res.status).toBe(201);
    const { scheduleId } = res.body;
    expect(scheduleId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/v1/schedules/${scheduleId}`);
    expect(res.headers.get('etag')).toBe('"0"');
    expect(res.body).toMatchObject({ changed: true, revision: 0 });
    expect(res.body.schedule).toEqual({
      scheduleId,
      tenantId: tenant,
      name: 'Reception',
      timezone: 'Europe/London',
      mode: 'custom',
      templates: [],
      rotation: null,
      exceptions: [],
      emergency: null,
    });

    const got = await admin.get<ScheduleView>(`/v1/schedules/${scheduleId}`);
    expect(got.body).toEqual({ status: 'active', schedule: res.body.schedule, revision: 0 });
    expect(got.headers.get('etag')).toBe('"0"');

    const renamed = await admin.patch<ScheduleChangeResult>(`/v1/schedules/${scheduleId}`, { name: 'Main line' });
    expect(renamed.body).toMatchObject({ changed: true, revision: 1, schedule: { name: 'Main line' } });
    const same = await admin.patch<ScheduleChangeResult>(`/v1/schedules/${scheduleId}`, { name: 'Main line' });
    expect(same.body).toMatchObject({ changed: false, revision: 1 });

    const moved = await admin.put<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/timezone`, { timezone: 'America/New_York' });
    expect(moved.body).toMatchObject({ changed: true, revision: 2, schedule: { timezone: 'America/New_York' } });
    expect((await read(scheduleId)).schedule).toEqual(moved.body.schedule);

    // The stream is the audit trail: who did what, without the full schedule in each entry.
    const audit = await admin.get<ScheduleAuditResponse>(`/v1/schedules/${scheduleId}/audit`);
    expect(audit.body.entries.map((e) => [e.revision, e.type, e.actor])).toEqual([
      [0, 'ScheduleCreated', `admin@${tenant}.test`],
      [1, 'ScheduleRenamed', `admin@${tenant}.test`],
      [2, 'ScheduleTimezoneChanged', `admin@${tenant}.test`],
    ]);
    expect(audit.body.entries[1]!.change).toEqual({ name: 'Main line', previousName: 'Reception' });
    expect(audit.body.nextFromRevision).toBeNull();
    const page = await admin.get<ScheduleAuditResponse>(`/v1/schedules/${scheduleId}/audit?fromRevision=1&limit=1`);
    expect(page.body).toMatchObject({ entries: [{ revision: 1 }], nextFromRevision: 2 });
  });

  it('builds two templates with slots, rotates them, and removes one slot (the "X")', async () => {
    const scheduleId = await rotating();
    const slot = await admin.post<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/templates/week-a/slots`, { range: { day: 'sat', start: '22:00', end: '02:00' } });
    expect(slot.status).toBe(200);
    expect(slot.body.schedule.templates[0]!.ranges.at(-1)).toEqual({ day: 'sat', start: '22:00', end: '02:00' });

    const removed = await admin.delete<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/templates/week-a/slots`, { range: { day: 'wed', start: '09:00', end: '17:00' } });
    expect(removed.status).toBe(200);
    expect(removed.body.schedule.templates[0]!.ranges.map((r) => r.day)).toEqual(['mon', 'tue', 'thu', 'fri', 'sat']);

    const renamed = await admin.patch<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/templates/week-b`, { name: 'Late week' });
    expect(renamed.body.schedule.templates.map((t) => t.name)).toEqual(['Schedule 1', 'Late week']);

    const replaced = await admin.put<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/templates/week-b/ranges`, {
      ranges: [{ day: 'fri', start: '12:00', end: '20:00' }, { day: 'mon', start: '12:00', end: '24:00' }],
    });
    // Sorted Monday first.
    expect(replaced.body.schedule.templates[1]!.ranges).toEqual([{ day: 'mon', start: '12:00', end: '24:00' }, { day: 'fri', start: '12:00', end: '20:00' }]);
    expect((await read(scheduleId)).schedule).toEqual(replaced.body.schedule);
  });

  it('deletes a template not in use: the rotation is re-anchored at this week and the answer says so', async () => {
    const scheduleId = await rotating();
    await admin.post(`/v1/schedules/${scheduleId}/templates`, { templateId: 'week-c', name: 'Schedule 3', ranges: [{ day: 'sat', start: '10:00', end: '12:00' }] });
    const res = await admin.delete<DeleteTemplateResult>(`/v1/schedules/${scheduleId}/templates/week-b`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      changed: true,
      templateId: 'week-b',
      rotationBefore: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' },
      // NOW is in week 0 (Schedule 1): this week keeps it, then Schedule 3.
      rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' },
      templateInEffect: 'week-a',
      forced: false,
    });
    expect(res.body.schedule.templates.map((t) => t.templateId)).toEqual(['week-a', 'week-c']);

    // Week 1 used to be Schedule 2; now it is Schedule 3.
    const week1 = await admin.get<{ week: { index: number; templateId: string } }>(`/v1/schedules/${scheduleId}/open?at=2026-01-12T10:00:00Z`);
    expect(week1.body.week).toEqual({ index: 1, templateId: 'week-c' });
  });

  it('deleting the template in effect while rotation is on is 409 unless forced; forced, its successor takes over at once', async () => {
    const scheduleId = await rotating();
    const before = await read(scheduleId);
    const refused = await admin.delete<Problem>(`/v1/schedules/${scheduleId}/templates/week-a`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'SCHEDULE.TEMPLATE_IN_USE', errors: [{ path: 'templateId', message: 'in effect now' }] });
    expect(await read(scheduleId)).toEqual(before);

    const forced = await admin.delete<DeleteTemplateResult>(`/v1/schedules/${scheduleId}/templates/week-a?force=true`);
    expect(forced.body).toMatchObject({
      forced: true,
      reanchored: true,
      rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-b' },
      templateInEffect: 'week-b',
    });
  });

  it('24/7 overrides the rotation without deleting it, custom brings it back; rotation can be switched off', async () => {
    const scheduleId = await rotating();
    const custom = (await read(scheduleId)).schedule;
    const allDay = await admin.put<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/mode`, { mode: '24/7' });
    expect(allDay.body.schedule).toEqual({ ...custom, mode: '24/7' });
    const back = await admin.put<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/mode`, { mode: 'custom' });
    expect(back.body.schedule).toEqual(custom);

    const off = await admin.delete<ScheduleChangeResult>(`/v1/schedules/${scheduleId}/rotation`);
    // Switched off in week 0: Schedule 1 applies every week from now on.
    expect(off.body.schedule.rotation).toEqual({ active: false, anchorDate: '2026-01-05', firstTemplateId: 'week-a' });
  });

  it('lists schedules by name a page at a time, deleted ones only when asked; a deleted schedule reads as deleted and refuses changes', async () => {
    const names = ['Support', 'accounts', 'Main line'];
    const ids = [];
    for (const name of names) ids.push((await create({ name })).scheduleId);
    await admin.put(`/v1/schedules/${ids[0]}/mode`, { mode: '24/7' });

    const first = await admin.get<ListSchedulesResponse>('/v1/schedules?pageSize=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(first.body.items.map((i) => i.name)).toEqual(['accounts', 'Main line']);
    const second = await admin.get<ListSchedulesResponse>('/v1/schedules?pageSize=2&page=2');
    expect(second.body.items).toEqual([
      expect.objectContaining({ scheduleId: ids[0], name: 'Support', mode: '24/7', status: 'active', revision: 1, templates: [], exceptionCount: 0, updatedBy: `admin@${tenant}.test` }),
    ]);
    expect((await admin.get<ListSchedulesResponse>('/v1/schedules?mode=24/7')).body.total).toBe(1);

    const deleted = await admin.delete<ScheduleChangeResult>(`/v1/schedules/${ids[1]}`);
    expect(deleted.body).toMatchObject({ changed: true, revision: 1 });
    expect((await admin.get<ListSchedulesResponse>('/v1/schedules')).body.items.map((i) => i.name)).toEqual(['Main line', 'Support']);
    expect((await admin.get<ListSchedulesResponse>('/v1/schedules?status=deleted')).body.items.map((i) => i.name)).toEqual(['accounts']);
    expect(await read(ids[1]!)).toMatchObject({ status: 'deleted', revision: 1 });

    const rename = await admin.patch<Problem>(`/v1/schedules/${ids[1]}`, { name: 'Again' });
    expect(rename.status).toBe(410);
    expect(rename.body.code).toBe('SCHEDULE.DELETED');
    expect((await admin.get<Problem>(`/v1/schedules/${ids[1]}/open`)).status).toBe(410);
    expect((await admin.post<Problem>('/v1/schedules', { scheduleId: ids[1], name: 'Reuse', timezone: 'UTC' })).body.code).toBe('SCHEDULE.DELETED');

    // Another tenant sees none of it.
    const other = await httpAs(app, uniqueTenant(), 'ADMIN');
    expect((await other.get<ListSchedulesResponse>('/v1/schedules')).body.total).toBe(0);
    expect((await other.get<Problem>(`/v1/schedules/${ids[0]}`)).body).toMatchObject({ status: 404, code: 'SCHEDULE.NOT_FOUND' });
  });

  it.each<[string, string, string, (id: string) => string, unknown, number, string, string]>([
    ['overlapping slots in one day', 'PUT', 'ranges', (id) => `/v1/schedules/${id}/templates/week-a/ranges`, { ranges: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '11:00', end: '13:00' }] }, 400, 'SCHEDULE.OVERLAPPING_SLOTS', 'ranges[1]'],
    ['a slot overlapping an existing one across midnight', 'POST', 'slot', (id) => `/v1/schedules/${id}/templates/week-a/slots`, { range: { day: 'sun', start: '22:00', end: '09:30' } }, 400, 'SCHEDULE.OVERLAPPING_SLOTS', 'range'],
    ['start == end', 'POST', 'slot', (id) => `/v1/schedules/${id}/templates/week-a/slots`, { range: { day: 'tue', start: '18:00', end: '18:00' } }, 400, 'SCHEDULE.START_EQUALS_END', 'range.end'],
    ['an unknown zone', 'PUT', 'zone', (id) => `/v1/schedules/${id}/timezone`, { timezone: 'Mars/Olympus_Mons' }, 400, 'SCHEDULE.UNKNOWN_ZONE', 'timezone'],
    ['an unknown weekday', 'PUT', 'ranges', (id) => `/v1/schedules/${id}/templates/week-a/ranges`, { ranges: [{ day: 'funday', start: '09:00', end: '17:00' }] }, 400, 'VALIDATION.INVALID_INPUT', 'ranges.0.day'],
    ['a time that is not HH:mm', 'POST', 'slot', (id) => `/v1/schedules/${id}/templates/week-a/slots`, { range: { day: 'tue', start: '9am', end: '18:00' } }, 400, 'VALIDATION.INVALID_INPUT', 'range.start'],
    ['an anchor that is not a date', 'PUT', 'rotation', (id) => `/v1/schedules/${id}/rotation`, { anchorDate: 'next monday', firstTemplateId: 'week-b' }, 400, 'VALIDATION.INVALID_INPUT', 'anchorDate'],
    ['an anchor that is not a calendar date', 'PUT', 'rotation', (id) => `/v1/schedules/${id}/rotation`, { anchorDate: '2026-02-30', firstTemplateId: 'week-b' }, 400, 'SCHEDULE.INVALID_ANCHOR', 'anchorDate'],
    ['an unknown first template', 'PUT', 'rotation', (id) => `/v1/schedules/${id}/rotation`, { anchorDate: '2026-02-02', firstTemplateId: 'week-z' }, 404, 'SCHEDULE.TEMPLATE_NOT_FOUND', 'firstTemplateId'],
    ['an unknown field', 'PATCH', 'rename', (id) => `/v1/schedules/${id}`, { name: 'X', colour: 'red' }, 400, 'VALIDATION.INVALID_INPUT', 'colour'],
    ['an empty name', 'PATCH', 'rename', (id) => `/v1/schedules/${id}`, { name: '   ' }, 400, 'VALIDATION.INVALID_INPUT', 'name'],
    ['an expiry in the past', 'PUT', 'emergency', (id) => `/v1/schedules/${id}/emergency`, { state: 'closed', reason: 'Fire', expiresAt: '2026-01-07T09:00:00Z' }, 400, 'SCHEDULE.EXPIRY_IN_PAST', 'expiresAt'],
    ['an exception ending before it starts', 'POST', 'exception', (id) => `/v1/schedules/${id}/exceptions`, { exception: { label: 'Party', effect: 'closed', when: { kind: 'period', start: '2026-07-03T18:00', end: '2026-07-03T15:00' } } }, 400, 'SCHEDULE.INVALID_EXCEPTION', 'exception.when.end'],
    ['a malformed RRULE', 'POST', 'exception', (id) => `/v1/schedules/${id}/exceptions`, { exception: { label: 'Xmas', effect: 'closed', when: { kind: 'recurring-all-day', rrule: 'FREQ=SOMETIMES', dtstart: '2026-12-25' } } }, 400, 'SCHEDULE.INVALID_RRULE', 'exception.when.rrule'],
    ['a malformed If-Match', 'PATCH', 'rename', (id) => `/v1/schedules/${id}`, { name: 'X' }, 400, 'VALIDATION.INVALID_INPUT', 'headers.if-match'],
  ])('refuses %s with problem+json naming the field, and saves nothing', async (_what, method, _kind, path, body, status, code, field) => {
    const scheduleId = await rotating();
    const before = await read(scheduleId);
    const headers: Record<string, string> = field === 'headers.if-match' ? { 'if-match': 'yesterday' } : {};
    const res = await admin.send<Problem>(method, path(scheduleId), body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code });
    expect(res.body.errors?.map((e) => e.path)).toContain(field);
    expect(await read(scheduleId)).toEqual(before);
  });

  it('optimistic concurrency: If-Match / expectedRevision pin the revision read; a stale one is 409 with the current revision', async () => {
    const { scheduleId } = await create();
    const renamed = await admin.send<ScheduleChangeResult>('PATCH', `/v1/schedules/${scheduleId}`, { name: 'First' }, { 'if-match': '"0"' });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"1"');

    const stale = await admin.send<Problem>('PATCH', `/v1/schedules/${scheduleId}`, { name: 'Second' }, { 'if-match': '"0"' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'CONCURRENCY.REVISION_MISMATCH', currentRevision: 1 });
    const staleBody = await admin.put<Problem>(`/v1/schedules/${scheduleId}/mode`, { mode: '24/7', expectedRevision: 0 });
    expect(staleBody.body).toMatchObject({ status: 409, currentRevision: 1 });
    const staleQuery = await admin.delete<Problem>(`/v1/schedules/${scheduleId}?expectedRevision=0`);
    expect(staleQuery.body).toMatchObject({ status: 409, currentRevision: 1 });
    expect(await read(scheduleId)).toMatchObject({ status: 'active', revision: 1, schedule: { name: 'First', mode: 'custom' } });
  });

  it('two editors racing on the same revision: exactly one wins, the other gets 409; unpinned edits all land', async () => {
    const scheduleId = await rotating();
    const { revision } = await read(scheduleId);
    const race = await Promise.all(
      ['Editor A', 'Editor B'].map((name) => admin.send<ScheduleChangeResult | Problem>('PATCH', `/v1/schedules/${scheduleId}`, { name }, { 'if-match': `"${revision}"` })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = race.find((r) => r.status === 409)!.body as Problem;
    // Refused before deciding (it read the winner's revision) or at the append (both read `revision`): 409 either way.
    expect(['CONCURRENCY.REVISION_MISMATCH', 'CONCURRENCY.CONFLICT']).toContain(loser.code);
    expect(loser).toMatchObject({ status: 409, currentRevision: revision + 1 });
    const winner = race.find((r) => r.status === 200)!.body as ScheduleChangeResult;
    expect((await read(scheduleId)).schedule.name).toBe(winner.schedule.name);

    // Without a pinned revision the service re-decides on the new state: every slot lands, none lost.
    const saturday = ['08:00', '09:00', '10:00', '11:00', '12:00'].map((start) => ({ day: 'sat', start, end: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:00` }));
    const added = await Promise.all(saturday.map((range) => admin.post(`/v1/schedules/${scheduleId}/templates/week-b/slots`, { range })));
    expect(added.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const after = await read(scheduleId);
    expect(after.revision).toBe(revision + 1 + saturday.length);
    expect(after.schedule.templates[1]!.ranges.filter((r) => r.day === 'sat')).toEqual(saturday);
  });

  it('roles: ADMIN, MANAGER and OPERATOR write; AGENT and SERVICE read only; no token is 401', async () => {
    const scheduleId = await rotating();
    for (const role of ['MANAGER', 'OPERATOR'] as const) {
      const http = await httpAs(app, tenant, role);
      expect((await http.patch(`/v1/schedules/${scheduleId}`, { name: `By ${role}` })).status).toBe(200);
    }
    for (const role of ['AGENT', 'SERVICE'] as const) {
      const http = await httpAs(app, tenant, role);
      const refused = await http.put<Problem>(`/v1/schedules/${scheduleId}/emergency`, { state: 'closed', reason: 'Nope' });
      expect(refused.body).toMatchObject({ status: 403, code: 'AUTH.ROLE_REQUIRED' });
      expect((await http.get(`/v1/schedules/${scheduleId}`)).status).toBe(200);
      expect((await http.get(`/v1/schedules/${scheduleId}/open?at=2026-01-05T10:00:00Z`)).status).toBe(200);
      expect((await http.get('/v1/schedules')).status).toBe(200);
    }
    expect((await app.http.get(`/v1/schedules/${scheduleId}`)).status).toBe(401);
    expect((await read(scheduleId)).schedule.emergency).toBeNull();
  });
});
