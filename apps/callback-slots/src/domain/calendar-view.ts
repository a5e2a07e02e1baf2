// The operator's calendar of a call slot: every local date of a range with each occurrence's
// capacity, bookings and free places. Pure; loads come from the bookings read model.
import type { CalendarResponse } from '@cc/contracts';
import { addDays, compareLocalDates, formatLocalDate, isoWeekdayOfDate, parseLocalDate, wallTimeToEpoch, weekdayOfIso } from '@cc/scheduling';
import { loadedOccurrences, type OccurrenceLoads } from './availability';
import type { CallSlotSchedule } from './occurrences';

/** Dates `fromDate`..`toDate` (inclusive, `YYYY-MM-DD` in the call slot's zone), ascending. */
export function calendarView(schedule: CallSlotSchedule, loads: OccurrenceLoads, fromDate: string, toDate: string): CalendarResponse {
  const from = parseLocalDate(fromDate);
  const to = parseLocalDate(toDate);
  if (from === null || to === null) throw new RangeError(`not dates: "${fromDate}", "${toDate}"`);
  const { zone, callSlotId } = schedule.definition;

  const byDate = new Map<string, CalendarResponse['days'][number]['occurrences']>();
  const fromIso = new Date(wallTimeToEpoch(from, 0, zone, 'earliest')).toISOString();
  const untilIso = new Date(wallTimeToEpoch(addDays(to, 1), 0, zone, 'earliest')).toISOString();
  for (const o of loadedOccurrences(schedule, loads, fromIso, untilIso)) {
    const list = byDate.get(o.localDate) ?? [];
    list.push({
      startIso: o.startIso,
      endIso: o.endIso,
      localDate: o.localDate,
      weekday: o.weekday,
      localStart: o.localStart,
      localEnd: o.localEnd,
      capacity: o.capacity,
      capacityOverridden: o.capacityOverridden,
      booked: o.booked,
      free: o.free,
      closed: o.closed,
    });
    byDate.set(o.localDate, list);
  }

  const days: CalendarResponse['days'] = [];
  for (let day = from; compareLocalDates(day, to) <= 0; day = addDays(day, 1)) {
    const date = formatLocalDate(day);
    days.push({
      date,
      weekday: weekdayOfIso(isoWeekdayOfDate(day)),
      closed: schedule.closedDates.has(date),
      occurrences: byDate.get(date) ?? [],
    });
  }
  return { callSlotId, zone, days };
}
