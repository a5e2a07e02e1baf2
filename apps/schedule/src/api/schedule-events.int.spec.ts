// Schedule events on JetStream (`evt.schedule.<tenant>.<type>`) on the real infrastructure: each carries the
// whole resulting schedule (event-carried state transfer), so a replica built only from the stream equals
// what the API serves; and how long a change made over HTTP takes to reach a subscriber (measured, logged,
// not asserted: no timing thresholds in tests).
import { performance } from 'node:perf_hooks';
import { DeliverPolicy } from 'nats';
import {
  eventStreamName,
  eventSubjectFilter,
  parseScheduleEvent,
  toScheduleStreamId,
  type ScheduleChangeResult,
  type ScheduleDefinitionData,
  type ScheduleView,
} from '@cc/contracts';
import { PublishedEventSchema, type PublishedEvent } from '@cc/messaging';
import { ManualClock, nextMessage, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, startScheduleTestApp, type ScheduleTestApp } from '../../test/schedule-test-app';

jest.setTimeout(120_000);

const CHANGES = 40;

describe('schedule events on JetStream', () => {
  let app: ScheduleTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startScheduleTestApp({ clock: new ManualClock('2026-01-07T10:00:00.000Z') });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  it('every change is an event carrying the whole schedule; a replica fed only by the stream equals the API', async () => {
    const steps: [string, string, unknown][] = [
      ['POST', '/v1/schedules', { scheduleId: 'main-line', name: 'Main line', timezone: 'Europe/London' }],
      ['POST', '/v1/schedules/main-line/templates', { templateId: 'week-a', name: 'Schedule 1', ranges: [{ day: 'mon', start: '09:00', end: '17:00' }] }],
      ['POST', '/v1/schedules/main-line/templates', { templateId: 'week-b', name: 'Schedule 2', ranges: [{ day: 'mon', start: '12:00', end: '20:00' }] }],
      ['PUT', '/v1/schedules/main-line/rotation', { anchorDate: '2026-01-05', firstTemplateId: 'week-a' }],
      ['POST', '/v1/schedules/main-line/exceptions', { exception: { exceptionId: 'xmas', label: 'Christmas', effect: 'closed', when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', dtstart: '2026-12-25' } } }],
      ['PUT', '/v1/schedules/main-line/emergency', { state: 'closed', reason: 'Fire alarm', expiresAt: '2026-01-07T12:00:00Z' }],
      ['PUT', '/v1/schedules/main-line/mode', { mode: '24/7' }],
      ['DELETE', '/v1/schedules/main-line/emergency', undefined],
      ['POST', '/v1/schedules', { scheduleId: 'night-line', name: 'Night line', timezone: 'Europe/Paris', mode: '24/7' }],
      ['DELETE', '/v1/schedules/night-line', undefined],
    ];
    const results: ScheduleChangeResult[] = [];
    for (const [method, path, body] of steps) {
      const res = await admin.send<ScheduleChangeResult>(method, path, body);
      expect([200, 201]).toContain(res.status);
      results.push(res.body);
    }

    // Read the tenant's events back from the JetStream stream itself (what a durable consumer gets: deduplicated).
    const js = app.nc.jetstream();
    // StartSequence 1, not DeliverPolicy.All: nats.js 2.29 sets opt_start_seq on ordered consumers, which NATS 2.9 refuses with "all".
    const consumer = await js.consumers.get(eventStreamName('schedule'), {
      filterSubjects: `evt.schedule.${tenant}.>`,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: 1,
    });
    const events: PublishedEvent[] = [];
    const messages = await consumer.consume();
    for await (const message of messages) {
      events.push(PublishedEventSchema.parse(message.json()));
      if (events.length === steps.length) break;
    }
    await messages.close();

    expect(events.map((e) => e.type)).toEqual([
      'ScheduleCreated',
      'ScheduleTemplateAdded',
      'ScheduleTemplateAdded',
      'ScheduleRotationActivated',
      'ScheduleExceptionAdded',
      'ScheduleEmergencyOverrideSet',
      'ScheduleModeSet',
      'ScheduleEmergencyOverrideCleared',
      'ScheduleCreated',
      'ScheduleDeleted',
    ]);
    const replica = new Map<string, ScheduleDefinitionData>();
    events.forEach((published, i) => {
      expect(published).toMatchObject({ tenantId: tenant, actor: `admin@${tenant}.test`, revision: results[i]!.revision });
      const event = parseScheduleEvent(published);
      // The whole schedule as the command's answer showed it.
      expect(event.data.schedule).toEqual(results[i]!.schedule);
      expect(published.streamId).toBe(toScheduleStreamId(tenant, event.data.schedule.scheduleId));
      if (event.type === 'ScheduleDeleted') replica.delete(event.data.schedule.scheduleId);
      else replica.set(event.data.schedule.scheduleId, event.data.schedule);
    });
    const served = await admin.get<ScheduleView>('/v1/schedules/main-line');
    expect([...replica.entries()]).toEqual([['main-line', served.body.schedule]]);
    expect(served.body.schedule).toMatchObject({ mode: '24/7', emergency: null, rotation: { active: true }, exceptions: [{ exceptionId: 'xmas' }] });
  });

  it(`delivers each change made over HTTP to a subscriber of evt.schedule.<tenant>.* (${CHANGES} changes, measured)`, async () => {
    const created = await admin.post<ScheduleChangeResult>('/v1/schedules', { scheduleId: 'main-line', name: 'Main line', timezone: 'Europe/London' });
    expect(created.status).toBe(201);
    await admin.post('/v1/schedules/main-line/templates', { templateId: 'week-a', name: 'Schedule 1' });
    let revision = 1;
    const subject = eventSubjectFilter('schedule', tenant);
    const afterResponse: number[] = [];
    const afterRequest: number[] = [];

    for (let i = 0; i < CHANGES; i++) {
      const hour = String(i % 24).padStart(2, '0');
      const range = { day: i < 24 ? 'tue' : 'wed', start: `${hour}:00`, end: `${hour}:30` };
      const expected = toScheduleStreamId(tenant, 'main-line');
      const wanted = revision + 1;
      let arrivedAt = 0;
      const arrived = nextMessage<PublishedEvent>(app.nc, subject, (event) => {
        if (event.streamId !== expected || event.revision !== wanted) return false;
        arrivedAt = performance.now();
        return true;
      });
      await app.nc.flush(); // the subscription is registered at the server before the change is made
      const sentAt = performance.now();
      const res = await admin.post<ScheduleChangeResult>('/v1/schedules/main-line/templates/week-a/slots', { range });
      const answeredAt = performance.now();
      expect(res.status).toBe(200);
      expect(res.body.revision).toBe(wanted);
      revision = wanted;
      const event = parseScheduleEvent(await arrived.promise);
      expect(event).toMatchObject({ type: 'ScheduleTimeSlotAdded', data: { templateId: 'week-a', range } });
      expect(event.data.schedule).toEqual(res.body.schedule);
      // Negative: the event reached the subscriber before the HTTP answer reached the client.
      afterResponse.push(arrivedAt - answeredAt);
      afterRequest.push(arrivedAt - sentAt);
    }

    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`;
    };
    console.log(
      `schedule change -> NATS subscriber over ${CHANGES} sequential changes: after the HTTP response ${stats(afterResponse)}; ` +
        `from sending the HTTP request ${stats(afterRequest)}`,
    );
    expect(afterResponse).toHaveLength(CHANGES);
  });
});
