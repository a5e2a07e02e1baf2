// 'HH:mm' wall-clock times as minutes since local midnight. '24:00' (= 1440) is only valid as an end.
export const MINUTES_PER_DAY = 1440;
const CLOCK_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of 'HH:mm' (00:00-23:59), or 1440 for '24:00' when `allowEndOfDay`; null if malformed. */
export function parseClockTime(text: string, allowEndOfDay = false): number | null {
  if (typeof text !== 'string') return null;
  if (text === '24:00') return allowEndOfDay ? MINUTES_PER_DAY : null;
  const m = CLOCK_RE.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatClockTime(minutes: number): string {
  if (minutes === MINUTES_PER_DAY) return '24:00';
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
