import { SCHEDULE_EVENTS, parseScheduleEvent } from './events';
import { ScheduleRpc, PreviewScheduleRequestSchema, ImportExceptionsRequestSchema, AddExceptionRequestSchema } from './messages';
import { ScheduleDefinitionSchema, ScheduleExceptionSchema, exampleScheduleDefinition } from './schedule-definition';
import { toScheduleStreamId } from './stream-ids';

describe('schedule contracts', () => {
  it('builds stream ids and refuses ids that would break them', () => {
    expect(toScheduleStreamId('acme', 'main-line')).toBe('schedule-acme-main-line');
    expect(() => toScheduleStreamId('acme', 'main line')).toThrow();
    expect(() => toScheduleStreamId('Acme.evil', 'main')).toThrow();
  });

  it('names every event once, in the schedule service, with an example that parses', () => {
    const types = SCHEDULE_EVENTS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const def of SCHEDULE_EVENTS) {
      expect(def.service).toBe('schedule');
      expect(parseScheduleEvent({ type: def.type, version: def.version, data: def.example }).type).toBe(def.type);
    }
  });

  it('parseScheduleEvent refuses unknown types, versions and data (so consumers can dead-letter)', () => {
    expect(() => parseScheduleEvent({ type: 'ScheduleExploded', version: 1, data: {} })).toThrow(/not a schedule event type/);
    expect(() => parseScheduleEvent({ type: 'ScheduleDeleted', version: 2, data: {} })).toThrow(/not supported/);
    expect(() => parseScheduleEvent({ type: 'ScheduleDeleted', version: 1, data: { schedule: { scheduleId: 'x' } } })).toThrow();
  });

  it('every RPC lives under schedule.*', () => {
    for (const rpc of Object.values(ScheduleRpc)) expect(rpc.subject).toMatch(/^schedule\.[a-z-]+$/);
    expect(ScheduleRpc.isOpen.subject).toBe('schedule.is-open');
  });

  it('fills defaults: open exceptions without hours are open all day, recurring exceptions have no exdates', () => {
    const parsed = ScheduleExceptionSchema.parse({
      exceptionId: 'x',
      label: 'Sale',
      effect: 'open',
      when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY', dtstart: '2026-01-01' },
    });
    expect(parsed).toEqual({ exceptionId: 'x', label: 'Sale', effect: 'open', hours: null, when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY', dtstart: '2026-01-01', days: 1, exdates: [] } });
  });

  it.each<[string, unknown, string]>([
    ['a time slot with a bad time', { ...exampleScheduleDefinition, templates: [{ templateId: 'a', name: 'A', ranges: [{ day: 'mon', start: '9:00', end: '10:00' }] }] }, 'templates.0.ranges.0.start'],
    ['hours on a closed exception', { ...exampleScheduleDefinition, exceptions: [{ exceptionId: 'x', label: 'X', effect: 'closed', hours: null, when: { kind: 'dates', from: '2026-01-01', to: '2026-01-01' } }] }, 'exceptions.0'],
    ['an unknown field', { ...exampleScheduleDefinition, colour: 'red' }, ''],
  ])('the definition schema refuses %s', (_name, input, path) => {
    const result = ScheduleDefinitionSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('preview windows must be forward and at most 62 days', () => {
    expect(PreviewScheduleRequestSchema.safeParse({ scheduleId: 's', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }).success).toBe(true);
    expect(PreviewScheduleRequestSchema.safeParse({ scheduleId: 's', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }).success).toBe(false);
    expect(PreviewScheduleRequestSchema.safeParse({ scheduleId: 's', from: '2026-01-01T00:00:00Z', to: '2026-03-15T00:00:00Z' }).success).toBe(false);
  });

  it('exceptions may be submitted without an id, and imports take a list or iCalendar text', () => {
    expect(AddExceptionRequestSchema.parse({ scheduleId: 's', exception: { label: 'Party', effect: 'closed', when: { kind: 'period', start: '2026-07-03T15:00', end: '2026-07-03T18:00' } } }).exception.exceptionId).toBeUndefined();
    expect(ImportExceptionsRequestSchema.parse({ scheduleId: 's', format: 'ics', ics: 'BEGIN:VCALENDAR' })).toMatchObject({ effect: 'closed' });
    expect(ImportExceptionsRequestSchema.safeParse({ scheduleId: 's', format: 'exceptions', exceptions: [] }).success).toBe(false);
  });
});
