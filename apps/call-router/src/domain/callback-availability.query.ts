// "Offer callbacks on this call?" from the call-slot replica alone: true when a time slot occurrence with
// a free place starts within the call slot's offer window (seed 003: "only if time slots are available
// within the next six days"). Occurrences follow docs/decisions/0002 exactly like callback-slots' own
// `occurrencesFrom`; TODO(lead): move that generator to @cc/scheduling so both services share one copy.
import type { CallSlotDefinition } from '@cc/contracts';
import {
  addDays,
  compareLocalDates,
  formatLocalDate,
  isoWeekdayOf,
  isoWeekdayOfDate,
  localMomentOf,
  parseClockTime,
  wallTimeToEpoch,
  type LocalDate,
} from '@cc/scheduling';
import type { CallSlotAvailabilityView } from './tenant-routing.view';

const DAY_MS = 86_400_000;

export type CallbackAvailability =
  | { offerable: true; nextFreeStartIso: string; free: number }
  | { offerable: false; reason: 'unknownCallSlot' | 'deleted' | 'noFreeTimeSlot'; windowDays: number | null };

type CompiledSlot = { startMinute: number; lengthMinutes: number; capacity: number };
/** Time slots grouped by ISO weekday (1 = Monday), sorted by start: built once per definition object. */
const compiled = new WeakMap<CallSlotDefinition, ReadonlyMap<number, readonly CompiledSlot[]>>();

function slotsByWeekday(definition: CallSlotDefinition): ReadonlyMap<number, readonly CompiledSlot[]> {
  let byDay = compiled.get(definition);
  if (!byDay) {
    const groups = new Map<number, CompiledSlot[]>();
    for (const slot of definition.timeSlots) {
      const startMinute = parseClockTime(slot.start);
      if (startMinute === null) continue;
      const day = isoWeekdayOf(slot.weekday);
      const list = groups.get(day) ?? [];
      list.push({ startMinute, lengthMinutes: slot.lengthMinutes, capacity: slot.capacity });
      groups.set(day, list);
    }
    for (const list of groups.values()) list.sort((a, b) => a.startMinute - b.startMinute);
    byDay = groups;
    compiled.set(definition, byDay);
  }
  return byDay;
}

const localDateOf = (epochMs: number, zone: string): LocalDate => {
  const { year, month, day } = localMomentOf(epochMs, zone);
  return { year, month, day };
};

/** The first occurrence with a free place starting in [at, at + offerWindowDays), if any. */
export function callbackAvailability(view: CallSlotAvailabilityView | undefined, at: Date): CallbackAvailability {
  if (!view) return { offerable: false, reason: 'unknownCallSlot', windowDays: null };
  const { definition } = view;
  const windowDays = definition.settings.offerWindowDays;
  if (view.status === 'deleted') return { offerable: false, reason: 'deleted', windowDays };
  const zone = definition.zone;
  const fromMs = at.getTime();
  const untilMs = fromMs + windowDays * DAY_MS;
  const byDay = slotsByWeekday(definition);
  if (byDay.size === 0) return { offerable: false, reason: 'noFreeTimeSlot', windowDays };

  const lastDay = localDateOf(untilMs, zone);
  // From the local day before: where midnight is skipped or repeated a slot of that date can start after it.
  for (let day = addDays(localDateOf(fromMs, zone), -1); compareLocalDates(day, lastDay) <= 0; day = addDays(day, 1)) {
    const slots = byDay.get(isoWeekdayOfDate(day));
    if (!slots || view.closedDates.has(formatLocalDate(day))) continue;
    for (const slot of slots) {
      const startMs = wallTimeToEpoch(day, slot.startMinute, zone, 'earliest');
      const endMs = wallTimeToEpoch(day, slot.startMinute + slot.lengthMinutes, zone, 'latest');
      if (endMs <= startMs || startMs < fromMs) continue; // inside a spring-forward gap, or already started
      if (startMs >= untilMs) return { offerable: false, reason: 'noFreeTimeSlot', windowDays };
      const startIso = new Date(startMs).toISOString();
      const capacity = view.capacityOverrideAt(startIso) ?? slot.capacity;
      const free = capacity - view.bookedAt(startIso);
      if (free > 0) return { offerable: true, nextFreeStartIso: startIso, free };
    }
  }
  return { offerable: false, reason: 'noFreeTimeSlot', windowDays };
}
