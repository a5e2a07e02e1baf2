// Is an agent within working hours at an instant, and by which range? Weekly ranges are evaluated in the
// agent's IANA zone by @cc/scheduling (DST per docs/decisions/0002). The router asks this on every call,
// so each answer is cached on the (immutable, replica-held) WorkingHours object together with the span
// in which it holds; a later event replaces the object and with it the cache.
import type { WorkingHours } from '@cc/contracts';
import { weeklyIntervals, type WeeklyRange } from '@cc/scheduling';

export type WorkingHoursAnswer =
  | { working: true; mode: 'always' }
  | { working: true; mode: 'weekly'; zone: string; range: WeeklyRange }
  | { working: false; mode: 'weekly'; zone: string }
  /** The zone is unknown to the runtime (a stale replica or a bad event): treated as working, and traced. */
  | { working: true; mode: 'invalidZone'; zone: string };

type WeeklyHours = Extract<WorkingHours, { mode: 'weekly' }>;
/** The answer holds for every instant in [fromMs, untilMs). */
type Cached = { fromMs: number; untilMs: number; answer: WorkingHoursAnswer };

const DAY_MS = 86_400_000;
/** How far one evaluation looks ahead; an answer is reused at most this long. */
const LOOK_AHEAD_MS = 8 * DAY_MS;
const ALWAYS: WorkingHoursAnswer = Object.freeze({ working: true, mode: 'always' });
const cache = new WeakMap<WeeklyHours, Cached>();

export function workingHoursAt(hours: WorkingHours, at: Date): WorkingHoursAnswer {
  switch (hours.mode) {
    case 'always':
      return ALWAYS;
    case 'weekly': {
      const atMs = at.getTime();
      const cached = cache.get(hours);
      if (cached && cached.fromMs <= atMs && atMs < cached.untilMs) return cached.answer;
      const fresh = evaluate(hours, atMs);
      cache.set(hours, fresh);
      return fresh.answer;
    }
    default: {
      const _exhaustive: never = hours;
      return _exhaustive;
    }
  }
}

/**
 * One look-ahead: inside when an occurrence contains `atMs` (the earliest-starting one names the range);
 * the answer and its range hold until the first boundary after `atMs` of any occurrence.
 */
function evaluate(hours: WeeklyHours, atMs: number): Cached {
  const zone = hours.timezone;
  let intervals;
  try {
    intervals = weeklyIntervals(hours.ranges, zone, new Date(atMs), new Date(atMs + LOOK_AHEAD_MS));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { fromMs: atMs, untilMs: atMs + LOOK_AHEAD_MS, answer: { working: true, mode: 'invalidZone', zone } };
  }
  let range: WeeklyRange | null = null;
  let untilMs = atMs + LOOK_AHEAD_MS;
  for (const interval of intervals) {
    const start = interval.start.getTime();
    const end = interval.end.getTime();
    if (start <= atMs) {
      range ??= interval.range;
      untilMs = Math.min(untilMs, end);
    } else {
      untilMs = Math.min(untilMs, start);
    }
  }
  // Intervals are clipped to the window: an occurrence reaching past it ends at its edge, which is safe.
  return {
    fromMs: atMs,
    untilMs,
    answer: range ? { working: true, mode: 'weekly', zone, range } : { working: false, mode: 'weekly', zone },
  };
}

export const describeRange = (range: WeeklyRange): string => `${range.day} ${range.start}-${range.end}`;
