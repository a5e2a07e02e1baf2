// Rescheduling moves a booking between two occurrence streams, which no single append can do. This
// is the saga's pure half: the commands of each step, and which step an interrupted saga needs next.

// The saga (the adapter runs it; each step is one load-decide-append on one stream):
//   0. Load the old occurrence; `rescheduleBookCommand` refuses a booking that is not live
//      (BOOKING_NOT_ACTIVE) or a move into the same occurrence (RESCHEDULE_TO_SAME_OCCURRENCE).
//   1. BOOK the new occurrence first, idempotency key `reschedule:{oldBookingId}`. If it is full,
//      started or closed, the saga stops here: the old booking was never touched, so from the
//      caller's view nothing happened except a clear SLOT_FULL / SLOT_IN_PAST / OCCURRENCE_CLOSED.
//   2. CANCEL the old booking with reason `rescheduled`, pointing at the new one. Done.
//   Compensation: if step 2 finds the old booking already cancelled by someone else (BOOKING_NOT_ACTIVE),
//   the new booking must not survive it: cancel the new one with `reschedule-compensated` and answer
//   BOOKING_NOT_ACTIVE.
//   Crash between 1 and 2: a retried request books nothing new (same idempotency key) and carries on
//   with step 2; a reconciler scanning bookings with `rescheduledFrom` whose old booking is still live
//   uses `nextRescheduleStep` to finish (or compensate) without a request.
// A place is therefore briefly held twice (old and new) and never zero times: the customer cannot
// lose their callback to a race, at the cost of the new occurrence counting the booking a moment early.
import type { BookingRef } from '@cc/contracts';
import { callbackSlotsError } from './callback-slots-error';
import type { BookCallback, BookingRecord, CancelBooking, OccurrenceSnapshot, TimeSlotState } from './time-slot.decider';

/** The booking being moved, as read from its occurrence stream. */
export type ReschedulingBooking = { ref: BookingRef; record: BookingRecord };

export const rescheduleIdempotencyKey = (oldBookingId: string): string => `reschedule:${oldBookingId}`;

/** Step 1: book the target occurrence with the old booking's number, origin and campaign. */
export function rescheduleBookCommand(input: {
  now: string;
  old: ReschedulingBooking;
  target: OccurrenceSnapshot;
  newBookingId: string;
}): BookCallback {
  const { old, target } = input;
  if (old.record.status !== 'booked') {
    throw callbackSlotsError('BOOKING_NOT_ACTIVE', `booking ${old.ref.bookingId} is cancelled and cannot be rescheduled`, [
      { path: 'bookingId', message: 'cancelled' },
    ]);
  }
  if (old.ref.callSlotId === target.callSlotId && old.ref.startIso === target.startIso) {
    throw callbackSlotsError('RESCHEDULE_TO_SAME_OCCURRENCE', `booking ${old.ref.bookingId} is already at ${target.startIso}`, [
      { path: 'startIso', message: 'the booking is already in this occurrence' },
    ]);
  }
  return {
    type: 'BookCallback',
    now: input.now,
    bookingId: input.newBookingId,
    occurrence: target,
    callbackNumber: old.record.callbackNumber,
    callerCli: old.record.callerCli,
    source: old.record.source,
    campaignId: old.record.campaignId,
    idempotencyKey: rescheduleIdempotencyKey(old.ref.bookingId),
    offerSessionId: old.record.offerSessionId,
    callId: old.record.callId,
    rescheduledFrom: old.ref,
  };
}

/** Step 2: cancel the old booking, pointing at the new one (use the id the new stream actually holds). */
export const rescheduleCancelCommand = (old: BookingRef, moved: BookingRef): CancelBooking => ({
  type: 'CancelBooking',
  bookingId: old.bookingId,
  occurrence: { callSlotId: old.callSlotId, startIso: old.startIso },
  reason: 'rescheduled',
  rescheduledTo: moved,
  note: null,
});

/** Compensation: cancel the new booking when the old one could not be moved. */
export const rescheduleCompensationCommand = (moved: BookingRef): CancelBooking => ({
  type: 'CancelBooking',
  bookingId: moved.bookingId,
  occurrence: { callSlotId: moved.callSlotId, startIso: moved.startIso },
  reason: 'reschedule-compensated',
  rescheduledTo: null,
  note: null,
});

export type RescheduleStep =
  /** Both halves are consistent: the old booking points at this one. */
  | { kind: 'done' }
  /** The old booking is still live: cancel it (step 2). */
  | { kind: 'cancel-old'; command: CancelBooking }
  /** The old booking was cancelled otherwise (or moved elsewhere): undo this one. */
  | { kind: 'compensate'; command: CancelBooking };

/**
 * For a live booking made by step 1 (`moved`, with `rescheduledFrom` = `old`), and the old occurrence's
 * state: what is left to do. Used by the reconciler after a crash between the two steps.
 */
export function nextRescheduleStep(moved: BookingRef, old: BookingRef, oldState: TimeSlotState): RescheduleStep {
  const oldBooking = oldState.status === 'Open' ? oldState.bookings.get(old.bookingId) : undefined;
  if (oldBooking?.status === 'booked') return { kind: 'cancel-old', command: rescheduleCancelCommand(old, moved) };
  if (oldBooking?.status === 'cancelled' && oldBooking.rescheduledTo?.bookingId === moved.bookingId) return { kind: 'done' };
  return { kind: 'compensate', command: rescheduleCompensationCommand(moved) };
}
