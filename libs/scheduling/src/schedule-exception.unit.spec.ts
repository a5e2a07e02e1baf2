import { recurrenceRuleProblem } from './recurrence';
import type { ScheduleDefinition, ScheduleException } from './schedule-definition';
import { validateDailyHours, validateScheduleException } from './schedule-exception';
import { validateScheduleDefinition } from './schedule-validation';
import { rotationWeekIndex } from './schedule-rotation';

const closed = (when: ScheduleException['when']): ScheduleException => ({ exceptionId: 'e', label: 'Holiday', effect: 'closed', when });

describe('recurrenceRuleProblem', () => {
  it.each<[string, string | null]>([
    ['FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', null],
    ['RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO', null],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;UNTIL=20301231', null],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;COUNT=12', null],
    ['', 'must be an RRULE'],
    ['FREQ=HOURLY', 'FREQ must be one of'],
    ['FREQ=BOGUS', 'invalid frequency'],
    ['FREQ=WEEKLY;BYDAY=XX', 'invalid BYDAY'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH'],
    ['FREQ=DAILY;BYHOUR=9', 'unsupported part BYHOUR'],
    ['BYMONTH=12', 'FREQ must be one of'],
    ['FREQ=YEARLY;;', 'malformed part'],
    ['FREQ=YEARLY\nDTSTART:20200101', 'single RRULE line'],
  ])('%s', (rule, expected) => {
    const problem = recurrenceRuleProblem(rule);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('validateScheduleException', () => {
  it.each<[string, ScheduleException, { path: string; code: string }[]]>([
    ['a valid dates exception', closed({ kind: 'dates', from: '2025-12-24', to: '2025-12-26' }), []],
    ['to before from', closed({ kind: 'dates', from: '2025-12-24', to: '2025-12-23' }), [{ path: 'x.when.to', code: 'END_BEFORE_START' }]],
    ['an impossible date', closed({ kind: 'dates', from: '2025-02-30', to: '2025-03-01' }), [{ path: 'x.when.from', code: 'INVALID_DATE' }]],
    ['more than a year of dates', closed({ kind: 'dates', from: '2025-01-01', to: '2026-01-02' }), [{ path: 'x.when.to', code: 'INVALID_DURATION' }]],
    ['a period ending at its start', closed({ kind: 'period', start: '2025-06-01T10:00', end: '2025-06-01T10:00' }), [{ path: 'x.when.end', code: 'END_BEFORE_START' }]],
    ['a period with seconds', closed({ kind: 'period', start: '2025-06-01T10:00:00', end: '2025-06-01T11:00' }), [{ path: 'x.when.start', code: 'INVALID_DATE' }]],
    ['a bad rrule', closed({ kind: 'recurring-all-day', rrule: 'FREQ=SECONDLY', dtstart: '2025-01-01', days: 1, exdates: [] }), [{ path: 'x.when.rrule', code: 'INVALID_RRULE' }]],
    ['zero days', closed({ kind: 'recurring-all-day', rrule: 'FREQ=YEARLY', dtstart: '2025-01-01', days: 0, exdates: ['2025-13-01'] }), [{ path: 'x.when.exdates[0]', code: 'INVALID_DATE' }, { path: 'x.when.days', code: 'INVALID_DURATION' }]],
    ['a timed rule with a bad start and no duration', closed({ kind: 'recurring-timed', rrule: 'FREQ=WEEKLY', dtstart: '2025-01-01', startTime: '25:00', durationMinutes: 0, exdates: [] }), [{ path: 'x.when.startTime', code: 'INVALID_DATE' }, { path: 'x.when.durationMinutes', code: 'INVALID_DURATION' }]],
    ['an empty label', { ...closed({ kind: 'dates', from: '2025-12-24', to: '2025-12-24' }), label: ' ' }, [{ path: 'x.label', code: 'INVALID_LABEL' }]],
    ['open hours that overlap', { exceptionId: 'o', label: 'Open', effect: 'open', hours: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }], when: { kind: 'dates', from: '2025-12-24', to: '2025-12-24' } }, [{ path: 'x.hours[1]', code: 'INVALID_HOURS' }]],
  ])('%s', (_name, ex, expected) => {
    expect(validateScheduleException(ex, 'x').map(({ path, code }) => ({ path, code }))).toEqual(expected);
  });
});

describe('validateDailyHours', () => {
  it.each<[string, { start: string; end: string }[], string[]]>([
    ['fine', [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }], []],
    ['empty list', [], ['hours']],
    ['start equals end', [{ start: '09:00', end: '09:00' }], ['hours[0].end']],
    ['bad times', [{ start: '24:00', end: '25:00' }], ['hours[0].start', 'hours[0].end']],
    ['a night range overlapping the next morning', [{ start: '22:00', end: '02:00' }, { start: '01:00', end: '05:00' }], ['hours[1]']],
    ['a night range touching the next morning', [{ start: '22:00', end: '02:00' }, { start: '02:00', end: '05:00' }], []],
  ])('%s', (_name, hours, paths) => {
    expect(validateDailyHours(hours).map((i) => i.path)).toEqual(paths);
  });
});

describe('validateScheduleDefinition', () => {
  const valid: ScheduleDefinition = {
    scheduleId: 's',
    tenantId: 't',
    name: 'Main',
    timezone: 'Europe/London',
    mode: 'custom',
    templates: [{ templateId: 'A', name: 'A', ranges: [{ day: 'mon', start: '09:00', end: '17:00' }] }],
    rotation: { active: true, anchorDate: '2025-01-01', firstTemplateId: 'A' },
    exceptions: [closed({ kind: 'dates', from: '2025-12-25', to: '2025-12-25' })],
    emergency: null,
  };
  it('accepts a coherent definition', () => expect(validateScheduleDefinition(valid)).toEqual([]));
  it('reports every problem with its path', () => {
    const broken: ScheduleDefinition = {
      ...valid,
      timezone: 'Europe/Londn',
      templates: [valid.templates[0]!, { templateId: 'A', name: 'dup', ranges: [{ day: 'tue', start: '10:00', end: '10:00' }] }],
      rotation: { active: true, anchorDate: '2025-1-1', firstTemplateId: 'Z' },
      exceptions: [valid.exceptions[0]!, valid.exceptions[0]!],
      emergency: { state: 'closed', reason: 'x', by: null, at: 'yesterday', expiresAt: 'never' },
    };
    expect(validateScheduleDefinition(broken).map((e) => e.path)).toEqual([
      'timezone',
      'templates[1].templateId',
      'templates[1].ranges[0].end',
      'rotation.anchorDate',
      'rotation.firstTemplateId',
      'exceptions[1].exceptionId',
      'emergency.at',
      'emergency.expiresAt',
    ]);
  });
});

describe('rotationWeekIndex', () => {
  const d = (s: string) => ({ year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) });
  it.each<[string, string, number]>([
    ['2026-12-23', '2026-12-21', 0], // the anchor's Monday
    ['2026-12-23', '2026-12-27', 0], // its Sunday
    ['2026-12-23', '2026-12-28', 1], // ISO 2026-W53
    ['2026-12-23', '2027-01-03', 1],
    ['2026-12-23', '2027-01-04', 2], // ISO 2027-W01
    ['2026-12-23', '2026-12-20', -1],
    ['2024-02-29', '2025-03-03', 53], // leap day anchor
  ])('anchor %s, date %s is week %d', (anchor, date, week) => {
    expect(rotationWeekIndex(d(anchor), d(date))).toBe(week);
  });
});
