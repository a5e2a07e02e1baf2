// Expands "every N minutes from HH:mm to HH:mm on these weekdays, capacity C" into explicit time
// slots: operators think in grids, the call slot stores (and replicas read) plain time slots.
import type { TimeSlotGrid, TimeSlotInput } from '@cc/contracts';
import { formatClockTime, isoWeekdayOf, parseClockTime } from '@cc/scheduling';
import { callbackSlotsError } from './callback-slots-error';

/**
 * The grid's time slots, weekday by weekday (Monday first), each `everyMinutes` long; the last one
 * ends at or before `to`. Refuses (CALLBACK_SLOTS.INVALID_TIME_SLOT_GRID, path `grid.to`) a grid
 * whose `to` is not after `from` or too close to hold one step. The capacity is checked with the
 * other time slots by the call-slot decider.
 */
export function generateTimeSlotGrid(grid: TimeSlotGrid): TimeSlotInput[] {
  const from = parseClockTime(grid.from);
  const to = parseClockTime(grid.to, true);
  if (from === null || to === null) throw new RangeError(`malformed grid times ${grid.from}-${grid.to}`);
  if (to - from < grid.everyMinutes) {
    throw callbackSlotsError(
      'INVALID_TIME_SLOT_GRID',
      `a grid from ${grid.from} to ${grid.to} holds no ${grid.everyMinutes}-minute time slot`,
      [{ path: 'grid.to', message: `must be at least ${grid.everyMinutes} minutes after "from" (${grid.from})` }],
    );
  }
  const weekdays = [...grid.weekdays].sort((a, b) => isoWeekdayOf(a) - isoWeekdayOf(b));
  const slots: TimeSlotInput[] = [];
  for (const weekday of weekdays) {
    for (let start = from; start + grid.everyMinutes <= to; start += grid.everyMinutes) {
      slots.push({ weekday, start: formatClockTime(start), lengthMinutes: grid.everyMinutes, capacity: grid.capacity });
    }
  }
  return slots;
}
