// Calendar dates without a zone ('YYYY-MM-DD'), as an operator types them. Arithmetic is done on
// the proleptic Gregorian calendar through Date.UTC, so it never sees a DST shift.
export type LocalDate = { readonly year: number; readonly month: number; readonly day: number };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD'; null if malformed or not a real date (2025-02-30). */
export function parseLocalDate(text: string): LocalDate | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

export function formatLocalDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * Days since 1970-01-01 of a calendar date (a day number; never involves a zone). Integer arithmetic
 * (H. Hinnant's days_from_civil) rather than Date objects: this runs for every day of every evaluation.
 */
export function dayNumberOf(d: LocalDate): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The calendar date of a day number (civil_from_days). */
export function localDateOfDayNumber(n: number): LocalDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export const addDays = (d: LocalDate, days: number): LocalDate => localDateOfDayNumber(dayNumberOf(d) + days);

/** ISO weekday (Monday = 1 … Sunday = 7). */
export const isoWeekdayOfDate = (d: LocalDate): number => isoWeekdayOfDayNumber(dayNumberOf(d));

/** ISO weekday of a day number (day 0, 1970-01-01, was a Thursday). */
export const isoWeekdayOfDayNumber = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;

/** The Monday that starts the ISO week containing `d`. */
export const mondayOf = (d: LocalDate): LocalDate => addDays(d, 1 - isoWeekdayOfDate(d));

export const compareLocalDates = (a: LocalDate, b: LocalDate): number => dayNumberOf(a) - dayNumberOf(b);
