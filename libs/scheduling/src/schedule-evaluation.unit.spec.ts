import { evaluateSchedule, previewSchedule, type DecidedBy } from './schedule-evaluation';
import type { ScheduleDefinition, ScheduleException, ScheduleTemplate } from './schedule-definition';
import type { WeeklyRange } from './weekly-range';

const r = (day: WeeklyRange['day'], start: string, end: string): WeeklyRange => ({ day, start, end });
const weekdays = (start: string, end: string): WeeklyRange[] => (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => r(d, start, end));
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString().replace(/:00\.000Z$/, 'Z'));

const A: ScheduleTemplate = { templateId: 'A', name: 'Week A', ranges: weekdays('09:00', '17:00') };
const B: ScheduleTemplate = { templateId: 'B', name: 'Week B', ranges: weekdays('08:00', '12:00') };
const C: ScheduleTemplate = { templateId: 'C', name: 'Week C', ranges: [r('sat', '10:00', '14:00')] };

const schedule = (over: Partial<ScheduleDefinition> = {}): ScheduleDefinition => ({
  scheduleId: 'main',
  tenantId: 'acme',
  name: 'Main line',
  timezone: 'Europe/London',
  mode: 'custom',
  templates: [A, B],
  rotation: null,
  exceptions: [],
  emergency: null,
  ...over,
});

const christmas: ScheduleException = {
  exceptionId: 'xmas',
  label: 'Christmas Day',
  effect: 'closed',
  when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', dtstart: '2020-12-25', days: 1, exdates: [] },
};
const springBank: ScheduleException = {
  exceptionId: 'spring-bank',
  label: 'Spring bank holiday',
  effect: 'closed',
  when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO', dtstart: '2020-01-01', days: 1, exdates: ['2026-05-25'] },
};
const fridayLunch: ScheduleException = {
  exceptionId: 'lunch',
  label: 'Team lunch',
  effect: 'closed',
  when: { kind: 'recurring-timed', rrule: 'FREQ=WEEKLY;BYDAY=FR', dtstart: '2025-01-03', startTime: '12:00', durationMinutes: 60, exdates: [] },
};
const saturdayOpening: ScheduleException = {
  exceptionId: 'sat-sale',
  label: 'Saturday sale',
  effect: 'open',
  hours: [{ start: '10:00', end: '13:00' }],
  when: { kind: 'dates', from: '2025-06-07', to: '2025-06-07' },
};
const christmasMorning: ScheduleException = {
  exceptionId: 'xmas-2025-morning',
  label: 'Christmas morning cover',
  effect: 'open',
  hours: [{ start: '10:00', end: '12:00' }],
  when: { kind: 'dates', from: '2025-12-25', to: '2025-12-25' },
};

const rule = (t: ScheduleTemplate, range: WeeklyRange): DecidedBy => ({ kind: 'rule', templateId: t.templateId, templateName: t.name, range });
const noRule = (t: ScheduleTemplate | null): DecidedBy => ({ kind: 'no-rule', templateId: t?.templateId ?? null, templateName: t?.name ?? null });
const exception = (e: ScheduleException): DecidedBy => ({ kind: 'exception', exceptionId: e.exceptionId, label: e.label, effect: e.effect });

type Case = [name: string, def: ScheduleDefinition, at: string, open: boolean, decidedBy: DecidedBy, next: string | null, week?: { index: number; templateId: string } | null];

const rotate = (first: string, templates = [A, B], anchorDate = '2026-12-23'): Partial<ScheduleDefinition> => ({
  templates,
  rotation: { active: true, anchorDate, firstTemplateId: first },
});

describe('evaluateSchedule: weekly rules and rotation', () => {
  it.each<Case>([
    ['rotation off: the first template applies every week', schedule(), '2025-06-02T09:00Z', true, rule(A, A.ranges[0]!), '2025-06-02T16:00Z', null],
    ['rotation off: firstTemplateId picks the template', schedule({ rotation: { active: false, anchorDate: '2025-01-01', firstTemplateId: 'B' } }), '2025-06-02T12:30Z', false, noRule(B), '2025-06-03T07:00Z', null],
    // Anchor Wed 2026-12-23: week 0 is ISO 2026-W52, week 1 is 2026-W53, week 2 is 2027-W01.
    ['year boundary: week 0 (ISO W52) uses the first template', schedule(rotate('A')), '2026-12-23T13:00Z', true, rule(A, A.ranges[2]!), '2026-12-23T17:00Z', { index: 0, templateId: 'A' }],
    ['year boundary: week 1 (ISO W53) uses the second', schedule(rotate('A')), '2026-12-28T13:00Z', false, noRule(B), '2026-12-29T08:00Z', { index: 1, templateId: 'B' }],
    ['year boundary: New Year\'s Day is still week 1', schedule(rotate('A')), '2027-01-01T09:00Z', true, rule(B, B.ranges[4]!), '2027-01-01T12:00Z', { index: 1, templateId: 'B' }],
    ['year boundary: week 2 (ISO 2027-W01) is back to the first', schedule(rotate('A')), '2027-01-04T13:00Z', true, rule(A, A.ranges[0]!), '2027-01-04T17:00Z', { index: 2, templateId: 'A' }],
    ['choose which first: B first makes week 0 B', schedule(rotate('B')), '2026-12-23T13:00Z', false, noRule(B), '2026-12-24T08:00Z', { index: 0, templateId: 'B' }],
    ['weeks before the anchor rotate backwards', schedule(rotate('A')), '2026-12-14T13:00Z', false, noRule(B), '2026-12-15T08:00Z', { index: -1, templateId: 'B' }],
    ['three templates, C first: week 0 is C', schedule(rotate('C', [A, B, C])), '2026-12-26T11:00Z', true, rule(C, C.ranges[0]!), '2026-12-26T14:00Z', { index: 0, templateId: 'C' }],
    ['three templates, C first: week 1 is A', schedule(rotate('C', [A, B, C])), '2026-12-28T13:00Z', true, rule(A, A.ranges[0]!), '2026-12-28T17:00Z', { index: 1, templateId: 'A' }],
    ['three templates, C first: week 2 is B', schedule(rotate('C', [A, B, C])), '2027-01-04T13:00Z', false, noRule(B), '2027-01-05T08:00Z', { index: 2, templateId: 'B' }],
    ['three templates, C first: week 3 is C again', schedule(rotate('C', [A, B, C])), '2027-01-16T10:30Z', true, rule(C, C.ranges[0]!), '2027-01-16T14:00Z', { index: 3, templateId: 'C' }],
    ['the rotation turns at local Monday 00:00, not UTC (BST)', schedule(rotate('A', [A, B], '2025-06-02')), '2025-06-08T23:30Z', false, noRule(B), '2025-06-09T07:00Z', { index: 1, templateId: 'B' }],
    ['a week containing spring forward still turns on Monday', schedule(rotate('A', [A, B], '2025-03-24')), '2025-03-31T07:30Z', true, rule(B, B.ranges[0]!), '2025-03-31T11:00Z', { index: 1, templateId: 'B' }],
    ['a single template with rotation on is used every week', schedule(rotate('A', [A])), '2026-12-28T13:00Z', true, rule(A, A.ranges[0]!), '2026-12-28T17:00Z', { index: 1, templateId: 'A' }],
    ['no templates: closed, never changes', schedule({ templates: [] }), '2025-06-02T10:00Z', false, noRule(null), null, null],
    ['a template with no ranges: closed, never changes', schedule({ templates: [{ templateId: 'E', name: 'Empty', ranges: [] }] }), '2025-06-02T10:00Z', false, { kind: 'no-rule', templateId: 'E', templateName: 'Empty' }, null, null],
    ['fall back: a 01:30-02:30 rule covers both passes', schedule({ templates: [{ ...A, ranges: [r('sun', '01:30', '02:30')] }] }), '2025-10-26T01:15Z', true, rule({ ...A, ranges: [] }, r('sun', '01:30', '02:30')), '2025-10-26T02:30Z', null],
    ['spring forward: a 01:30-02:30 rule opens when the clock jumps', schedule({ templates: [{ ...A, ranges: [r('sun', '01:30', '02:30')] }] }), '2025-03-30T00:59Z', false, { kind: 'no-rule', templateId: 'A', templateName: 'Week A' }, '2025-03-30T01:00Z', null],
  ])('%s', (_name, def, at, open, decidedBy, next, week) => {
    const out = evaluateSchedule(def, new Date(at));
    expect({ open: out.open, decidedBy: out.decidedBy, next: iso(out.nextTransition), week: out.week ?? null }).toEqual({ open, decidedBy, next, week });
  });
});

describe('evaluateSchedule: exceptions beat rules', () => {
  it.each<Case>([
    ['a recurring holiday closes a working day', schedule({ exceptions: [christmas] }), '2025-12-25T10:00Z', false, exception(christmas), '2025-12-26T09:00Z'],
    ['the holiday recurs every year', schedule({ exceptions: [christmas] }), '2030-12-25T10:00Z', false, exception(christmas), '2030-12-26T09:00Z'],
    ['a holiday on a closed day still reports the holiday', schedule({ exceptions: [christmas] }), '2027-12-25T10:00Z', false, exception(christmas), '2027-12-27T09:00Z'],
    ['before the holiday the rule decides, next change is its end', schedule({ exceptions: [christmas] }), '2025-12-24T10:00Z', true, rule(A, A.ranges[2]!), '2025-12-24T17:00Z'],
    ['last Monday of May (BYDAY=-1MO), BST', schedule({ exceptions: [springBank] }), '2025-05-26T09:00Z', false, exception(springBank), '2025-05-27T08:00Z'],
    ['an exdate skips one occurrence', schedule({ exceptions: [springBank] }), '2026-05-25T09:00Z', true, rule(A, A.ranges[0]!), '2026-05-25T16:00Z'],
    ['a recurring timed closure inside opening hours', schedule({ exceptions: [fridayLunch] }), '2025-06-06T11:30Z', false, exception(fridayLunch), '2025-06-06T12:00Z'],
    ['opening hours resume when the timed closure ends', schedule({ exceptions: [fridayLunch] }), '2025-06-06T12:00Z', true, rule(A, A.ranges[4]!), '2025-06-06T16:00Z'],
    ['an open exception opens a closed Saturday, within its hours', schedule({ exceptions: [saturdayOpening] }), '2025-06-07T10:00Z', true, exception(saturdayOpening), '2025-06-07T12:00Z'],
    ['outside its hours the open exception keeps the day closed', schedule({ exceptions: [saturdayOpening] }), '2025-06-07T08:00Z', false, exception(saturdayOpening), '2025-06-07T09:00Z'],
    ['a one-off beats a recurring holiday', schedule({ exceptions: [christmasMorning, christmas] }), '2025-12-25T11:00Z', true, exception(christmasMorning), '2025-12-25T12:00Z'],
    ['around the one-off the recurring holiday still closes', schedule({ exceptions: [christmasMorning, christmas] }), '2025-12-25T09:00Z', false, exception(christmasMorning), '2025-12-25T10:00Z'],
    ['exceptions apply in 24/7 mode too', schedule({ mode: '24/7', exceptions: [christmas] }), '2025-12-25T10:00Z', false, exception(christmas), '2025-12-26T00:00Z'],
    [
      'a one-off period in local time (DST-aware)',
      schedule({ exceptions: [{ exceptionId: 'p', label: 'Fire drill', effect: 'closed', when: { kind: 'period', start: '2025-06-03T14:00', end: '2025-06-03T15:30' } }] }),
      '2025-06-03T13:00Z',
      false,
      { kind: 'exception', exceptionId: 'p', label: 'Fire drill', effect: 'closed' },
      '2025-06-03T14:30Z',
    ],
  ])('%s', (_name, def, at, open, decidedBy, next) => {
    const out = evaluateSchedule(def, new Date(at));
    expect({ open: out.open, decidedBy: out.decidedBy, next: iso(out.nextTransition) }).toEqual({ open, decidedBy, next });
  });

  it('among overlapping one-offs the later in the list wins', () => {
    const closedWeek: ScheduleException = { exceptionId: 'refit', label: 'Refit', effect: 'closed', when: { kind: 'dates', from: '2025-06-02', to: '2025-06-06' } };
    const openWednesday: ScheduleException = { exceptionId: 'wed', label: 'Open for deliveries', effect: 'open', hours: null, when: { kind: 'dates', from: '2025-06-04', to: '2025-06-04' } };
    expect(evaluateSchedule(schedule({ exceptions: [closedWeek, openWednesday] }), new Date('2025-06-04T20:00Z')).decidedBy).toEqual(exception(openWednesday));
    expect(evaluateSchedule(schedule({ exceptions: [openWednesday, closedWeek] }), new Date('2025-06-04T20:00Z')).decidedBy).toEqual(exception(closedWeek));
  });
});

describe('evaluateSchedule: emergency override beats everything until it expires', () => {
  const closedNow = { state: 'closed' as const, reason: 'Flood', by: 'user:ops', at: '2025-06-02T08:00:00Z', expiresAt: null };
  it.each<Case>([
    ['closed without expiry: closed, never changes', schedule({ emergency: closedNow, exceptions: [christmas] }), '2025-06-02T10:00Z', false, { kind: 'emergency', state: 'closed', label: 'Flood', expiresAt: null }, null],
    [
      'closed with expiry inside opening hours: reopens at expiry',
      schedule({ emergency: { ...closedNow, expiresAt: '2025-06-02T12:00:00.000Z' } }),
      '2025-06-02T10:00Z',
      false,
      { kind: 'emergency', state: 'closed', label: 'Flood', expiresAt: '2025-06-02T12:00:00.000Z' },
      '2025-06-02T12:00Z',
    ],
    [
      'closed with expiry after hours: the next change is the next opening',
      schedule({ emergency: { ...closedNow, expiresAt: '2025-06-02T20:00:00.000Z' } }),
      '2025-06-02T10:00Z',
      false,
      { kind: 'emergency', state: 'closed', label: 'Flood', expiresAt: '2025-06-02T20:00:00.000Z' },
      '2025-06-03T08:00Z',
    ],
    ['an expired override is ignored', schedule({ emergency: { ...closedNow, expiresAt: '2025-06-02T09:30:00.000Z' } }), '2025-06-02T10:00Z', true, rule(A, A.ranges[0]!), '2025-06-02T16:00Z'],
    ['it ends exactly at expiresAt', schedule({ emergency: { ...closedNow, expiresAt: '2025-06-02T10:00:00.000Z' } }), '2025-06-02T10:00Z', true, rule(A, A.ranges[0]!), '2025-06-02T16:00Z'],
    [
      'open overnight beats a holiday and the rules',
      schedule({ exceptions: [christmas], emergency: { state: 'open', reason: 'Storm line', by: null, at: '2025-12-24T20:00:00Z', expiresAt: '2025-12-25T18:00:00.000Z' } }),
      '2025-12-25T03:00Z',
      true,
      { kind: 'emergency', state: 'open', label: 'Storm line', expiresAt: '2025-12-25T18:00:00.000Z' },
      '2025-12-25T18:00Z',
    ],
  ])('%s', (_name, def, at, open, decidedBy, next) => {
    const out = evaluateSchedule(def, new Date(at));
    expect({ open: out.open, decidedBy: out.decidedBy, next: iso(out.nextTransition) }).toEqual({ open, decidedBy, next });
  });
});

describe('evaluateSchedule: 24/7 mode', () => {
  const rotating = schedule(rotate('A'));

  it('overrides the rotation without deleting it, and switching back restores it', () => {
    const always = evaluateSchedule({ ...rotating, mode: '24/7' }, new Date('2026-12-28T13:00Z'));
    expect(always).toEqual({ open: true, decidedBy: { kind: '24/7' }, nextTransition: null });
    const back = evaluateSchedule({ ...rotating, mode: 'custom' }, new Date('2026-12-28T13:00Z'));
    expect([back.open, back.week]).toEqual([false, { index: 1, templateId: 'B' }]);
  });

  it('finds a transition beyond the first week (a closure 100 days ahead)', () => {
    const later: ScheduleException = { exceptionId: 'audit', label: 'Audit', effect: 'closed', when: { kind: 'dates', from: '2025-09-10', to: '2025-09-10' } };
    const out = evaluateSchedule(schedule({ mode: '24/7', exceptions: [later] }), new Date('2025-06-02T10:00Z'));
    expect(iso(out.nextTransition)).toBe('2025-09-09T23:00Z');
  });

  it('answers null when the only change is beyond the search horizon', () => {
    const farAway: ScheduleException = { exceptionId: 'far', label: 'Far', effect: 'closed', when: { kind: 'dates', from: '2027-06-10', to: '2027-06-10' } };
    expect(evaluateSchedule(schedule({ mode: '24/7', exceptions: [farAway] }), new Date('2025-06-02T10:00Z')).nextTransition).toBeNull();
  });
});

describe('evaluateSchedule: options and bad input', () => {
  it('skips the look-ahead when asked (hot path)', () => {
    const out = evaluateSchedule(schedule(), new Date('2025-06-02T09:00Z'), { nextTransition: false });
    expect([out.open, out.nextTransition]).toEqual([true, null]);
  });
  it('throws on an unknown zone or an invalid instant', () => {
    expect(() => evaluateSchedule(schedule({ timezone: 'Nowhere/Land' }), new Date('2025-06-02T09:00Z'))).toThrow(/unknown time zone/);
    expect(() => evaluateSchedule(schedule(), new Date(Number.NaN))).toThrow(/not a valid Date/);
  });
});

describe('previewSchedule', () => {
  it('lists the open intervals of a week with what opened them, clipped to the window', () => {
    const def = schedule({
      exceptions: [fridayLunch, saturdayOpening],
      emergency: { state: 'closed', reason: 'Outage', by: null, at: '2025-06-02T07:00:00Z', expiresAt: '2025-06-02T10:00:00.000Z' },
    });
    const out = previewSchedule(def, new Date('2025-06-02T00:00Z'), new Date('2025-06-07T12:30Z'));
    expect(out.map((i) => [iso(i.start), iso(i.end), i.decidedBy.kind === 'exception' ? i.decidedBy.exceptionId : i.decidedBy.kind])).toEqual([
      ['2025-06-02T10:00Z', '2025-06-02T16:00Z', 'rule'],
      ['2025-06-03T08:00Z', '2025-06-03T16:00Z', 'rule'],
      ['2025-06-04T08:00Z', '2025-06-04T16:00Z', 'rule'],
      ['2025-06-05T08:00Z', '2025-06-05T16:00Z', 'rule'],
      ['2025-06-06T08:00Z', '2025-06-06T11:00Z', 'rule'],
      ['2025-06-06T12:00Z', '2025-06-06T16:00Z', 'rule'],
      ['2025-06-07T09:00Z', '2025-06-07T12:00Z', 'sat-sale'],
    ]);
  });

  it('shows the rotation switching templates', () => {
    const out = previewSchedule(schedule(rotate('A')), new Date('2026-12-25T00:00Z'), new Date('2026-12-29T00:00Z'));
    expect(out.map((i) => [iso(i.start), iso(i.end), i.decidedBy.kind === 'rule' ? i.decidedBy.templateId : '?'])).toEqual([
      ['2026-12-25T09:00Z', '2026-12-25T17:00Z', 'A'],
      ['2026-12-28T08:00Z', '2026-12-28T12:00Z', 'B'],
    ]);
  });

  it('joins 24/7 into one interval and refuses windows beyond the limit', () => {
    const out = previewSchedule(schedule({ mode: '24/7' }), new Date('2025-06-01T00:00Z'), new Date('2025-07-01T00:00Z'));
    expect(out).toEqual([{ start: new Date('2025-06-01T00:00Z'), end: new Date('2025-07-01T00:00Z'), decidedBy: { kind: '24/7' } }]);
    expect(previewSchedule(schedule(), new Date('2025-07-01T00:00Z'), new Date('2025-06-01T00:00Z'))).toEqual([]);
    expect(() => previewSchedule(schedule(), new Date('2025-01-01T00:00Z'), new Date('2026-03-01T00:00Z'))).toThrow(/longer than/);
  });
});
