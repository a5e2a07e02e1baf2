// When a booked callback fires: at its occurrence's start, or spread over the occurrence's first
// minutes so that a full time slot does not ring every agent at once. Pure and deterministic: a replay
// or the reconciler computes the same instant from the same booking.
import type { CallbackFiring } from '@cc/contracts';

/**
 * The k-th term of the base-2 van der Corput sequence (0, 1/2, 1/4, 3/4, 1/8, 5/8 …): any first n
 * terms cover [0, 1) about evenly, whatever n turns out to be. So bookings spread evenly over the
 * window without knowing how many there will be.
 */
export function vanDerCorput(k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`vanDerCorput: k must be a non-negative integer, is ${k}`);
  let result = 0;
  let denominator = 1;
  for (let n = k; n > 0; n = Math.floor(n / 2)) {
    denominator *= 2;
    result += (n % 2) / denominator;
  }
  return result;
}

/**
 * The instant a booking fires. `ordinal` is stable per booking (its event's revision in the
 * occurrence stream). Spread firing stays inside [start, min(start + window, end)).
 */
export function dueAtOf(occurrence: { startIso: string; endIso: string }, firing: CallbackFiring, ordinal: number): string {
  const start = Date.parse(occurrence.startIso);
  switch (firing.mode) {
    case 'at-start':
      return new Date(start).toISOString();
    case 'spread': {
      const window = Math.min(firing.withinMinutes * 60_000, Math.max(0, Date.parse(occurrence.endIso) - start));
      return new Date(start + Math.floor(vanDerCorput(ordinal) * window)).toISOString();
    }
    default: {
      const _exhaustive: never = firing;
      return _exhaustive;
    }
  }
}

/**
 * The BullMQ delay for a timer: `lead` before it is due, so the job is already in the worker's hands
 * (BullMQ promotes delayed jobs 50-250 ms late) and fires on the in-process timer at the exact instant.
 */
export const enqueueDelayMs = (dueAtMs: number, nowMs: number, leadMs: number): number => Math.max(0, dueAtMs - leadMs - nowMs);
