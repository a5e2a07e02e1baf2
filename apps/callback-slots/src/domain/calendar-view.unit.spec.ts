// Specification of the operator's calendar: every date of the range, each occurrence with capacity,
// bookings and free places; closed dates and lowered capacities show 0 free.
import type { TimeSlot } from '@cc/contracts';
import type { OccurrenceLoads } from './availability';
import { calendarView } from './calendar-view';
import type { CallSlotSchedule } from './occurrences';

const timeSlots: TimeSlot[] = (['mon', 'tue', 'wed'] as const).flatMap((weekday) => [
  { weekday, start: '09:00', lengthMinutes: 30, capacity: 2 },
  { weekday, start: '09:30', lengthMinutes: 30, capacity: 2 },
]);
const schedule: CallSlotSchedule = {
  definition: { callSlotId: 'support-uk', zone: 'Europe/London', timeSlots },
  closedDates: new Set(['2026-11-25']),
};

describe('calendarView', () => {
  it('lists every date of the range with each occurrence’s capacity, bookings and free places', () => {
    const loads: OccurrenceLoads = new Map([
      ['2026-11-23T09:00:00.000Z', { booked: 1, capacityOverride: null }],
      ['2026-11-23T09:30:00.000Z', { booked: 3, capacityOverride: 1 }],
      ['2026-11-25T09:00:00.000Z', { booked: 1, capacityOverride: null }],
    ]);
    const view = calendarView(schedule, loads, '2026-11-22', '2026-11-25');
    expect(view.days.map((d) => [d.date, d.weekday, d.closed, d.occurrences.map((o) => `${o.localStart} ${o.booked}/${o.capacity} free ${o.free}`)])).toEqual([
      ['2026-11-22', 'sun', false, []],
      ['2026-11-23', 'mon', false, ['09:00 1/2 free 1', '09:30 3/1 free 0']],
      ['2026-11-24', 'tue', false, ['09:00 0/2 free 2', '09:30 0/2 free 2']],
      ['2026-11-25', 'wed', true, ['09:00 1/2 free 0', '09:30 0/2 free 0']],
    ]);
    expect(view.days[1]!.occurrences[1]).toMatchObject({ capacityOverridden: true });
  });

  it('names the zone, and shows summer occurrences at their local time', () => {
    const view = calendarView(schedule, new Map(), '2026-06-01', '2026-06-01');
    expect(view).toMatchObject({ callSlotId: 'support-uk', zone: 'Europe/London' });
    expect(view.days[0]!.occurrences.map((o) => [o.startIso, o.localStart])).toEqual([
      ['2026-06-01T08:00:00.000Z', '09:00'],
      ['2026-06-01T08:30:00.000Z', '09:30'],
    ]);
  });
});
