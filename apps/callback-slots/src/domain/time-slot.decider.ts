// One occurrence of a time slot (`timeslot-{tenant}-{callSlotId}-{startIso}`): THE capacity invariant,
// kept by appending every booking to this one stream with the revision `decide` saw.
//
// Of two bookers racing for the last place exactly one append commits; the other re-decides on the
// new state and gets CALLBACK_SLOTS.SLOT_FULL (and the IVR offers the next slot).
import {
  CAPACITY_MAX,
  E164Schema,
  type BookingRef,
  type BookingSource,
  type CallbackBookedData,
  type CancelReason,
  type Decider,
  type TimeSlotEvent,
} from '@cc/contracts';
import { callbackSlotsError } from './callback-slots-error';

// ---------------------------------------------------------------- state

export type BookingRecord = Omit<CallbackBookedData, 'callSlotId' | 'startIso' | 'endIso'> &
  (
    | { readonly status: 'booked' }
    | { readonly status: 'cancelled'; readonly cancelReason: CancelReason; readonly rescheduledTo: BookingRef | null }
  );

export type OpenTimeSlot = {
  readonly status: 'Open';
  readonly callSlotId: string;
  readonly startIso: string;
  readonly endIso: string;
  /**
   * This occurrence's own capacity, or null to follow its time slot. The time slot's capacity is not
   * stored here: it comes with every booking command from the current call-slot definition, so an
   * edit of the weekly capacity reaches occurrences that already have bookings.
   */
  readonly capacityOverride: number | null;
  /** Every booking ever made here, cancelled ones included (ids and idempotency keys stay taken). */
  readonly bookings: ReadonlyMap<string, BookingRecord>;
  readonly idempotencyKeys: ReadonlyMap<string, string>;
  /** Bookings not cancelled: the places taken. */
  readonly live: number;
};

/** `Empty`: nothing was ever booked or set for this occurrence (the stream does not exist). */
export type TimeSlotState = { readonly status: 'Empty' } | OpenTimeSlot;

export const initialTimeSlotState = (): TimeSlotState => ({ status: 'Empty' });

// ---------------------------------------------------------------- commands

/** The occurrence as the adapter read it from the call slot (`occurrenceAt`) just before the command. */
export type OccurrenceSnapshot = {
  callSlotId: string;
  startIso: string;
  endIso: string;
  /** The time slot's capacity in the current definition (an override in this stream wins). */
  capacity: number;
  closed: boolean;
};

export type BookCallback = {
  type: 'BookCallback';
  now: string;
  bookingId: string;
  occurrence: OccurrenceSnapshot;
  /** E.164, already normalised and checked against the blacklist by the caller. */
  callbackNumber: string;
  callerCli: string | null;
  source: BookingSource;
  campaignId: string | null;
  idempotencyKey: string | null;
  offerSessionId: string | null;
  callId: string | null;
  rescheduledFrom: BookingRef | null;
};

export type CancelBooking = {
  type: 'CancelBooking';
  bookingId: string;
  occurrence: Pick<OccurrenceSnapshot, 'callSlotId' | 'startIso'>;
  reason: CancelReason;
  /** Set exactly when `reason` is `rescheduled`. */
  rescheduledTo: BookingRef | null;
  note: string | null;
};

/** Set (number) or clear (null) this occurrence's own capacity. */
export type ChangeOccurrenceCapacity = {
  type: 'ChangeOccurrenceCapacity';
  now: string;
  occurrence: Pick<OccurrenceSnapshot, 'callSlotId' | 'startIso' | 'endIso'>;
  capacity: number | null;
};

export type TimeSlotCommand = BookCallback | CancelBooking | ChangeOccurrenceCapacity;

// ---------------------------------------------------------------- decide

export function decideTimeSlot(command: TimeSlotCommand, state: TimeSlotState): TimeSlotEvent[] {
  assertSameOccurrence(command, state);
  switch (command.type) {
    case 'BookCallback':
      return book(command, state);
    case 'CancelBooking':
      return cancel(command, state);
    case 'ChangeOccurrenceCapacity':
      return changeCapacity(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function book(command: BookCallback, state: TimeSlotState): TimeSlotEvent[] {
  // A retry must get its earlier answer even if the slot has filled up or started since.
  const earlier = existingBookingFor(command, state);
  if (earlier) {
    if (!sameBookingRequest(earlier, command)) {
      throw command.idempotencyKey !== null && earlier.idempotencyKey === command.idempotencyKey
        ? callbackSlotsError('IDEMPOTENCY_KEY_REUSED', `idempotency key "${command.idempotencyKey}" was used for another booking`, [
            { path: 'idempotencyKey', message: `already used for booking ${earlier.bookingId} with different content` },
          ], { bookingId: earlier.bookingId })
        : callbackSlotsError('BOOKING_EXISTS', `booking ${command.bookingId} exists with different content`, [
            { path: 'bookingId', message: 'already used' },
          ]);
    }
    return [];
  }
  const { occurrence } = command;
  if (!E164Schema.safeParse(command.callbackNumber).success) {
    throw callbackSlotsError('INVALID_CALLBACK_NUMBER', `"${command.callbackNumber}" is not an E.164 number`, [
      { path: 'callbackNumber', message: 'an E.164 number' },
    ]);
  }
  if (Date.parse(command.now) >= Date.parse(occurrence.startIso)) {
    throw callbackSlotsError('SLOT_IN_PAST', `the occurrence at ${occurrence.startIso} has already started`, [
      { path: 'startIso', message: 'must be in the future' },
    ]);
  }
  if (occurrence.closed) {
    throw callbackSlotsError('OCCURRENCE_CLOSED', `the occurrence at ${occurrence.startIso} is on a closed date`);
  }
  const capacity = capacityOf(state, occurrence.capacity);
  const booked = state.status === 'Open' ? state.live : 0;
  if (booked >= capacity) {
    throw callbackSlotsError('SLOT_FULL', `all ${capacity} places of the occurrence at ${occurrence.startIso} are taken`, [], {
      capacity,
      booked,
    });
  }
  return [
    {
      type: 'CallbackBooked',
      data: {
        bookingId: command.bookingId,
        callSlotId: occurrence.callSlotId,
        startIso: occurrence.startIso,
        endIso: occurrence.endIso,
        callbackNumber: command.callbackNumber,
        callerCli: command.callerCli,
        source: command.source,
        campaignId: command.campaignId,
        idempotencyKey: command.idempotencyKey,
        offerSessionId: command.offerSessionId,
        callId: command.callId,
        rescheduledFrom: command.rescheduledFrom,
      },
    },
  ];
}

function cancel(command: CancelBooking, state: TimeSlotState): TimeSlotEvent[] {
  if ((command.reason === 'rescheduled') !== (command.rescheduledTo !== null)) {
    throw new RangeError('CancelBooking: rescheduledTo is set exactly when the reason is "rescheduled"');
  }
  const booking = state.status === 'Open' ? state.bookings.get(command.bookingId) : undefined;
  if (!booking) {
    throw callbackSlotsError('BOOKING_NOT_FOUND', `no booking ${command.bookingId} at ${command.occurrence.startIso}`, [
      { path: 'bookingId', message: 'unknown booking' },
    ]);
  }
  if (booking.status === 'cancelled') {
    // The same cancellation again (a retry) changes nothing; a different one is a conflict the
    // reschedule saga must see (the booking moved elsewhere, or was cancelled for another reason).
    if (booking.cancelReason === command.reason && booking.rescheduledTo?.bookingId === command.rescheduledTo?.bookingId) return [];
    throw callbackSlotsError('BOOKING_NOT_ACTIVE', `booking ${command.bookingId} is already cancelled (${booking.cancelReason})`, [], {
      cancelReason: booking.cancelReason,
      rescheduledTo: booking.rescheduledTo,
    });
  }
  return [
    {
      type: 'CallbackCancelled',
      data: {
        bookingId: command.bookingId,
        callSlotId: command.occurrence.callSlotId,
        startIso: command.occurrence.startIso,
        reason: command.reason,
        rescheduledTo: command.rescheduledTo,
        note: command.note,
      },
    },
  ];
}

function changeCapacity(command: ChangeOccurrenceCapacity, state: TimeSlotState): TimeSlotEvent[] {
  const { capacity, occurrence } = command;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0 || capacity > CAPACITY_MAX)) {
    throw callbackSlotsError('INVALID_CAPACITY', `capacity must be 0 to ${CAPACITY_MAX}, is ${capacity}`, [
      { path: 'capacity', message: `must be 0 to ${CAPACITY_MAX}` },
    ]);
  }
  if (Date.parse(command.now) >= Date.parse(occurrence.startIso)) {
    throw callbackSlotsError('SLOT_IN_PAST', `the occurrence at ${occurrence.startIso} has already started`, [
      { path: 'startIso', message: 'must be in the future' },
    ]);
  }
  const current = state.status === 'Open' ? state.capacityOverride : null;
  if (current === capacity) return [];
  // Lowering below the live bookings keeps every one of them: only new bookings are refused.
  return [
    {
      type: 'OccurrenceCapacityChanged',
      data: { callSlotId: occurrence.callSlotId, startIso: occurrence.startIso, endIso: occurrence.endIso, capacity },
    },
  ];
}

// ---------------------------------------------------------------- evolve

export function evolveTimeSlot(state: TimeSlotState, event: TimeSlotEvent): TimeSlotState {
  const open: OpenTimeSlot =
    state.status === 'Open'
      ? state
      : {
          status: 'Open',
          callSlotId: event.data.callSlotId,
          startIso: event.data.startIso,
          endIso: 'endIso' in event.data ? event.data.endIso : event.data.startIso,
          capacityOverride: null,
          bookings: new Map(),
          idempotencyKeys: new Map(),
          live: 0,
        };
  switch (event.type) {
    case 'CallbackBooked': {
      const { callSlotId: _c, startIso: _s, endIso: _e, ...booking } = event.data;
      const bookings = new Map(open.bookings).set(booking.bookingId, { ...booking, status: 'booked' });
      const idempotencyKeys =
        booking.idempotencyKey === null ? open.idempotencyKeys : new Map(open.idempotencyKeys).set(booking.idempotencyKey, booking.bookingId);
      return { ...open, bookings, idempotencyKeys, live: open.live + 1 };
    }
    case 'CallbackCancelled': {
      const booking = open.bookings.get(event.data.bookingId);
      if (!booking || booking.status === 'cancelled') return open;
      const cancelled: BookingRecord = { ...booking, status: 'cancelled', cancelReason: event.data.reason, rescheduledTo: event.data.rescheduledTo };
      return { ...open, bookings: new Map(open.bookings).set(booking.bookingId, cancelled), live: open.live - 1 };
    }
    case 'OccurrenceCapacityChanged':
      return { ...open, capacityOverride: event.data.capacity };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const timeSlotDecider: Decider<TimeSlotState, TimeSlotCommand, TimeSlotEvent> = {
  initialState: initialTimeSlotState,
  evolve: evolveTimeSlot,
  decide: decideTimeSlot,
};

// ---------------------------------------------------------------- queries

/** The capacity in force: the occurrence's own, else the time slot's from the current definition. */
export const capacityOf = (state: TimeSlotState, timeSlotCapacity: number): number =>
  state.status === 'Open' && state.capacityOverride !== null ? state.capacityOverride : timeSlotCapacity;

/** Places still bookable (0 when lowered below the bookings). */
export const placesLeft = (state: TimeSlotState, timeSlotCapacity: number): number =>
  Math.max(0, capacityOf(state, timeSlotCapacity) - (state.status === 'Open' ? state.live : 0));

/**
 * The booking a BookCallback is a repeat of (same idempotency key, or same booking id), or null.
 * When `decide` returns no events for a BookCallback, this is the booking to answer with.
 */
export function existingBookingFor(command: Pick<BookCallback, 'bookingId' | 'idempotencyKey'>, state: TimeSlotState): BookingRecord | null {
  if (state.status === 'Empty') return null;
  const byKey = command.idempotencyKey === null ? undefined : state.idempotencyKeys.get(command.idempotencyKey);
  return state.bookings.get(byKey ?? command.bookingId) ?? null;
}

/** What makes two booking requests "the same request" for idempotency. */
const sameBookingRequest = (booking: BookingRecord, command: BookCallback): boolean =>
  booking.callbackNumber === command.callbackNumber &&
  booking.source === command.source &&
  booking.campaignId === command.campaignId &&
  booking.idempotencyKey === command.idempotencyKey;

function assertSameOccurrence(command: TimeSlotCommand, state: TimeSlotState): void {
  if (state.status === 'Open' && (state.callSlotId !== command.occurrence.callSlotId || state.startIso !== command.occurrence.startIso)) {
    // A wrong stream id is a programming error in the adapter, never a user's mistake.
    throw new Error(
      `command for ${command.occurrence.callSlotId}@${command.occurrence.startIso} applied to the stream of ${state.callSlotId}@${state.startIso}`,
    );
  }
}
