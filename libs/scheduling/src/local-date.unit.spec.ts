import { addDays, dayNumberOf, isoWeekdayOfDate, localDateOfDayNumber, mondayOf, parseLocalDate } from './local-date';

describe('local dates', () => {
  it('day numbers agree with Date.UTC for every day from 1900 to 2200', () => {
    const start = Date.UTC(1900, 0, 1) / 86_400_000;
    const end = Date.UTC(2200, 0, 1) / 86_400_000;
    for (let n = start; n < end; n++) {
      const probe = new Date(n * 86_400_000);
      const date = { year: probe.getUTCFullYear(), month: probe.getUTCMonth() + 1, day: probe.getUTCDate() };
      if (dayNumberOf(date) !== n) throw new Error(`dayNumberOf(${JSON.stringify(date)}) = ${dayNumberOf(date)}, want ${n}`);
      const back = localDateOfDayNumber(n);
      if (back.year !== date.year || back.month !== date.month || back.day !== date.day) throw new Error(`localDateOfDayNumber(${n}) = ${JSON.stringify(back)}`);
    }
  });

  it.each<[string, boolean]>([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-1-01', false],
    ['2025-04-31', false],
  ])('parses %s: %s', (text, ok) => expect(parseLocalDate(text) !== null).toBe(ok));

  it('knows weekdays and Mondays across a year boundary', () => {
    const d = parseLocalDate('2027-01-01')!;
    expect(isoWeekdayOfDate(d)).toBe(5);
    expect(mondayOf(d)).toEqual({ year: 2026, month: 12, day: 28 });
    expect(addDays(d, -1)).toEqual({ year: 2026, month: 12, day: 31 });
  });
});
