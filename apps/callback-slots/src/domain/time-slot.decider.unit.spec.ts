// Specification of the capacity invariant: one stream per occurrence, bookings never exceed the
// capacity in force, cancelling frees a place, lowering the capacity keeps existing bookings.
import { DomainError, foldEvents, type TimeSlotEvent } from '@cc/contracts';
import {
  capacityOf,
  existingBookingFor,
  placesLeft,
  timeSlotDecider,
  type BookCallback,
  type CancelBooking,
  type ChangeOccurrenceCapacity,
  type OccurrenceSnapshot,
  type TimeSlotCommand,
  type TimeSlotState,
} from './time-slot.decider';

const START = '2026-11-23T09:00:00.000Z';
const END = '2026-11-23T09:30:00.000Z';
const BEFORE = '2026-11-20T10:00:00.000Z';
const occurrence = (over: Partial<OccurrenceSnapshot> = {}): OccurrenceSnapshot => ({
  callSlotId: 'support-uk',
  startIso: START,
  endIso: END,
  capacity: 2,
  closed: false,
  ...over,
});
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const book = (n: number, over: Partial<BookCallback> = {}): BookCallback => ({
  type: 'BookCallback',
  now: BEFORE,
  bookingId: id(n),
  occurrence: occurrence(),
  callbackNumber: '+441234567890',
  callerCli: '+441234567890',
  source: 'api',
  campaignId: null,
  idempotencyKey: null,
  offerSessionId: null,
  callId: null,
  rescheduledFrom: null,
  ...over,
});
const cancel = (n: number, over: Partial<CancelBooking> = {}): CancelBooking => ({
  type: 'CancelBooking',
  bookingId: id(n),
  occurrence: { callSlotId: 'support-uk', startIso: START },
  reason: 'requested',
  rescheduledTo: null,
  note: null,
  ...over,
});
const setCapacity = (capacity: number | null, now = BEFORE): ChangeOccurrenceCapacity => ({
  type: 'ChangeOccurrenceCapacity',
  now,
  occurrence: { callSlotId: 'support-uk', startIso: START, endIso: END },
  capacity,
});

/** Given these commands were accepted (their events form the stream)… */
function given(...commands: TimeSlotCommand[]): { state: TimeSlotState; events: TimeSlotEvent[] } {
  const events: TimeSlotEvent[] = [];
  for (const command of commands) events.push(...timeSlotDecider.decide(command, foldEvents(timeSlotDecider, events)));
  return { state: foldEvents(timeSlotDecider, events), events };
}
const when = (state: TimeSlotState, command: TimeSlotCommand) => () => timeSlotDecider.decide(command, state);
const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('time slot occurrence (the capacity invariant)', () => {
  describe('Empty (no booking yet)', () => {
    it('books the first callback with the capacity carried on the command', () => {
      const events = when(given().state, book(1))();
      expect(events).toEqual([
        {
          type: 'CallbackBooked',
          data: expect.objectContaining({ bookingId: id(1), callSlotId: 'support-uk', startIso: START, endIso: END, callbackNumber: '+441234567890' }),
        },
      ]);
    });

    it('refuses any booking when the time slot capacity is 0', () => {
      const error = refusal(when(given().state, book(1, { occurrence: occurrence({ capacity: 0 }) })));
      expect([error.code, error.kind]).toEqual(['CALLBACK_SLOTS.SLOT_FULL', 'conflict']);
    });

    it('cannot cancel a booking that does not exist', () => {
      expect(refusal(when(given().state, cancel(1))).code).toBe('CALLBACK_SLOTS.BOOKING_NOT_FOUND');
    });
  });

  describe('capacity', () => {
    it('refuses a booking with SLOT_FULL (conflict) once live bookings reach the capacity', () => {
      const { state } = given(book(1), book(2));
      const error = refusal(when(state, book(3)));
      expect(error).toMatchObject({ code: 'CALLBACK_SLOTS.SLOT_FULL', kind: 'conflict', details: { capacity: 2, booked: 2 } });
    });

    it('frees a place when a booking is cancelled', () => {
      const { state } = given(book(1), book(2), cancel(1));
      expect(placesLeft(state, 2)).toBe(1);
      expect(when(state, book(3))()).toHaveLength(1);
    });

    it('keeps every existing booking when the capacity is lowered below them, and only stops new ones', () => {
      const { state } = given(book(1), book(2), setCapacity(1));
      expect(state.status === 'Open' && state.live).toBe(2);
      expect(capacityOf(state, 2)).toBe(1);
      expect(placesLeft(state, 2)).toBe(0);
      expect(refusal(when(state, book(3))).code).toBe('CALLBACK_SLOTS.SLOT_FULL');
      // one cancellation is not enough to get back under the lowered capacity
      const after = given(book(1), book(2), setCapacity(1), cancel(1)).state;
      expect(refusal(when(after, book(3))).code).toBe('CALLBACK_SLOTS.SLOT_FULL');
      expect(when(given(book(1), book(2), setCapacity(1), cancel(1), cancel(2)).state, book(3))()).toHaveLength(1);
    });

    it("an occurrence's own capacity wins over the time slot's capacity on the command", () => {
      const { state } = given(setCapacity(3), book(1), book(2));
      expect(when(state, book(3, { occurrence: occurrence({ capacity: 2 }) }))()).toHaveLength(1);
    });

    it("clearing the occurrence's capacity (null) follows the time slot's again", () => {
      const { state } = given(setCapacity(3), book(1), book(2), setCapacity(null));
      expect(refusal(when(state, book(3))).code).toBe('CALLBACK_SLOTS.SLOT_FULL');
    });

    it('a raised weekly capacity reaches an occurrence that already has bookings (it comes with each command)', () => {
      const { state } = given(book(1), book(2));
      expect(when(state, book(3, { occurrence: occurrence({ capacity: 3 }) }))()).toHaveLength(1);
    });

    it('setting the capacity it already has changes nothing', () => {
      expect(when(given(setCapacity(4)).state, setCapacity(4))()).toEqual([]);
      expect(when(given().state, setCapacity(null))()).toEqual([]);
    });

    it.each([-1, 1001, 1.5])('refuses capacity %p with INVALID_CAPACITY on path "capacity"', (capacity) => {
      const error = refusal(when(given().state, setCapacity(capacity)));
      expect(error).toMatchObject({ code: 'CALLBACK_SLOTS.INVALID_CAPACITY', kind: 'validation', errors: [{ path: 'capacity' }] });
    });

    it('refuses to change the capacity of an occurrence that has started', () => {
      expect(refusal(when(given().state, setCapacity(5, START))).code).toBe('CALLBACK_SLOTS.SLOT_IN_PAST');
    });
  });

  describe('when a booking is refused', () => {
    it.each([
      ['at the start instant', START],
      ['after the start', END],
    ])('refuses a past occurrence (%s) with SLOT_IN_PAST', (_, now) => {
      expect(refusal(when(given().state, book(1, { now }))).code).toBe('CALLBACK_SLOTS.SLOT_IN_PAST');
    });

    it('refuses an occurrence on a closed date with OCCURRENCE_CLOSED', () => {
      expect(refusal(when(given().state, book(1, { occurrence: occurrence({ closed: true }) }))).code).toBe('CALLBACK_SLOTS.OCCURRENCE_CLOSED');
    });

    it('refuses a callback number that is not E.164', () => {
      expect(refusal(when(given().state, book(1, { callbackNumber: '01234 567890' }))).code).toBe('CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER');
    });

    it('refuses a booking id that is already used for another booking', () => {
      const { state } = given(book(1));
      expect(refusal(when(state, book(1, { callbackNumber: '+447911123456' }))).code).toBe('CALLBACK_SLOTS.BOOKING_EXISTS');
    });

    it('is a programming error to apply a command to the stream of another occurrence', () => {
      const { state } = given(book(1));
      expect(when(state, book(2, { occurrence: occurrence({ startIso: END }) }))).toThrow(/applied to the stream of/);
    });
  });

  describe('idempotency', () => {
    const keyed = (n: number, over: Partial<BookCallback> = {}) =>
      book(n, { source: 'campaign', campaignId: 'winter-renewals', idempotencyKey: 'renewal-1', ...over });

    it('a repeated idempotency key books nothing new and the earlier booking is the answer', () => {
      const { state } = given(keyed(1));
      const retry = keyed(99); // the adapter generated a fresh booking id for the retry
      expect(when(state, retry)()).toEqual([]);
      expect(existingBookingFor(retry, state)).toMatchObject({ bookingId: id(1), status: 'booked' });
    });

    it('answers a retry with the earlier booking even after the slot filled up and started', () => {
      const { state } = given(keyed(1), book(2));
      expect(when(state, keyed(99, { now: END }))()).toEqual([]);
    });

    it('refuses a reused idempotency key with different content (IDEMPOTENCY_KEY_REUSED)', () => {
      const { state } = given(keyed(1));
      const error = refusal(when(state, keyed(99, { callbackNumber: '+447911123456' })));
      expect(error).toMatchObject({ code: 'CALLBACK_SLOTS.IDEMPOTENCY_KEY_REUSED', details: { bookingId: id(1) } });
    });

    it('a new booking without an idempotency key is not taken for a retry', () => {
      expect(existingBookingFor(book(2), given(book(1)).state)).toBeNull();
    });
  });

  describe('cancelling', () => {
    it('cancelling the same way twice changes nothing', () => {
      expect(when(given(book(1), cancel(1)).state, cancel(1))()).toEqual([]);
    });

    it('refuses to cancel a booking already cancelled for another reason (BOOKING_NOT_ACTIVE)', () => {
      const moved = { bookingId: id(7), callSlotId: 'support-uk', startIso: '2026-11-24T14:00:00.000Z' };
      const { state } = given(book(1), cancel(1, { reason: 'rescheduled', rescheduledTo: moved }));
      expect(refusal(when(state, cancel(1))).code).toBe('CALLBACK_SLOTS.BOOKING_NOT_ACTIVE');
    });

    it('keeps the cancelled booking (status, reason) so its id and key stay taken', () => {
      const { state } = given(book(1, { idempotencyKey: 'k1' }), cancel(1));
      expect(state.status === 'Open' && state.bookings.get(id(1))).toMatchObject({ status: 'cancelled', cancelReason: 'requested' });
      expect(when(state, book(5, { idempotencyKey: 'k1' }))()).toEqual([]);
    });
  });

  describe('two bookers racing for the last places (optimistic concurrency)', () => {
    /** A stream with expected-revision appends, as the event store behaves. */
    class Stream {
      readonly events: TimeSlotEvent[] = [];
      append(events: TimeSlotEvent[], expectedRevision: number): void {
        if (expectedRevision !== this.events.length) throw new Error('WrongExpectedVersion');
        this.events.push(...events);
      }
    }
    /** load → decide → append, re-deciding on a concurrent write (what the command executor does). */
    function run(stream: Stream, command: BookCallback, interleave: () => void = () => undefined): 'booked' | string {
      for (;;) {
        const revision = stream.events.length;
        const state = foldEvents(timeSlotDecider, stream.events);
        let events: TimeSlotEvent[];
        try {
          events = timeSlotDecider.decide(command, state);
        } catch (error) {
          return (error as DomainError).code;
        }
        interleave();
        try {
          stream.append(events, revision);
          return 'booked';
        } catch {
          interleave = () => undefined; // retry with the new state
        }
      }
    }

    it('exactly one of two bookers gets the last place; the other is told SLOT_FULL', () => {
      const stream = new Stream();
      stream.append(timeSlotDecider.decide(book(1), foldEvents(timeSlotDecider, [])), 0);
      // booker B decides on the same state as A but commits first
      const outcomeA = run(stream, book(2), () => {
        expect(run(stream, book(3))).toBe('booked');
      });
      expect(outcomeA).toBe('CALLBACK_SLOTS.SLOT_FULL');
      expect(stream.events.filter((e) => e.type === 'CallbackBooked')).toHaveLength(2);
    });

    it('64 interleaved bookers for 50 places: exactly 50 booked, the rest told SLOT_FULL', () => {
      const stream = new Stream();
      const cap = occurrence({ capacity: 50 });
      // every booker decides on the state before any of them commits, then they commit one by one
      const outcomes: string[] = [];
      const pending = Array.from({ length: 64 }, (_, i) => book(i + 1, { occurrence: cap }));
      const nestFrom = (i: number): void => {
        if (i >= pending.length) return;
        outcomes.push(run(stream, pending[i]!, () => nestFrom(i + 1)));
      };
      nestFrom(0);
      expect(outcomes.filter((o) => o === 'booked')).toHaveLength(50);
      expect(outcomes.filter((o) => o === 'CALLBACK_SLOTS.SLOT_FULL')).toHaveLength(14);
      expect(foldEvents(timeSlotDecider, stream.events)).toMatchObject({ live: 50 });
    });
  });
});
