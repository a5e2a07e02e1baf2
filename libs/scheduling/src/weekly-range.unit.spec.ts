import { mergeWeeklyRanges, validateWeeklyRanges, sameWeeklyRange, coversWholeWeek, type WeeklyRange } from './weekly-range';

const r = (day: WeeklyRange['day'], start: string, end: string): WeeklyRange => ({ day, start, end });

describe('validateWeeklyRanges', () => {
  it.each<[string, WeeklyRange[], { path: string; code: string }[]]>([
    ['accepts an ordinary week', [r('mon', '09:00', '12:00'), r('mon', '12:00', '17:00'), r('sun', '22:00', '02:00')], []],
    ['accepts 00:00-24:00', [r('mon', '00:00', '24:00')], []],
    ['refuses start equal to end', [r('mon', '09:00', '12:00'), r('tue', '09:00', '12:00'), r('wed', '10:00', '10:00')], [{ path: 'ranges[2].end', code: 'START_EQUALS_END' }]],
    ['refuses a malformed start', [r('mon', '9:00', '12:00')], [{ path: 'ranges[0].start', code: 'INVALID_TIME' }]],
    ['refuses 24:00 as a start', [r('mon', '24:00', '12:00')], [{ path: 'ranges[0].start', code: 'INVALID_TIME' }]],
    ['refuses a malformed end', [r('mon', '09:00', '24:01')], [{ path: 'ranges[0].end', code: 'INVALID_TIME' }]],
    ['refuses an unknown day', [{ day: 'mun', start: '09:00', end: '10:00' } as unknown as WeeklyRange], [{ path: 'ranges[0].day', code: 'INVALID_DAY' }]],
    ['refuses overlapping ranges on the later one', [r('mon', '09:00', '12:00'), r('mon', '11:00', '13:00')], [{ path: 'ranges[1]', code: 'OVERLAP' }]],
    ['refuses a containing range', [r('tue', '08:00', '18:00'), r('tue', '09:00', '10:00')], [{ path: 'ranges[1]', code: 'OVERLAP' }]],
    ['refuses an overlap created by crossing midnight', [r('mon', '22:00', '02:00'), r('tue', '01:00', '05:00')], [{ path: 'ranges[1]', code: 'OVERLAP' }]],
    ['refuses an overlap across the week end (Sunday night into Monday)', [r('mon', '00:30', '05:00'), r('sun', '22:00', '01:00')], [{ path: 'ranges[1]', code: 'OVERLAP' }]],
    ['an end of 00:00 touches the next day without overlapping', [r('mon', '18:00', '00:00'), r('tue', '00:00', '06:00')], []],
    ['reports each bad range once', [r('mon', '09:00', '12:00'), r('mon', '10:00', '11:00'), r('mon', '10:30', '11:30')], [{ path: 'ranges[1]', code: 'OVERLAP' }, { path: 'ranges[2]', code: 'OVERLAP' }]],
  ])('%s', (_name, ranges, expected) => {
    expect(validateWeeklyRanges(ranges).map(({ path, code }) => ({ path, code }))).toEqual(expected);
  });

  it('prefixes paths so nested lists point at the right field', () => {
    const issues = validateWeeklyRanges([r('mon', '10:00', '10:00')], 'templates[1].ranges');
    expect(issues).toEqual([{ path: 'templates[1].ranges[0].end', code: 'START_EQUALS_END', message: expect.any(String) }]);
  });

  it('names the range an overlap collides with', () => {
    const [issue] = validateWeeklyRanges([r('mon', '09:00', '12:00'), r('mon', '11:00', '13:00')]);
    expect(issue?.message).toBe('overlaps ranges[0] (mon 09:00-12:00)');
  });
});

describe('mergeWeeklyRanges', () => {
  it.each<[string, WeeklyRange[], WeeklyRange[]]>([
    ['merges overlapping ranges', [r('mon', '11:00', '13:00'), r('mon', '09:00', '12:00')], [r('mon', '09:00', '13:00')]],
    ['merges adjacent ranges', [r('mon', '09:00', '12:00'), r('mon', '12:00', '17:00')], [r('mon', '09:00', '17:00')]],
    ['keeps separate ranges apart and sorted Monday first', [r('wed', '09:00', '10:00'), r('mon', '14:00', '15:00'), r('mon', '09:00', '10:00')], [r('mon', '09:00', '10:00'), r('mon', '14:00', '15:00'), r('wed', '09:00', '10:00')]],
    ['keeps a sub-day block crossing midnight as one range', [r('mon', '22:00', '24:00'), r('tue', '00:00', '02:00')], [r('mon', '22:00', '02:00')]],
    ['joins Sunday night with Monday morning', [r('sun', '22:00', '24:00'), r('mon', '00:00', '03:00')], [r('sun', '22:00', '03:00')]],
    ['cuts a block longer than a day at midnight', [r('mon', '09:00', '24:00'), r('tue', '00:00', '10:00')], [r('mon', '09:00', '24:00'), r('tue', '00:00', '10:00')]],
    ['a whole day is 00:00-24:00', [r('mon', '00:00', '12:00'), r('mon', '12:00', '24:00')], [r('mon', '00:00', '24:00')]],
    ['drops malformed ranges', [r('mon', '09:00', '09:00'), r('mon', '10:00', '11:00')], [r('mon', '10:00', '11:00')]],
    ['a whole week becomes seven whole days', (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => r(d, '00:00', '24:00')), (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => r(d, '00:00', '24:00'))],
    ['nothing in, nothing out', [], []],
  ])('%s', (_name, input, expected) => {
    expect(mergeWeeklyRanges(input)).toEqual(expected);
  });

  it('produces ranges that validate and cover the same week', () => {
    const input = [r('sat', '20:00', '04:00'), r('sun', '03:00', '09:00'), r('sun', '23:00', '01:00'), r('mon', '00:30', '02:00'), r('thu', '10:00', '12:00')];
    const merged = mergeWeeklyRanges(input);
    expect(validateWeeklyRanges(merged)).toEqual([]);
    expect(merged).toEqual([r('thu', '10:00', '12:00'), r('sat', '20:00', '09:00'), r('sun', '23:00', '02:00')]);
  });
});

describe('range helpers', () => {
  it('treats end 00:00 and 24:00 as the same range', () => {
    expect(sameWeeklyRange(r('mon', '18:00', '00:00'), r('mon', '18:00', '24:00'))).toBe(true);
    expect(sameWeeklyRange(r('mon', '18:00', '23:00'), r('mon', '18:00', '24:00'))).toBe(false);
  });
  it('knows when the week is fully covered', () => {
    expect(coversWholeWeek([r('mon', '00:00', '00:00')])).toBe(false);
    expect(coversWholeWeek((['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => r(d, '06:00', '06:00')))).toBe(false);
    expect(coversWholeWeek((['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => r(d, '06:00', '05:59')).concat([r('mon', '05:59', '06:00')]))).toBe(false);
    expect(coversWholeWeek((['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => r(d, '06:00', '06:01')))).toBe(false);
    expect(coversWholeWeek((['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).flatMap((d) => [r(d, '06:00', '05:00'), r(d, '05:00', '06:00')]))).toBe(true);
  });
});
