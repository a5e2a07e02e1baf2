// Turns a local wall-clock time into an instant, with the DST rules of docs/decisions/0002-dst-semantics.md.
// luxon's own resolution moves a skipped 02:30 to 03:30 (it adds the gap); we need the gap's end (03:00).
import { dayNumberOf, type LocalDate } from './local-date';
import { offsetMinutesAt } from './time-zone';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * How to pick among the instants a wall time denotes.
 * - `earliest`: the first instant the clock shows it (the start of a range).
 * - `latest`: the last instant the clock shows it (the end of a range).
 * A wall time that never occurs (spring-forward gap) resolves to the instant the clock jumps over it,
 * i.e. the end of the gap, under both choices.
 */
export type WallTimeChoice = 'earliest' | 'latest';

/**
 * Epoch ms of `date` at `minuteOfDay` (0-1440; 1440 is the next day's 00:00) local time in `zone`.
 *
 * DST rules (a range is wall-clock time, and is always one contiguous interval):
 * - spring forward (Europe/London 2025-03-30, 01:00 -> 02:00): 01:30 does not exist; it resolves to
 *   02:00 BST, the first valid instant after the gap, so a 01:30-02:30 range opens 02:00 BST (01:00Z)
 *   and closes 02:30 BST, and a range lying wholly inside the gap is empty that day.
 * - fall back (Europe/London 2025-10-26, 02:00 -> 01:00): 01:30 happens twice; a range start takes the
 *   first occurrence and a range end the last, so 01:30-02:30 is open from 01:30 BST until 02:30 GMT
 *   (two hours), covering both passes of 01:30-02:00 and never closing and reopening.
 */
export function wallTimeToEpoch(date: LocalDate, minuteOfDay: number, zone: string, choice: WallTimeChoice): number {
  const naive = dayNumberOf(date) * DAY_MS + minuteOfDay * MINUTE_MS;
  const before = offsetMinutesAt(zone, naive - DAY_MS);
  const after = offsetMinutesAt(zone, naive + DAY_MS);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const t = naive - offset * MINUTE_MS;
    if (offsetMinutesAt(zone, t) === offset) candidates.push(t);
  }
  if (candidates.length === 0) {
    // Also try the offset at the naive instant: covers zones with two transitions within two days.
    const offset = offsetMinutesAt(zone, naive);
    const t = naive - offset * MINUTE_MS;
    if (offsetMinutesAt(zone, t) === offset) candidates.push(t);
  }
  if (candidates.length > 0) return choice === 'earliest' ? Math.min(...candidates) : Math.max(...candidates);
  return gapEnd(zone, naive, before, after);
}

/**
 * The instant at which the clock jumps over the skipped wall time `naive`: the transition between
 * `naive - after` (still on the old offset) and `naive - before` (already on the new one), found by
 * bisection to the second (transitions fall on whole seconds).
 */
function gapEnd(zone: string, naive: number, before: number, after: number): number {
  let lo = naive - Math.max(before, after) * MINUTE_MS;
  let hi = naive - Math.min(before, after) * MINUTE_MS;
  const loOffset = offsetMinutesAt(zone, lo);
  if (offsetMinutesAt(zone, hi) === loOffset) return naive - offsetMinutesAt(zone, naive) * MINUTE_MS;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid <= lo) break;
    if (offsetMinutesAt(zone, mid) === loOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}
