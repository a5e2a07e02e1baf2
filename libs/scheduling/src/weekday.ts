// Weekday names shared by weekly time rules (agent working hours, schedule templates, call slots).
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** ISO weekday number (Monday = 1 … Sunday = 7) of a weekday name. */
export const isoWeekdayOf = (day: Weekday): number => WEEKDAYS.indexOf(day) + 1;

/** Weekday name of an ISO weekday number (1-7). */
export const weekdayOfIso = (iso: number): Weekday => {
  const day = WEEKDAYS[iso - 1];
  if (day === undefined) throw new RangeError(`not an ISO weekday: ${iso}`);
  return day;
};

export const isWeekday = (value: unknown): value is Weekday =>
  typeof value === 'string' && (WEEKDAYS as readonly string[]).includes(value);
