// Turns a call slot's weekly time slots into dated occurrences (UTC instants) in its IANA zone: the
// unit that is offered, booked (one stream each) and shown in the calendar. Pure; DST per ADR 0002.
import type { CallSlotDefinition, TimeSlot, TimeSlotWeekday } from '@cc/contracts';
import {
  addDays,
  compareLocalDates,
  formatClockTime,
  formatLocalDate,
  isoWeekdayOf,
  isoWeekdayOfDate,
  localMomentOf,
  MINUTES_PER_DAY,
  parseClockTime,
  wallTimeToEpoch,
  weekdayOfIso,
  type LocalDate,
  type Weekday,
} from '@cc/scheduling';
import { callbackSlotsError } from './callback-slots-error';

// The contracts' weekday literals must be exactly @cc/scheduling's (contracts cannot import it).
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _weekdaysAgree: SameSet<TimeSlotWeekday, Weekday> = true;
void _weekdaysAgree;

/** What occurrences are computed from: the definition's time slots and the closed local dates. */
export type CallSlotSchedule = {
  readonly definition: Pick<CallSlotDefinition, 'callSlotId' | 'zone' | 'timeSlots'>;
  readonly closedDates: ReadonlySet<string>;
};

export type Occurrence = {
  readonly callSlotId: string;
  /** UTC instant, `toISOString()` form: the occurrence's identity (and its stream id's last part). */
  readonly startIso: string;
  readonly endIso: string;
  /** The local date the time slot belongs to, and its weekday. */
  readonly localDate: string;
  readonly weekday: Weekday;
  /** Wall-clock times the clock actually shows at start and end (differs from the time slot's only across a DST gap). */
  readonly localStart: string;
  readonly localEnd: string;
  /** The time slot's capacity, or the occurrence's own when one was set. */
  readonly capacity: number;
  readonly capacityOverridden: boolean;
  /** Its local date is closed: not offered, not bookable. */
  readonly closed: boolean;
};

/** The capacity set for one occurrence (by start instant), or null/undefined when it follows its time slot. */
export type CapacityOverrideLookup = (startIso: string) => number | null | undefined;
const noOverrides: CapacityOverrideLookup = () => undefined;

/**
 * Occurrences whose start lies in [fromIso, untilIso), ascending by start, lazily (stop iterating to
 * stop computing). Rules across DST changes (docs/decisions/0002-dst-semantics.md):
 * - a time slot is the wall-clock range [start, start + length) of its day, from the first instant
 *   the clock shows `start` to the last instant it shows the end;
 * - spring forward: a time slot lying wholly inside the skipped hour does NOT occur that day (London
 *   2026-03-29: 01:00-01:30 is gone); one that starts inside it and ends after it starts when the clock
 *   jumps (01:30-02:30 runs 02:00-02:30 BST, `localStart` '02:00');
 * - fall back: a start inside the repeated hour takes its first pass, an end its last, so every
 *   occurrence is one interval and no time slot occurs twice (London 2026-10-25: 01:30-02:00 runs from
 *   01:30 BST to 02:00 GMT, 90 minutes).
 * Starts are strictly increasing, so (call slot, start) identifies an occurrence, also across DST.
 */
export function* occurrencesFrom(
  schedule: CallSlotSchedule,
  fromIso: string,
  untilIso: string,
  capacityOverrideOf: CapacityOverrideLookup = noOverrides,
): Generator<Occurrence> {
  const { callSlotId, zone, timeSlots } = schedule.definition;
  const fromMs = Date.parse(fromIso);
  const untilMs = Date.parse(untilIso);
  if (Number.isNaN(fromMs) || Number.isNaN(untilMs)) throw new RangeError(`not instants: "${fromIso}", "${untilIso}"`);
  if (timeSlots.length === 0 || untilMs <= fromMs) return;

  const byIsoWeekday = groupByIsoWeekday(timeSlots);
  // The day before `from`'s local date too: a zone whose midnight is skipped or repeated can put a
  // time slot of the previous date after it. Dates after `until`'s local date start after `until`.
  const lastDay = localDateOf(untilMs, zone);
  for (let day = addDays(localDateOf(fromMs, zone), -1); compareLocalDates(day, lastDay) <= 0; day = addDays(day, 1)) {
    const slots = byIsoWeekday.get(isoWeekdayOfDate(day));
    if (!slots) continue;
    const date = formatLocalDate(day);
    const closed = schedule.closedDates.has(date);
    for (const slot of slots) {
      const startMinute = parseClockTime(slot.start)!;
      const startMs = wallTimeToEpoch(day, startMinute, zone, 'earliest');
      const endMs = wallTimeToEpoch(day, startMinute + slot.lengthMinutes, zone, 'latest');
      if (endMs <= startMs) continue; // wholly inside a spring-forward gap
      if (startMs < fromMs) continue;
      if (startMs >= untilMs) return;
      const startIso = new Date(startMs).toISOString();
      const override = capacityOverrideOf(startIso);
      yield {
        callSlotId,
        startIso,
        endIso: new Date(endMs).toISOString(),
        localDate: date,
        weekday: weekdayOfIso(isoWeekdayOfDate(day)),
        localStart: formatClockTime(localMomentOf(startMs, zone).minuteOfDay),
        localEnd: localEndOf(endMs, day, zone),
        capacity: override ?? slot.capacity,
        capacityOverridden: override !== null && override !== undefined,
        closed,
      };
    }
  }
}

/** All occurrences starting in [fromIso, toIso), ascending. */
export const occurrencesBetween = (
  schedule: CallSlotSchedule,
  fromIso: string,
  toIso: string,
  capacityOverrideOf: CapacityOverrideLookup = noOverrides,
): Occurrence[] => [...occurrencesFrom(schedule, fromIso, toIso, capacityOverrideOf)];

/**
 * The occurrence starting exactly at `startIso` (any ISO offset). Throws CALLBACK_SLOTS.UNKNOWN_OCCURRENCE
 * when no time slot of the call slot starts then, e.g. a client's guess or a time slot since removed.
 */
export function occurrenceAt(
  schedule: CallSlotSchedule,
  startIso: string,
  capacityOverrideOf: CapacityOverrideLookup = noOverrides,
): Occurrence {
  const startMs = Date.parse(startIso);
  if (!Number.isNaN(startMs)) {
    const found = occurrencesFrom(schedule, new Date(startMs).toISOString(), new Date(startMs + 1).toISOString(), capacityOverrideOf).next();
    if (!found.done) return found.value;
  }
  throw callbackSlotsError(
    'UNKNOWN_OCCURRENCE',
    `call slot ${schedule.definition.callSlotId} has no time slot starting at ${startIso}`,
    [{ path: 'startIso', message: 'not the start of an occurrence of this call slot' }],
  );
}

/** The local date of an instant in a zone. */
export function localDateOf(epochMs: number, zone: string): LocalDate {
  const { year, month, day } = localMomentOf(epochMs, zone);
  return { year, month, day };
}

/** 'HH:mm' the clock shows at `endMs`, or '24:00' when that is the next day's midnight. */
function localEndOf(endMs: number, day: LocalDate, zone: string): string {
  const end = localMomentOf(endMs, zone);
  return compareLocalDates(end, day) > 0 && end.minuteOfDay === 0 ? formatClockTime(MINUTES_PER_DAY) : formatClockTime(end.minuteOfDay);
}

function groupByIsoWeekday(timeSlots: readonly TimeSlot[]): Map<number, TimeSlot[]> {
  const groups = new Map<number, TimeSlot[]>();
  for (const slot of timeSlots) {
    const iso = isoWeekdayOf(slot.weekday);
    groups.set(iso, [...(groups.get(iso) ?? []), slot]);
  }
  for (const slots of groups.values()) slots.sort((a, b) => parseClockTime(a.start)! - parseClockTime(b.start)!);
  return groups;
}
