// Specification of availability: callbacks are offered only when a free time slot starts within the
// offer window (seed: six days); full, closed and started occurrences do not count.
import { DEFAULT_CALL_SLOT_SETTINGS, type CallSlotDefinition, type TimeSlot } from '@cc/contracts';
import { availableOccurrences, callbackAvailability, daysAhead, type OccurrenceLoads } from './availability';
import type { CallSlotState } from './call-slot.decider';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const timeSlots: TimeSlot[] = weekdays.flatMap((weekday) => [
  { weekday, start: '09:00', lengthMinutes: 30, capacity: 2 },
  { weekday, start: '09:30', lengthMinutes: 30, capacity: 2 },
]);
const definition: CallSlotDefinition = { callSlotId: 'support-uk', name: 'UK support', zone: 'Europe/London', timeSlots, settings: DEFAULT_CALL_SLOT_SETTINGS };
const active = (closedDates: string[] = [], over: Partial<CallSlotDefinition> = {}): CallSlotState => ({
  status: 'Active',
  definition: { ...definition, ...over },
  closedDates: new Set(closedDates),
});
const NOW = '2026-11-20T10:00:00.000Z'; // Friday, after that day's time slots
const full = (...starts: string[]): Map<string, { booked: number; capacityOverride: number | null }> =>
  new Map(starts.map((s) => [s, { booked: 2, capacityOverride: null }]));
/** Every occurrence from Mon 23 to Thu 26 November (inside the six-day window). */
const windowStarts = ['23', '24', '25', '26'].flatMap((d) => [`2026-11-${d}T09:00:00.000Z`, `2026-11-${d}T09:30:00.000Z`]);

describe('callbackAvailability', () => {
  it('offers callbacks when a time slot is free within the window, naming the first one', () => {
    const result = callbackAvailability(active(), new Map(), NOW);
    expect(result.offerable).toBe(true);
    expect(result.nextFree).toMatchObject({ startIso: '2026-11-23T09:00:00.000Z', capacity: 2, booked: 0, free: 2 });
  });

  it('skips full occurrences to the next free one', () => {
    const result = callbackAvailability(active(), full('2026-11-23T09:00:00.000Z'), NOW);
    expect(result.nextFree?.startIso).toBe('2026-11-23T09:30:00.000Z');
  });

  it('does not offer callbacks when every time slot in the window is full, although later ones are free', () => {
    expect(callbackAvailability(active(), full(...windowStarts), NOW)).toEqual({ offerable: false, nextFree: null });
    // Friday 27th 09:00 is free but starts after the six days (Thu 26th 10:00)
  });

  it('the window is a setting: seven days reach Friday 27th', () => {
    const seven = active([], { settings: { ...DEFAULT_CALL_SLOT_SETTINGS, offerWindowDays: 7 } });
    expect(callbackAvailability(seven, full(...windowStarts), NOW).nextFree?.startIso).toBe('2026-11-27T09:00:00.000Z');
  });

  it('skips closed dates and occurrences whose own capacity is 0; a raised own capacity frees a full one', () => {
    const loads: OccurrenceLoads = new Map([
      ['2026-11-24T09:00:00.000Z', { booked: 0, capacityOverride: 0 }],
      ['2026-11-24T09:30:00.000Z', { booked: 2, capacityOverride: 3 }],
    ]);
    expect(callbackAvailability(active(['2026-11-23']), loads, NOW).nextFree).toMatchObject({ startIso: '2026-11-24T09:30:00.000Z', free: 1 });
  });

  it('never offers an occurrence starting right now (it could not be booked any more)', () => {
    const result = callbackAvailability(active(), new Map(), '2026-11-23T09:00:00.000Z');
    expect(result.nextFree?.startIso).toBe('2026-11-23T09:30:00.000Z');
  });

  it('is never offerable for a deleted or unknown call slot', () => {
    expect(callbackAvailability({ status: 'Empty' }, new Map(), NOW).offerable).toBe(false);
    expect(callbackAvailability({ ...active(), status: 'Deleted' } as CallSlotState, new Map(), NOW).offerable).toBe(false);
  });
});

describe('availableOccurrences', () => {
  it('yields free occurrences lazily, ascending, until the end of the range', () => {
    const schedule = active() as Extract<CallSlotState, { status: 'Active' }>;
    const starts = [...availableOccurrences(schedule, full('2026-11-23T09:30:00.000Z'), NOW, '2026-11-24T09:30:00.000Z')].map((o) => o.startIso);
    expect(starts).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-24T09:00:00.000Z']);
  });
});

describe('daysAhead', () => {
  it('counts calendar days in the zone: six days across the autumn change are 145 hours', () => {
    expect(daysAhead('2026-10-22T09:00:00.000Z', 'Europe/London', 6)).toBe('2026-10-28T10:00:00.000Z');
  });
});
