// Specification of occurrences: weekly time slots become UTC instants in the call slot's zone,
// DST-correct (ADR 0002), with closed dates and per-occurrence capacities applied.
import { DomainError, type TimeSlot } from '@cc/contracts';
import { occurrenceAt, occurrencesBetween, occurrencesFrom, type CallSlotSchedule } from './occurrences';

const schedule = (timeSlots: TimeSlot[], zone = 'Europe/London', closedDates: string[] = []): CallSlotSchedule => ({
  definition: { callSlotId: 'support-uk', zone, timeSlots },
  closedDates: new Set(closedDates),
});
const slot = (weekday: TimeSlot['weekday'], start: string, lengthMinutes = 30, capacity = 5): TimeSlot => ({ weekday, start, lengthMinutes, capacity });
const summary = (o: { startIso: string; endIso: string; localStart: string; localEnd: string }) => [o.startIso, o.endIso, o.localStart, o.localEnd];

describe('occurrencesBetween', () => {
  it('turns weekly time slots into dated UTC occurrences in the zone (London winter = UTC)', () => {
    const s = schedule([slot('mon', '09:00'), slot('mon', '09:30'), slot('wed', '14:00', 60, 2)]);
    const found = occurrencesBetween(s, '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z');
    expect(found.map((o) => [o.startIso, o.endIso, o.weekday, o.localDate, o.capacity])).toEqual([
      ['2026-11-23T09:00:00.000Z', '2026-11-23T09:30:00.000Z', 'mon', '2026-11-23', 5],
      ['2026-11-23T09:30:00.000Z', '2026-11-23T10:00:00.000Z', 'mon', '2026-11-23', 5],
      ['2026-11-25T14:00:00.000Z', '2026-11-25T15:00:00.000Z', 'wed', '2026-11-25', 2],
    ]);
  });

  it('applies the zone offset (London summer time is UTC+1; Sydney crosses the UTC date)', () => {
    expect(occurrencesBetween(schedule([slot('mon', '09:00')]), '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')[0]!.startIso).toBe(
      '2026-06-01T08:00:00.000Z',
    );
    const sydney = occurrencesBetween(schedule([slot('mon', '09:00')], 'Australia/Sydney'), '2026-11-22T00:00:00Z', '2026-11-24T00:00:00Z');
    expect(sydney.map((o) => [o.startIso, o.localDate])).toEqual([['2026-11-22T22:00:00.000Z', '2026-11-23']]);
  });

  it('includes an occurrence starting exactly at "from" and excludes one starting at "to"', () => {
    const s = schedule([slot('mon', '09:00'), slot('mon', '09:30')]);
    expect(occurrencesBetween(s, '2026-11-23T09:00:00Z', '2026-11-23T09:30:00Z').map((o) => o.startIso)).toEqual(['2026-11-23T09:00:00.000Z']);
  });

  it('marks occurrences on a closed date as closed (still listed)', () => {
    const s = schedule([slot('fri', '09:00')], 'Europe/London', ['2026-12-25']);
    const found = occurrencesBetween(s, '2026-12-18T00:00:00Z', '2027-01-02T00:00:00Z');
    expect(found.map((o) => [o.localDate, o.closed])).toEqual([
      ['2026-12-18', false],
      ['2026-12-25', true],
      ['2027-01-01', false],
    ]);
  });

  it("applies one occurrence's own capacity, marking it overridden", () => {
    const s = schedule([slot('mon', '09:00', 30, 5)]);
    const overrides = new Map([['2026-11-30T09:00:00.000Z', 1]]);
    const found = occurrencesBetween(s, '2026-11-23T00:00:00Z', '2026-12-01T00:00:00Z', (start) => overrides.get(start));
    expect(found.map((o) => [o.capacity, o.capacityOverridden])).toEqual([
      [5, false],
      [1, true],
    ]);
  });

  it('is empty for a call slot without time slots, and for an empty range', () => {
    expect(occurrencesBetween(schedule([]), '2026-11-23T00:00:00Z', '2027-11-23T00:00:00Z')).toEqual([]);
    expect(occurrencesBetween(schedule([slot('mon', '09:00')]), '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z')).toEqual([]);
  });

  it('is lazy: taking the first occurrence of a ten-year range computes only that one', () => {
    const s = schedule([slot('mon', '09:00')]);
    const computed: string[] = [];
    const first = occurrencesFrom(s, '2026-11-23T00:00:00Z', '2036-11-23T00:00:00Z', (start) => void computed.push(start)).next();
    expect(first.value?.startIso).toBe('2026-11-23T09:00:00.000Z');
    expect(computed).toEqual(['2026-11-23T09:00:00.000Z']);
  });

  it('ends a time slot at 24:00 as the next local midnight ("24:00")', () => {
    const [o] = occurrencesBetween(schedule([slot('mon', '23:00', 60)]), '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z');
    expect(summary(o!)).toEqual(['2026-11-23T23:00:00.000Z', '2026-11-24T00:00:00.000Z', '23:00', '24:00']);
  });

  describe('spring forward (London 2026-03-29: 01:00 GMT jumps to 02:00 BST)', () => {
    const day = ['2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'] as const;

    it('a time slot lying wholly inside the skipped hour does not occur that day', () => {
      const s = schedule([slot('sun', '01:00', 30), slot('sun', '01:30', 30)]);
      expect(occurrencesBetween(s, ...day)).toEqual([]);
      // …and occurs normally a week later
      expect(occurrencesBetween(s, '2026-04-05T00:00:00Z', '2026-04-06T00:00:00Z')).toHaveLength(2);
    });

    it('a time slot starting inside the gap and ending after it starts when the clock jumps (02:00 BST)', () => {
      const [o] = occurrencesBetween(schedule([slot('sun', '01:30', 60)]), ...day);
      expect(summary(o!)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z', '02:00', '02:30']);
    });

    it('a time slot ending inside the gap ends when the clock jumps; the slot after it starts there too, no overlap', () => {
      const found = occurrencesBetween(schedule([slot('sun', '00:30', 60), slot('sun', '02:00', 30)]), ...day);
      expect(found.map(summary)).toEqual([
        ['2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '00:30', '02:00'],
        ['2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z', '02:00', '02:30'],
      ]);
    });

    it('every occurrence start stays unique (each names its own booking stream)', () => {
      const grid = Array.from({ length: 48 }, (_, i) => slot('sun', `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`));
      const starts = occurrencesBetween(schedule(grid), ...day).map((o) => o.startIso);
      expect(starts).toHaveLength(46); // 01:00 and 01:30 do not exist
      expect(new Set(starts).size).toBe(46);
    });
  });

  describe('fall back (London 2026-10-25: 02:00 BST falls back to 01:00 GMT)', () => {
    const day = ['2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z'] as const;

    it('a time slot in the repeated hour occurs once, from the first pass of its start to the last of its end', () => {
      const found = occurrencesBetween(schedule([slot('sun', '01:00', 30), slot('sun', '01:30', 30)]), '2026-10-24T23:00:00Z', day[1]);
      expect(found.map(summary)).toEqual([
        ['2026-10-25T00:00:00.000Z', '2026-10-25T01:30:00.000Z', '01:00', '01:30'],
        ['2026-10-25T00:30:00.000Z', '2026-10-25T02:00:00.000Z', '01:30', '02:00'],
      ]);
    });

    it('a time slot after the repeated hour is an ordinary GMT occurrence', () => {
      const [o] = occurrencesBetween(schedule([slot('sun', '09:00')]), ...day);
      expect(o!.startIso).toBe('2026-10-25T09:00:00.000Z');
    });
  });

  it('New York spring forward (2026-03-08, 02:00 EST jumps to 03:00 EDT) follows the same rule', () => {
    const found = occurrencesBetween(schedule([slot('sun', '02:00', 30), slot('sun', '02:30', 60)], 'America/New_York'), '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z');
    expect(found.map(summary)).toEqual([['2026-03-08T07:00:00.000Z', '2026-03-08T07:30:00.000Z', '03:00', '03:30']]);
  });
});

describe('occurrenceAt', () => {
  const s = schedule([slot('mon', '09:00', 30, 5)]);

  it('finds the occurrence starting at an instant written with any offset', () => {
    expect(occurrenceAt(s, '2026-11-23T10:00:00+01:00')).toMatchObject({ startIso: '2026-11-23T09:00:00.000Z', capacity: 5 });
  });

  it.each(['2026-11-23T09:15:00Z', '2026-11-24T09:00:00Z', 'not a date'])('refuses %s with UNKNOWN_OCCURRENCE (not_found, path startIso)', (start) => {
    try {
      occurrenceAt(s, start);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'CALLBACK_SLOTS.UNKNOWN_OCCURRENCE', kind: 'not_found', errors: [{ path: 'startIso' }] });
    }
  });
});
