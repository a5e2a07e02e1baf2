// Events of the callback-slots service: one definition per event, grouped by the stream it lives in.
//
// - `callslot-…`: the definition; each change carries the COMPLETE definition (event-carried state
//   transfer) so a replica does `replica.set(callSlotId, data)`; closed dates are their own events.
// - `timeslot-…` (one per occurrence): bookings, cancellations and the occurrence's own capacity.
// - `blacklist-…`: numbers and prefixes never offered / accepted as callback numbers.
// - `offersession-…`: one IVR offer dialogue, step by step, for reporting (the live session is in Redis).
import { z } from 'zod';
import type { EventEnvelope } from '../envelope';
import { defineEvent, type DataOf } from '../event-definition';
import { E164Schema } from '../phone';
import {
  BookingIdSchema,
  CallIdSchema,
  CallSlotDefinitionSchema,
  CallSlotIdSchema,
  CallerCliSchema,
  CampaignIdSchema,
  CAPACITY_MAX,
  DtmfKeySchema,
  IdempotencyKeySchema,
  LocalDateSchema,
  OfferSessionIdSchema,
  TimeSlotGridSchema,
  UtcInstantSchema,
  exampleCallSlotDefinition,
} from './call-slot-definition';

const SERVICE = 'callback-slots';
/** Free text an operator gives for a change, or a system explanation. */
export const CallbackSlotsNoteSchema = z.string().trim().min(1).max(500);

// ---------------------------------------------------------------- call slot stream

export const CALL_SLOT_FIELDS = ['name', 'zone', 'timeSlots', 'settings'] as const;
export const CallSlotFieldSchema = z.enum(CALL_SLOT_FIELDS);

export const CallSlotCreatedEvent = defineEvent({
  service: SERVICE,
  type: 'CallSlotCreated',
  version: 1,
  description: 'A call slot was created; carries its complete definition (time slots and settings).',
  schema: CallSlotDefinitionSchema,
  example: exampleCallSlotDefinition,
});

export const CallSlotUpdatedEvent = defineEvent({
  service: SERVICE,
  type: 'CallSlotUpdated',
  version: 1,
  description:
    'A call slot was changed (edited, or its time slots generated from a grid); carries its complete definition. Existing bookings are never dropped by a change.',
  schema: CallSlotDefinitionSchema.extend({
    /** Which parts differ from before (never empty: an unchanged update emits nothing). */
    changed: z.array(CallSlotFieldSchema).min(1),
    /** The grid the time slots were generated from; null for an edit. */
    grid: TimeSlotGridSchema.nullable(),
  }),
  example: {
    ...exampleCallSlotDefinition,
    changed: ['timeSlots'],
    grid: { weekdays: ['mon'], from: '09:00', to: '10:00', everyMinutes: 30, capacity: 5, mode: 'replace-weekdays' },
  },
});

export const CallSlotDeletedEvent = defineEvent({
  service: SERVICE,
  type: 'CallSlotDeleted',
  version: 1,
  description: 'A call slot was deleted: no more offers or bookings. Existing bookings stay until cancelled.',
  schema: z.strictObject({ callSlotId: CallSlotIdSchema, reason: CallbackSlotsNoteSchema.nullable() }),
  example: { callSlotId: 'support-uk', reason: 'replaced by support-uk-2027' },
});

export const OccurrenceClosedEvent = defineEvent({
  service: SERVICE,
  type: 'OccurrenceClosed',
  version: 1,
  description:
    "Every occurrence of the call slot on a local date was closed (a holiday): not offered, not bookable. Bookings already made stay.",
  schema: z.strictObject({ callSlotId: CallSlotIdSchema, date: LocalDateSchema, reason: CallbackSlotsNoteSchema.nullable() }),
  example: { callSlotId: 'support-uk', date: '2026-12-25', reason: 'Christmas Day' },
});

export const OccurrenceReopenedEvent = defineEvent({
  service: SERVICE,
  type: 'OccurrenceReopened',
  version: 1,
  description: 'A closed local date of the call slot was opened again.',
  schema: z.strictObject({ callSlotId: CallSlotIdSchema, date: LocalDateSchema }),
  example: { callSlotId: 'support-uk', date: '2026-12-25' },
});

// ---------------------------------------------------------------- time slot (occurrence) stream

/** Where a booking came from: the IVR offer dialogue, a campaign submit, or the HTTP API. */
export const BookingSourceSchema = z.enum(['ivr', 'campaign', 'api']);
export type BookingSource = z.infer<typeof BookingSourceSchema>;

/** Points at one booking in its occurrence stream. */
export const BookingRefSchema = z.strictObject({
  bookingId: BookingIdSchema,
  callSlotId: CallSlotIdSchema,
  startIso: UtcInstantSchema,
});
export type BookingRef = z.infer<typeof BookingRefSchema>;

export const CallbackBookedEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackBooked',
  version: 1,
  description:
    'A callback was booked into one occurrence of a call slot (a place taken). The dispatcher schedules the call at startIso.',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    callSlotId: CallSlotIdSchema,
    startIso: UtcInstantSchema,
    endIso: UtcInstantSchema,
    /** The number to call back. */
    callbackNumber: E164Schema,
    /** The CLI the caller called from, as presented; null when withheld (or not from a call). */
    callerCli: CallerCliSchema,
    source: BookingSourceSchema,
    campaignId: CampaignIdSchema.nullable(),
    idempotencyKey: IdempotencyKeySchema.nullable(),
    /** The offer dialogue that booked it (source `ivr`). */
    offerSessionId: OfferSessionIdSchema.nullable(),
    callId: CallIdSchema.nullable(),
    /** Set when this booking is the new half of a reschedule. */
    rescheduledFrom: BookingRefSchema.nullable(),
  }),
  example: {
    bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10',
    callSlotId: 'support-uk',
    startIso: '2026-11-23T09:00:00.000Z',
    endIso: '2026-11-23T09:30:00.000Z',
    callbackNumber: '+441234567890',
    callerCli: null,
    source: 'ivr',
    campaignId: null,
    idempotencyKey: 'offer:7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11',
    offerSessionId: '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11',
    callId: 'a84b4c76e66710@pbx.acme.test',
    rescheduledFrom: null,
  },
});

/**
 * Why a booking was cancelled:
 * - `requested`: the customer, an operator or the campaign system asked (who: the envelope's actor);
 * - `rescheduled`: it moved to `rescheduledTo` (second step of the reschedule saga);
 * - `reschedule-compensated`: it was the new half of a reschedule that could not complete.
 */
export const CancelReasonSchema = z.enum(['requested', 'rescheduled', 'reschedule-compensated']);
export type CancelReason = z.infer<typeof CancelReasonSchema>;

export const CallbackCancelledEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackCancelled',
  version: 1,
  description: 'A booked callback was cancelled; its place in the occurrence is free again.',
  schema: z
    .strictObject({
      bookingId: BookingIdSchema,
      callSlotId: CallSlotIdSchema,
      startIso: UtcInstantSchema,
      reason: CancelReasonSchema,
      rescheduledTo: BookingRefSchema.nullable(),
      note: CallbackSlotsNoteSchema.nullable(),
    })
    .refine((d) => (d.reason === 'rescheduled') === (d.rescheduledTo !== null), {
      path: ['rescheduledTo'],
      message: 'rescheduledTo is set exactly when the reason is "rescheduled"',
    }),
  example: {
    bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10',
    callSlotId: 'support-uk',
    startIso: '2026-11-23T09:00:00.000Z',
    reason: 'rescheduled',
    rescheduledTo: { bookingId: '0d7b7f55-2f1a-4e0c-8f43-8f2f6c1b9a22', callSlotId: 'support-uk', startIso: '2026-11-24T14:00:00.000Z' },
    note: null,
  },
});

export const OccurrenceCapacityChangedEvent = defineEvent({
  service: SERVICE,
  type: 'OccurrenceCapacityChanged',
  version: 1,
  description:
    "One occurrence's capacity was set apart from its time slot's (null: back to the time slot's). Lowering it below the bookings keeps them; it only stops new ones.",
  schema: z.strictObject({
    callSlotId: CallSlotIdSchema,
    startIso: UtcInstantSchema,
    endIso: UtcInstantSchema,
    capacity: z.number().int().min(0).max(CAPACITY_MAX).nullable(),
  }),
  example: { callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z', capacity: 2 },
});

// ---------------------------------------------------------------- blacklist stream

/** `+` then 1-15 digits: every number starting with it (`+44` for the UK, `+4490` for premium lines). */
export const E164PrefixSchema = z.string().regex(/^\+[1-9][0-9]{0,14}$/, 'an E.164 prefix: "+" then 1 to 15 digits');

/** A blacklisted number (exact match) or prefix (every number that starts with it). */
export const BlacklistTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('number'), value: E164Schema }),
  z.strictObject({ kind: z.literal('prefix'), value: E164PrefixSchema }),
]);
export type BlacklistTarget = z.infer<typeof BlacklistTargetSchema>;

export const BlacklistEntryAddedEvent = defineEvent({
  service: SERVICE,
  type: 'BlacklistEntryAdded',
  version: 1,
  description: 'A number or prefix was blacklisted: a caller presenting it must give another callback number, and it is never called back.',
  schema: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('number'), value: E164Schema, note: CallbackSlotsNoteSchema.nullable() }),
    z.strictObject({ kind: z.literal('prefix'), value: E164PrefixSchema, note: CallbackSlotsNoteSchema.nullable() }),
  ]),
  example: { kind: 'prefix', value: '+4490', note: 'premium rate' },
});

export const BlacklistEntryRemovedEvent = defineEvent({
  service: SERVICE,
  type: 'BlacklistEntryRemoved',
  version: 1,
  description: 'A number or prefix was taken off the blacklist.',
  schema: BlacklistTargetSchema,
  example: { kind: 'number', value: '+441234567890' },
});

// ---------------------------------------------------------------- offer session stream (reporting)

/**
 * How the caller's CLI can serve as callback number: `usable`, or not because it is `withheld`,
 * `blacklisted`, or `invalid` (not a dialable number). Anything but `usable` makes number entry required.
 */
export const CliStatusSchema = z.enum(['usable', 'withheld', 'blacklisted', 'invalid']);
export type CliStatus = z.infer<typeof CliStatusSchema>;

/**
 * How an offer dialogue ended:
 * - `booked`: a callback was booked;
 * - `not-offered`: no free time slot within the offer window, so callbacks were not offered at all;
 * - `declined-all`: every free time slot up to the offer horizon was offered and declined;
 * - `limit-reached`: the call slot's offer limit was reached;
 * - `no-slots-left`: the chosen slot was taken meanwhile and no other free one was left;
 * - `invalid-number`: the callback number was entered wrongly more often than allowed;
 * - `abandoned`: the caller hung up (or the IVR gave up) mid-dialogue;
 * - `expired`: the session's TTL passed without a step.
 */
export const OFFER_END_REASONS = [
  'booked',
  'not-offered',
  'declined-all',
  'limit-reached',
  'no-slots-left',
  'invalid-number',
  'abandoned',
  'expired',
] as const;
export const OfferEndReasonSchema = z.enum(OFFER_END_REASONS);
export type OfferEndReason = z.infer<typeof OfferEndReasonSchema>;

const sessionFields = { sessionId: OfferSessionIdSchema, callSlotId: CallSlotIdSchema };
const sessionExample = { sessionId: '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11', callSlotId: 'support-uk' } as const;

export const OfferStartedEvent = defineEvent({
  service: SERVICE,
  type: 'OfferStarted',
  version: 1,
  description: 'The IVR asked whether to offer callbacks to a caller; an offer session began.',
  schema: z.strictObject({
    ...sessionFields,
    callId: CallIdSchema,
    callerCli: CallerCliSchema,
    cliStatus: CliStatusSchema,
    expiresAt: UtcInstantSchema,
  }),
  example: {
    ...sessionExample,
    callId: 'a84b4c76e66710@pbx.acme.test',
    callerCli: null,
    cliStatus: 'withheld',
    expiresAt: '2026-11-20T10:05:00.000Z',
  },
});

export const SlotOfferedEvent = defineEvent({
  service: SERVICE,
  type: 'SlotOffered',
  version: 1,
  description: 'A time slot was offered to the caller (the n-th different one in this session).',
  schema: z.strictObject({
    ...sessionFields,
    startIso: UtcInstantSchema,
    endIso: UtcInstantSchema,
    offerNumber: z.number().int().min(1),
  }),
  example: { ...sessionExample, startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z', offerNumber: 1 },
});

export const OfferRepeatedEvent = defineEvent({
  service: SERVICE,
  type: 'OfferRepeated',
  version: 1,
  description: 'The offered time slot was announced again: the caller asked (repeat key) or pressed a key not on the menu.',
  schema: z.strictObject({
    ...sessionFields,
    startIso: UtcInstantSchema,
    trigger: z.enum(['repeat-key', 'invalid-key']),
    key: DtmfKeySchema,
  }),
  example: { ...sessionExample, startIso: '2026-11-23T09:00:00.000Z', trigger: 'invalid-key', key: '9' },
});

export const OfferDeclinedEvent = defineEvent({
  service: SERVICE,
  type: 'OfferDeclined',
  version: 1,
  description: 'The caller declined the offered time slot.',
  schema: z.strictObject({ ...sessionFields, startIso: UtcInstantSchema }),
  example: { ...sessionExample, startIso: '2026-11-23T09:00:00.000Z' },
});

export const OfferChosenEvent = defineEvent({
  service: SERVICE,
  type: 'OfferChosen',
  version: 1,
  description: 'The caller chose the offered time slot.',
  schema: z.strictObject({ ...sessionFields, startIso: UtcInstantSchema, endIso: UtcInstantSchema }),
  example: { ...sessionExample, startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z' },
});

export const ChosenSlotUnavailableEvent = defineEvent({
  service: SERVICE,
  type: 'ChosenSlotUnavailable',
  version: 1,
  description: 'The chosen time slot could not be booked (taken meanwhile, started, or its date closed); the next one is offered.',
  schema: z.strictObject({
    ...sessionFields,
    startIso: UtcInstantSchema,
    code: z.enum(['CALLBACK_SLOTS.SLOT_FULL', 'CALLBACK_SLOTS.SLOT_IN_PAST', 'CALLBACK_SLOTS.OCCURRENCE_CLOSED']),
  }),
  example: { ...sessionExample, startIso: '2026-11-23T09:00:00.000Z', code: 'CALLBACK_SLOTS.SLOT_FULL' },
});

export const CallbackNumberEnteredEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackNumberEntered',
  version: 1,
  description: 'The callback number was settled: typed on the keypad, or the caller accepted their own CLI.',
  schema: z.strictObject({ ...sessionFields, callbackNumber: E164Schema, source: z.enum(['keypad', 'cli']) }),
  example: { ...sessionExample, callbackNumber: '+441234567890', source: 'keypad' },
});

export const CallbackNumberRejectedEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackNumberRejected',
  version: 1,
  description: 'An entered callback number was refused; the caller is asked again while re-prompts are left.',
  schema: z.strictObject({
    ...sessionFields,
    /** `not-allowed`: a premium-rate number; `required`: nothing typed although the CLI cannot be used. */
    reason: z.enum(['invalid', 'not-allowed', 'blacklisted', 'required']),
    /** 1 for the first refused entry of this session. */
    attempt: z.number().int().min(1),
    repromptsLeft: z.number().int().min(0),
  }),
  example: { ...sessionExample, reason: 'invalid', attempt: 1, repromptsLeft: 2 },
});

export const OfferEndedEvent = defineEvent({
  service: SERVICE,
  type: 'OfferEnded',
  version: 1,
  description: 'The offer dialogue ended; `bookingId` is set when it ended with a booking.',
  schema: z
    .strictObject({
      ...sessionFields,
      reason: OfferEndReasonSchema,
      bookingId: BookingIdSchema.nullable(),
      /** How many different time slots were offered. */
      offeredCount: z.number().int().min(0),
    })
    .refine((d) => (d.reason === 'booked') === (d.bookingId !== null), {
      path: ['bookingId'],
      message: 'bookingId is set exactly when the reason is "booked"',
    }),
  example: { ...sessionExample, reason: 'booked', bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10', offeredCount: 2 },
});

// ---------------------------------------------------------------- unions

/** Every callback-slots event definition (AsyncAPI generation, consumers' schema lookup). */
export const CALLBACK_SLOTS_EVENTS = [
  CallSlotCreatedEvent,
  CallSlotUpdatedEvent,
  CallSlotDeletedEvent,
  OccurrenceClosedEvent,
  OccurrenceReopenedEvent,
  CallbackBookedEvent,
  CallbackCancelledEvent,
  OccurrenceCapacityChangedEvent,
  BlacklistEntryAddedEvent,
  BlacklistEntryRemovedEvent,
  OfferStartedEvent,
  SlotOfferedEvent,
  OfferRepeatedEvent,
  OfferDeclinedEvent,
  OfferChosenEvent,
  ChosenSlotUnavailableEvent,
  CallbackNumberEnteredEvent,
  CallbackNumberRejectedEvent,
  OfferEndedEvent,
] as const;

type Ev<D> = D extends { type: infer T } ? { type: T; data: DataOf<D> } : never;

/** Events of a `callslot-…` stream. */
export type CallSlotEvent =
  | Ev<typeof CallSlotCreatedEvent>
  | Ev<typeof CallSlotUpdatedEvent>
  | Ev<typeof CallSlotDeletedEvent>
  | Ev<typeof OccurrenceClosedEvent>
  | Ev<typeof OccurrenceReopenedEvent>;

/** Events of a `timeslot-…` stream (one occurrence). */
export type TimeSlotEvent =
  | Ev<typeof CallbackBookedEvent>
  | Ev<typeof CallbackCancelledEvent>
  | Ev<typeof OccurrenceCapacityChangedEvent>;

/** Events of the `blacklist-…` stream. */
export type BlacklistEvent = Ev<typeof BlacklistEntryAddedEvent> | Ev<typeof BlacklistEntryRemovedEvent>;

/** Events of an `offersession-…` stream. */
export type OfferSessionEvent =
  | Ev<typeof OfferStartedEvent>
  | Ev<typeof SlotOfferedEvent>
  | Ev<typeof OfferRepeatedEvent>
  | Ev<typeof OfferDeclinedEvent>
  | Ev<typeof OfferChosenEvent>
  | Ev<typeof ChosenSlotUnavailableEvent>
  | Ev<typeof CallbackNumberEnteredEvent>
  | Ev<typeof CallbackNumberRejectedEvent>
  | Ev<typeof OfferEndedEvent>;

/**
 * A callback-slots event as a decider emits it and `evolve` reads it: type + data. A stored
 * `EventEnvelope` of the same type is assignable to it, so `evolve` folds envelopes directly.
 */
export type CallbackSlotsEvent = CallSlotEvent | TimeSlotEvent | BlacklistEvent | OfferSessionEvent;
export type CallbackSlotsEventType = CallbackSlotsEvent['type'];

export type CallbackBookedData = DataOf<typeof CallbackBookedEvent>;
export type CallbackCancelledData = DataOf<typeof CallbackCancelledEvent>;
export type CallSlotUpdatedData = DataOf<typeof CallSlotUpdatedEvent>;
export type OfferEndedData = DataOf<typeof OfferEndedEvent>;

export const CallbackSlotsEventTypeSchema = z.enum(CALLBACK_SLOTS_EVENTS.map((d) => d.type) as [CallbackSlotsEventType, ...CallbackSlotsEventType[]]);

// Compile-time proof that the definitions and the stream unions name the same types.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventTypesMatch: SameSet<CallbackSlotsEventType, (typeof CALLBACK_SLOTS_EVENTS)[number]['type']> = true;
void _eventTypesMatch;

/** A stored / published callback-slots event. */
export type CallbackSlotsEventEnvelope = {
  [K in CallbackSlotsEvent as K['type']]: EventEnvelope<K['type'], K['data']>;
}[CallbackSlotsEventType];

/**
 * Validates a received message as a callback-slots event (consumer side: projections, the router's
 * replica, the dispatcher). Throws on an unknown type or version or data that breaks the schema, so
 * the consumer can dead-letter it.
 */
export function parseCallbackSlotsEvent(message: { type: string; version: number; data: unknown }): CallbackSlotsEvent {
  const def = CALLBACK_SLOTS_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not a callback-slots event type: "${message.type}"`);
  if (def.version !== message.version) {
    throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  }
  return { type: def.type, data: def.schema.parse(message.data) } as CallbackSlotsEvent;
}
