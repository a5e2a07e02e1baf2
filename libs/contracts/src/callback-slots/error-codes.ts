// The callback-slots service's stable error codes and the kind (HTTP status) each always maps to, so
// the adapters, the call-router and the IVR match on one constant instead of retyping strings.
import type { ErrorKind } from '../domain-error';

export const CALLBACK_SLOTS_ERRORS = {
  // --- call slot definition ---
  /** No call slot with this id (path `callSlotId`). */
  CALL_SLOT_NOT_FOUND: { code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND', kind: 'not_found' },
  /** Create with an id that is (or was) in use; ids of deleted call slots are not reused. */
  CALL_SLOT_EXISTS: { code: 'CALLBACK_SLOTS.CALL_SLOT_EXISTS', kind: 'conflict' },
  /** The call slot was deleted: it can be read back, not changed, offered or booked. */
  CALL_SLOT_DELETED: { code: 'CALLBACK_SLOTS.CALL_SLOT_DELETED', kind: 'gone' },
  /** `zone` is not an IANA zone name. */
  INVALID_ZONE: { code: 'CALLBACK_SLOTS.INVALID_ZONE', kind: 'validation' },
  /** Two time slots of one weekday overlap. Path `timeSlots.<i>` (the later one); details `{ overlaps: [[pathA, pathB], …] }`. */
  OVERLAPPING_TIME_SLOTS: { code: 'CALLBACK_SLOTS.OVERLAPPING_TIME_SLOTS', kind: 'validation' },
  /** A time slot would end after 24:00 of its day. Path `timeSlots.<i>.lengthMinutes`. */
  TIME_SLOT_CROSSES_MIDNIGHT: { code: 'CALLBACK_SLOTS.TIME_SLOT_CROSSES_MIDNIGHT', kind: 'validation' },
  /** More than MAX_TIME_SLOTS time slots. */
  TOO_MANY_TIME_SLOTS: { code: 'CALLBACK_SLOTS.TOO_MANY_TIME_SLOTS', kind: 'validation' },
  /** A capacity below 0 or above CAPACITY_MAX. Path of the offending field. */
  INVALID_CAPACITY: { code: 'CALLBACK_SLOTS.INVALID_CAPACITY', kind: 'validation' },
  /** The settings, after filling in the gaps, break a limit (path `settings.<field>`). */
  INVALID_SETTINGS: { code: 'CALLBACK_SLOTS.INVALID_SETTINGS', kind: 'validation' },
  /** A grid whose `to` is not after `from`, or too short for a single step. Path `grid.to`. */
  INVALID_TIME_SLOT_GRID: { code: 'CALLBACK_SLOTS.INVALID_TIME_SLOT_GRID', kind: 'validation' },
  /** Closing or reopening a date that is already over in the call slot's zone. Path `date`. */
  DATE_IN_PAST: { code: 'CALLBACK_SLOTS.DATE_IN_PAST', kind: 'validation' },
  /** `startIso` is not the start of any occurrence of the call slot. Path `startIso`. */
  UNKNOWN_OCCURRENCE: { code: 'CALLBACK_SLOTS.UNKNOWN_OCCURRENCE', kind: 'not_found' },

  // --- bookings (one stream per occurrence) ---
  /** Every place of the occurrence is taken. details `{ capacity, booked }`. The IVR offers the next one. */
  SLOT_FULL: { code: 'CALLBACK_SLOTS.SLOT_FULL', kind: 'conflict' },
  /** The occurrence has already started (or the capacity of a started one was to be changed). */
  SLOT_IN_PAST: { code: 'CALLBACK_SLOTS.SLOT_IN_PAST', kind: 'conflict' },
  /** The occurrence's date is closed. */
  OCCURRENCE_CLOSED: { code: 'CALLBACK_SLOTS.OCCURRENCE_CLOSED', kind: 'conflict' },
  /** No booking with this id in this occurrence. */
  BOOKING_NOT_FOUND: { code: 'CALLBACK_SLOTS.BOOKING_NOT_FOUND', kind: 'not_found' },
  /** A booking id used twice for different bookings. */
  BOOKING_EXISTS: { code: 'CALLBACK_SLOTS.BOOKING_EXISTS', kind: 'conflict' },
  /** The booking was already cancelled (for another reason, or rescheduled elsewhere). */
  BOOKING_NOT_ACTIVE: { code: 'CALLBACK_SLOTS.BOOKING_NOT_ACTIVE', kind: 'conflict' },
  /** The idempotency key was used before for a booking with different content. */
  IDEMPOTENCY_KEY_REUSED: { code: 'CALLBACK_SLOTS.IDEMPOTENCY_KEY_REUSED', kind: 'conflict' },
  /** Rescheduling a booking into the occurrence it is already in. */
  RESCHEDULE_TO_SAME_OCCURRENCE: { code: 'CALLBACK_SLOTS.RESCHEDULE_TO_SAME_OCCURRENCE', kind: 'validation' },
  /** The callback number is not a valid phone number. Path `callbackNumber`. */
  INVALID_CALLBACK_NUMBER: { code: 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER', kind: 'validation' },
  /** The callback number is valid but of a class we never call (premium rate: toll fraud). Path `callbackNumber`. */
  CALLBACK_NUMBER_NOT_ALLOWED: { code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED', kind: 'validation' },
  /** The callback number is on the tenant's blacklist. Path `callbackNumber`. */
  CALLBACK_NUMBER_BLACKLISTED: { code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED', kind: 'unprocessable' },

  // --- blacklist ---
  /** A blacklist value that is not an E.164 number / `+digits` prefix. Path `value`. */
  INVALID_BLACKLIST_ENTRY: { code: 'CALLBACK_SLOTS.INVALID_BLACKLIST_ENTRY', kind: 'validation' },
  /** Removing a number or prefix that is not on the blacklist. */
  BLACKLIST_ENTRY_NOT_FOUND: { code: 'CALLBACK_SLOTS.BLACKLIST_ENTRY_NOT_FOUND', kind: 'not_found' },

  // --- offer dialogue (IVR) ---
  /** A key that is not on the current menu. Not an error reply: a notice with the same prompt again. */
  INVALID_KEY: { code: 'CALLBACK_SLOTS.INVALID_KEY', kind: 'validation' },
  /** Number entry: nothing entered although a number is needed (CLI withheld, blacklisted or not a number). */
  CALLBACK_NUMBER_REQUIRED: { code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_REQUIRED', kind: 'validation' },
  /** The offer session is over its TTL (or unknown to the session store). */
  OFFER_SESSION_EXPIRED: { code: 'CALLBACK_SLOTS.OFFER_SESSION_EXPIRED', kind: 'gone' },
  /** A step for a session that has already ended (booked, declined, abandoned …). */
  OFFER_SESSION_ENDED: { code: 'CALLBACK_SLOTS.OFFER_SESSION_ENDED', kind: 'conflict' },
  /** A step that does not fit the session's state (a key while a booking is being made). details `{ status }`. */
  UNEXPECTED_OFFER_STEP: { code: 'CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP', kind: 'conflict' },
} as const satisfies Record<string, { code: `CALLBACK_SLOTS.${string}`; kind: ErrorKind }>;

export type CallbackSlotsErrorCode = (typeof CALLBACK_SLOTS_ERRORS)[keyof typeof CALLBACK_SLOTS_ERRORS]['code'];
