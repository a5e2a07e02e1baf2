// Specification of rescheduling (book the new occurrence, then cancel the old): a full target leaves
// the old booking untouched, and a half-done saga is finished or compensated.
import { DomainError, foldEvents, type BookingRef, type TimeSlotEvent } from '@cc/contracts';
import {
  nextRescheduleStep,
  rescheduleBookCommand,
  rescheduleCancelCommand,
  rescheduleCompensationCommand,
  rescheduleIdempotencyKey,
} from './reschedule.saga';
import { existingBookingFor, timeSlotDecider, type BookCallback, type OccurrenceSnapshot, type TimeSlotCommand, type TimeSlotState } from './time-slot.decider';

const NOW = '2026-11-20T10:00:00.000Z';
const OLD_ID = '00000000-0000-4000-8000-000000000001';
const NEW_ID = '00000000-0000-4000-8000-000000000002';
const oldOccurrence: OccurrenceSnapshot = { callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z', capacity: 5, closed: false };
const target: OccurrenceSnapshot = { callSlotId: 'support-uk', startIso: '2026-11-24T14:00:00.000Z', endIso: '2026-11-24T15:00:00.000Z', capacity: 1, closed: false };
const oldRef: BookingRef = { bookingId: OLD_ID, callSlotId: 'support-uk', startIso: oldOccurrence.startIso };
const newRef: BookingRef = { bookingId: NEW_ID, callSlotId: 'support-uk', startIso: target.startIso };

const booking = (bookingId: string, occurrence: OccurrenceSnapshot, over: Partial<BookCallback> = {}): BookCallback => ({
  type: 'BookCallback',
  now: NOW,
  bookingId,
  occurrence,
  callbackNumber: '+441234567890',
  callerCli: null,
  source: 'campaign',
  campaignId: 'winter-renewals',
  idempotencyKey: 'renewal-1',
  offerSessionId: null,
  callId: null,
  rescheduledFrom: null,
  ...over,
});

/** Two occurrence streams, each with load-decide-append. */
class Streams {
  private readonly streams = new Map<string, TimeSlotEvent[]>();
  state(startIso: string): TimeSlotState {
    return foldEvents(timeSlotDecider, this.streams.get(startIso) ?? []);
  }
  run(command: TimeSlotCommand): TimeSlotEvent[] {
    const startIso = command.occurrence.startIso;
    const events = timeSlotDecider.decide(command, this.state(startIso));
    this.streams.set(startIso, [...(this.streams.get(startIso) ?? []), ...events]);
    return events;
  }
}

const oldBooking = (streams: Streams) => {
  const state = streams.state(oldOccurrence.startIso);
  return { ref: oldRef, record: state.status === 'Open' ? state.bookings.get(OLD_ID)! : undefined! };
};

describe('reschedule saga', () => {
  let streams: Streams;
  beforeEach(() => {
    streams = new Streams();
    streams.run(booking(OLD_ID, oldOccurrence));
  });

  it('books the target with the same number, origin and campaign, then cancels the old booking pointing at the new one', () => {
    const book = rescheduleBookCommand({ now: NOW, old: oldBooking(streams), target, newBookingId: NEW_ID });
    expect(streams.run(book)[0]).toMatchObject({
      type: 'CallbackBooked',
      data: { bookingId: NEW_ID, callbackNumber: '+441234567890', source: 'campaign', campaignId: 'winter-renewals', idempotencyKey: rescheduleIdempotencyKey(OLD_ID), rescheduledFrom: oldRef },
    });
    expect(streams.run(rescheduleCancelCommand(oldRef, newRef))[0]).toMatchObject({
      type: 'CallbackCancelled',
      data: { bookingId: OLD_ID, reason: 'rescheduled', rescheduledTo: newRef },
    });
    expect(streams.state(oldOccurrence.startIso)).toMatchObject({ live: 0 });
    expect(streams.state(target.startIso)).toMatchObject({ live: 1 });
  });

  it('when the target is full, step 1 fails with SLOT_FULL and the old booking stays as it was', () => {
    streams.run(booking('00000000-0000-4000-8000-000000000009', target, { idempotencyKey: 'someone-else' }));
    const book = rescheduleBookCommand({ now: NOW, old: oldBooking(streams), target, newBookingId: NEW_ID });
    expect(() => streams.run(book)).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.SLOT_FULL' }));
    expect(streams.state(oldOccurrence.startIso)).toMatchObject({ live: 1 });
    expect(oldBooking(streams).record.status).toBe('booked');
  });

  it('a retried reschedule books nothing new (same idempotency key) and finds the booking step 1 made', () => {
    streams.run(rescheduleBookCommand({ now: NOW, old: oldBooking(streams), target, newBookingId: NEW_ID }));
    const retry = rescheduleBookCommand({ now: NOW, old: oldBooking(streams), target, newBookingId: '00000000-0000-4000-8000-000000000003' });
    expect(streams.run(retry)).toEqual([]);
    expect(existingBookingFor(retry, streams.state(target.startIso))?.bookingId).toBe(NEW_ID);
  });

  it('refuses to reschedule a cancelled booking (BOOKING_NOT_ACTIVE) or into its own occurrence', () => {
    const cancelled = { ref: oldRef, record: { ...oldBooking(streams).record, status: 'cancelled' as const, cancelReason: 'requested' as const, rescheduledTo: null } };
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as DomainError).code;
      }
      return 'accepted';
    };
    expect(attempt(() => rescheduleBookCommand({ now: NOW, old: cancelled, target, newBookingId: NEW_ID }))).toBe('CALLBACK_SLOTS.BOOKING_NOT_ACTIVE');
    expect(attempt(() => rescheduleBookCommand({ now: NOW, old: oldBooking(streams), target: oldOccurrence, newBookingId: NEW_ID }))).toBe(
      'CALLBACK_SLOTS.RESCHEDULE_TO_SAME_OCCURRENCE',
    );
  });

  describe('after a crash between the steps (nextRescheduleStep)', () => {
    beforeEach(() => {
      streams.run(rescheduleBookCommand({ now: NOW, old: oldBooking(streams), target, newBookingId: NEW_ID }));
    });

    it('the old booking still live: cancel it (forward recovery)', () => {
      const step = nextRescheduleStep(newRef, oldRef, streams.state(oldOccurrence.startIso));
      expect(step).toEqual({ kind: 'cancel-old', command: rescheduleCancelCommand(oldRef, newRef) });
    });

    it('the old booking already points at the new one: done', () => {
      streams.run(rescheduleCancelCommand(oldRef, newRef));
      expect(nextRescheduleStep(newRef, oldRef, streams.state(oldOccurrence.startIso))).toEqual({ kind: 'done' });
    });

    it('the old booking was cancelled by someone else meanwhile: compensate by cancelling the new one, freeing its place', () => {
      streams.run({ type: 'CancelBooking', bookingId: OLD_ID, occurrence: oldOccurrence, reason: 'requested', rescheduledTo: null, note: null });
      // step 2 itself is refused, so the saga knows it must compensate
      expect(() => streams.run(rescheduleCancelCommand(oldRef, newRef))).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.BOOKING_NOT_ACTIVE' }));
      const step = nextRescheduleStep(newRef, oldRef, streams.state(oldOccurrence.startIso));
      expect(step).toEqual({ kind: 'compensate', command: rescheduleCompensationCommand(newRef) });
      streams.run(step.kind === 'compensate' ? step.command : rescheduleCompensationCommand(newRef));
      expect(streams.state(target.startIso)).toMatchObject({ live: 0 });
    });
  });
});
