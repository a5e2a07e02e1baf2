import { evaluateWeekly, weeklyIntervals } from './weekly-evaluation';
import type { WeeklyRange } from './weekly-range';

const r = (day: WeeklyRange['day'], start: string, end: string): WeeklyRange => ({ day, start, end });
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString().replace(/:00\.000Z$/, 'Z'));

/** The intervals of one range on one local date (window: that date's surroundings). */
const on = (zone: string, range: WeeklyRange, fromIso: string, toIso: string): [string | null, string | null][] =>
  weeklyIntervals([range], zone, new Date(fromIso), new Date(toIso)).map((i) => [iso(i.start), iso(i.end)]);

describe('weeklyIntervals: a range is wall-clock time, DST-correct', () => {
  it.each<[string, string, WeeklyRange, string, string, [string, string][]]>([
    // Europe/London spring forward, Sun 2025-03-30: 01:00 GMT -> 02:00 BST at 01:00Z
    ['London, range starting in the skipped hour opens when the clock jumps', 'Europe/London', r('sun', '01:30', '02:30'), '2025-03-29T12:00Z', '2025-03-31T00:00Z', [['2025-03-30T01:00Z', '2025-03-30T01:30Z']]],
    ['London, range wholly inside the skipped hour does not happen', 'Europe/London', r('sun', '01:00', '02:00'), '2025-03-29T12:00Z', '2025-03-31T00:00Z', []],
    ['London, the spring-forward day is 23 hours long', 'Europe/London', r('sun', '00:00', '24:00'), '2025-03-29T12:00Z', '2025-03-31T12:00Z', [['2025-03-30T00:00Z', '2025-03-30T23:00Z']]],
    ['London, a night shift over spring forward lasts 7 hours', 'Europe/London', r('sat', '22:00', '06:00'), '2025-03-29T00:00Z', '2025-03-31T00:00Z', [['2025-03-29T22:00Z', '2025-03-30T05:00Z']]],
    // Europe/London fall back, Sun 2025-10-26: 02:00 BST -> 01:00 GMT at 01:00Z; 01:00-02:00 happens twice
    ['London, range over the repeated hour covers both passes', 'Europe/London', r('sun', '01:30', '02:30'), '2025-10-25T12:00Z', '2025-10-27T00:00Z', [['2025-10-26T00:30Z', '2025-10-26T02:30Z']]],
    ['London, range ending in the repeated hour ends at its second pass', 'Europe/London', r('sun', '00:00', '01:30'), '2025-10-25T12:00Z', '2025-10-27T00:00Z', [['2025-10-25T23:00Z', '2025-10-26T01:30Z']]],
    ['London, the repeated hour itself lasts two hours', 'Europe/London', r('sun', '01:00', '02:00'), '2025-10-25T12:00Z', '2025-10-27T00:00Z', [['2025-10-26T00:00Z', '2025-10-26T02:00Z']]],
    ['London, a night shift over fall back lasts 9 hours', 'Europe/London', r('sat', '22:00', '06:00'), '2025-10-25T00:00Z', '2025-10-27T00:00Z', [['2025-10-25T21:00Z', '2025-10-26T06:00Z']]],
    // America/New_York: spring Sun 2025-03-09 02:00 EST -> 03:00 EDT (07:00Z); fall Sun 2025-11-02 02:00 EDT -> 01:00 EST (06:00Z)
    ['New York, start in the gap opens at 03:00 EDT', 'America/New_York', r('sun', '02:30', '03:30'), '2025-03-08T12:00Z', '2025-03-10T12:00Z', [['2025-03-09T07:00Z', '2025-03-09T07:30Z']]],
    ['New York, 02:00-03:00 on spring-forward day is empty', 'America/New_York', r('sun', '02:00', '03:00'), '2025-03-08T12:00Z', '2025-03-10T12:00Z', []],
    ['New York, 01:00-04:00 over spring forward is 2 hours', 'America/New_York', r('sun', '01:00', '04:00'), '2025-03-08T12:00Z', '2025-03-10T12:00Z', [['2025-03-09T06:00Z', '2025-03-09T08:00Z']]],
    ['New York, 01:30-02:30 over fall back is 2 hours', 'America/New_York', r('sun', '01:30', '02:30'), '2025-11-01T12:00Z', '2025-11-03T12:00Z', [['2025-11-02T05:30Z', '2025-11-02T07:30Z']]],
    ['New York, a shift crossing midnight into fall back', 'America/New_York', r('sat', '23:00', '03:00'), '2025-11-01T12:00Z', '2025-11-03T12:00Z', [['2025-11-02T03:00Z', '2025-11-02T08:00Z']]],
    // Australia/Sydney (southern hemisphere): DST ends Sun 2025-04-06 03:00 AEDT -> 02:00 AEST (16:00Z), starts Sun 2025-10-05 02:00 -> 03:00 (16:00Z)
    ['Sydney, April repeated hour is covered twice', 'Australia/Sydney', r('sun', '02:30', '03:30'), '2025-04-05T00:00Z', '2025-04-06T12:00Z', [['2025-04-05T15:30Z', '2025-04-05T17:30Z']]],
    ['Sydney, October skipped hour swallows a range inside it', 'Australia/Sydney', r('sun', '02:15', '02:45'), '2025-10-04T00:00Z', '2025-10-05T12:00Z', []],
    ['Sydney, October range from the gap opens at 03:00 AEDT', 'Australia/Sydney', r('sun', '02:30', '04:00'), '2025-10-04T00:00Z', '2025-10-05T12:00Z', [['2025-10-04T16:00Z', '2025-10-04T17:00Z']]],
    // Australia/Adelaide (+09:30 / +10:30): same local rules, half-hour offsets
    ['Adelaide, October gap: 02:30-03:30 is 30 minutes', 'Australia/Adelaide', r('sun', '02:30', '03:30'), '2025-10-04T00:00Z', '2025-10-05T12:00Z', [['2025-10-04T16:30Z', '2025-10-04T17:00Z']]],
    ['Adelaide, April repeat: 02:30-03:30 is 2 hours', 'Australia/Adelaide', r('sun', '02:30', '03:30'), '2025-04-05T00:00Z', '2025-04-06T12:00Z', [['2025-04-05T16:00Z', '2025-04-05T18:00Z']]],
    // Australia/Lord_Howe shifts by 30 minutes: Sun 2025-10-05 02:00 (+10:30) -> 02:30 (+11:00) at 15:30Z
    ['Lord Howe, a 30-minute DST gap', 'Australia/Lord_Howe', r('sun', '02:00', '03:00'), '2025-10-04T00:00Z', '2025-10-05T12:00Z', [['2025-10-04T15:30Z', '2025-10-04T16:00Z']]],
    // Asia/Kolkata: +05:30, no DST
    ['Kolkata, half-hour offset', 'Asia/Kolkata', r('mon', '09:00', '17:30'), '2025-03-09T00:00Z', '2025-03-11T00:00Z', [['2025-03-10T03:30Z', '2025-03-10T12:00Z']]],
    // Clipping and '00:00' end meaning next midnight
    ['clipped to the window', 'UTC', r('mon', '09:00', '17:00'), '2025-03-10T10:00Z', '2025-03-10T12:00Z', [['2025-03-10T10:00Z', '2025-03-10T12:00Z']]],
    ['an end of 00:00 is the next midnight', 'UTC', r('sun', '22:00', '00:00'), '2025-03-09T00:00Z', '2025-03-11T00:00Z', [['2025-03-09T22:00Z', '2025-03-10T00:00Z']]],
    ['Sunday night shift runs into Monday', 'UTC', r('sun', '22:00', '02:00'), '2025-03-10T00:00Z', '2025-03-10T12:00Z', [['2025-03-10T00:00Z', '2025-03-10T02:00Z']]],
  ])('%s', (_name, zone, range, from, to, expected) => {
    expect(on(zone, range, from, to)).toEqual(expected);
  });

  it('repeats weekly and returns each interval with the range it came from', () => {
    const ranges = [r('mon', '09:00', '12:00'), r('mon', '13:00', '17:00'), r('wed', '09:00', '17:00')];
    const out = weeklyIntervals(ranges, 'Europe/Paris', new Date('2025-06-02T00:00Z'), new Date('2025-06-16T00:00Z'));
    expect(out.map((i) => [iso(i.start), i.range])).toEqual([
      ['2025-06-02T07:00Z', ranges[0]],
      ['2025-06-02T11:00Z', ranges[1]],
      ['2025-06-04T07:00Z', ranges[2]],
      ['2025-06-09T07:00Z', ranges[0]],
      ['2025-06-09T11:00Z', ranges[1]],
      ['2025-06-11T07:00Z', ranges[2]],
    ]);
  });

  it('returns nothing for an empty or inverted window', () => {
    expect(weeklyIntervals([r('mon', '00:00', '24:00')], 'UTC', new Date('2025-03-10T12:00Z'), new Date('2025-03-10T12:00Z'))).toEqual([]);
    expect(weeklyIntervals([r('mon', '00:00', '24:00')], 'UTC', new Date('2025-03-11T12:00Z'), new Date('2025-03-10T12:00Z'))).toEqual([]);
  });

  it('refuses an unknown zone and an invalid date', () => {
    expect(() => weeklyIntervals([r('mon', '09:00', '17:00')], 'Mars/Olympus', new Date('2025-03-10T00:00Z'), new Date('2025-03-11T00:00Z'))).toThrow(/unknown time zone/);
    expect(() => evaluateWeekly([r('mon', '09:00', '17:00')], 'UTC', new Date('nope'))).toThrow(/not a valid Date/);
  });
});

describe('evaluateWeekly', () => {
  const office = [r('mon', '09:00', '17:00'), r('tue', '09:00', '17:00'), r('fri', '09:00', '12:00'), r('fri', '12:00', '16:00')];
  const night = [r('sat', '22:00', '06:00')];

  it.each<[string, WeeklyRange[], string, string, boolean, WeeklyRange | null, string | null]>([
    ['inside a range, next change at its end', office, 'Europe/London', '2025-06-02T10:00Z', true, office[0]!, '2025-06-02T16:00Z'],
    ['before opening, next change at opening', office, 'Europe/London', '2025-06-02T07:59Z', false, null, '2025-06-02T08:00Z'],
    ['the start instant is inside', office, 'Europe/London', '2025-06-02T08:00Z', true, office[0]!, '2025-06-02T16:00Z'],
    ['the end instant is outside', office, 'Europe/London', '2025-06-02T16:00Z', false, null, '2025-06-03T08:00Z'],
    ['adjacent ranges count as one stretch for nextChange', office, 'Europe/London', '2025-06-06T09:00Z', true, office[2]!, '2025-06-06T15:00Z'],
    ['after Friday, next change is Monday', office, 'Europe/London', '2025-06-06T18:00Z', false, null, '2025-06-09T08:00Z'],
    ['inside a night shift on the fall-back night', night, 'Europe/London', '2025-10-26T01:30Z', true, night[0]!, '2025-10-26T06:00Z'],
    ['inside a night shift on the spring-forward night', night, 'Europe/London', '2025-03-30T01:30Z', true, night[0]!, '2025-03-30T05:00Z'],
    ['New York, closed before a Monday opening across spring forward', office, 'America/New_York', '2025-03-08T12:00Z', false, null, '2025-03-10T13:00Z'],
    ['Kolkata half-hour offset', office, 'Asia/Kolkata', '2025-06-02T03:29Z', false, null, '2025-06-02T03:30Z'],
    ['no ranges: never inside, never changes', [], 'UTC', '2025-06-02T10:00Z', false, null, null],
  ])('%s', (_name, ranges, zone, at, inside, range, next) => {
    const out = evaluateWeekly(ranges, zone, new Date(at));
    expect({ inside: out.inside, range: out.range, nextChange: iso(out.nextChange) }).toEqual({ inside, range, nextChange: next });
  });

  it('a whole week covered is always inside and never changes, even across DST', () => {
    const all = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => r(d, '00:00', '24:00'));
    for (const at of ['2025-03-30T00:59Z', '2025-03-30T01:00Z', '2025-10-26T01:30Z']) {
      const out = evaluateWeekly(all, 'Europe/London', new Date(at));
      expect([out.inside, out.nextChange]).toEqual([true, null]);
    }
  });

  it('finds a change two weeks out when the only closed minutes fall in the skipped hour', () => {
    // Open all week except Sunday 01:00-02:00 London, which does not exist on 2025-03-30.
    const ranges = [
      ...(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).map((d) => r(d, '00:00', '24:00')),
      r('sun', '00:00', '01:00'),
      r('sun', '02:00', '24:00'),
    ];
    const out = evaluateWeekly(ranges, 'Europe/London', new Date('2025-03-28T12:00Z'));
    expect([out.inside, iso(out.nextChange)]).toEqual([true, '2025-04-06T00:00Z']);
  });
});
