// Which occurrences can still take a callback, from the definition and each occurrence's load (from
// the bookings read model): feeds the router's cheap "offer callbacks at all?" and the IVR offers.
import { DateTime } from 'luxon';
import type { CallSlotSettings } from '@cc/contracts';
import type { CallSlotState } from './call-slot.decider';
import { occurrencesFrom, type CallSlotSchedule, type Occurrence } from './occurrences';

/** An occurrence's load as the bookings projection knows it: live bookings and its own capacity, if set. */
export type OccurrenceLoad = { readonly booked: number; readonly capacityOverride: number | null };
/** Loads by occurrence start (`toISOString()` form). An occurrence not in the map has no bookings. */
export type OccurrenceLoads = ReadonlyMap<string, OccurrenceLoad>;

export type LoadedOccurrence = Occurrence & { readonly booked: number; readonly free: number };

/** Capacity, bookings and free places of each occurrence starting in [fromIso, untilIso), lazily. */
export function* loadedOccurrences(
  schedule: CallSlotSchedule,
  loads: OccurrenceLoads,
  fromIso: string,
  untilIso: string,
): Generator<LoadedOccurrence> {
  for (const occurrence of occurrencesFrom(schedule, fromIso, untilIso, (start) => loads.get(start)?.capacityOverride)) {
    const booked = loads.get(occurrence.startIso)?.booked ?? 0;
    yield { ...occurrence, booked, free: occurrence.closed ? 0 : Math.max(0, occurrence.capacity - booked) };
  }
}

/**
 * Occurrences a caller can be offered: starting strictly after `nowIso` (one starting now could no
 * longer be booked) and before `untilIso`, on an open date, with a free place. Ascending, lazy: the
 * offer dialogue pulls only as many as it offers.
 */
export function* availableOccurrences(
  schedule: CallSlotSchedule,
  loads: OccurrenceLoads,
  nowIso: string,
  untilIso: string,
): Generator<LoadedOccurrence> {
  const from = new Date(Date.parse(nowIso) + 1).toISOString();
  for (const occurrence of loadedOccurrences(schedule, loads, from, untilIso)) {
    if (occurrence.free > 0) yield occurrence;
  }
}

/**
 * `days` calendar days after `nowIso` in `zone` (same wall-clock time; 23 or 25 hours across a DST
 * change count as one day, as the caller experiences "six days from now").
 */
export const daysAhead = (nowIso: string, zone: string, days: number): string =>
  DateTime.fromISO(nowIso, { zone }).plus({ days }).toUTC().toISO()!;

export type CallbackAvailability = {
  /** Seed 003: callbacks are offered only if a time slot is free within the offer window (6 days). */
  readonly offerable: boolean;
  /** The first free occurrence within the window; null when not offerable. */
  readonly nextFree: LoadedOccurrence | null;
};

/** Whether to offer callbacks on a call at `nowIso`. A deleted or unknown call slot is never offerable. */
export function callbackAvailability(callSlot: CallSlotState, loads: OccurrenceLoads, nowIso: string): CallbackAvailability {
  if (callSlot.status !== 'Active') return { offerable: false, nextFree: null };
  const windowEnd = offerWindowEnd(nowIso, callSlot.definition.zone, callSlot.definition.settings);
  const first = availableOccurrences(callSlot, loads, nowIso, windowEnd).next();
  return first.done ? { offerable: false, nextFree: null } : { offerable: true, nextFree: first.value };
}

export const offerWindowEnd = (nowIso: string, zone: string, settings: Pick<CallSlotSettings, 'offerWindowDays'>): string =>
  daysAhead(nowIso, zone, settings.offerWindowDays);

export const offerHorizonEnd = (nowIso: string, zone: string, settings: Pick<CallSlotSettings, 'offerHorizonDays'>): string =>
  daysAhead(nowIso, zone, settings.offerHorizonDays);
