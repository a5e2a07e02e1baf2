// Requests and replies of the callback-slots API: HTTP bodies (path params merged in) and NATS
// request-reply messages (`callback-slots.{verb}`: IVR offer dialogue, router availability, bookings).
import { z } from 'zod';
import { E164Schema, RawPhoneNumberSchema } from '../phone';
import { rpcSubject } from '../subjects';
import { TenantIdSchema } from '../tenant';
import {
  BookingIdSchema,
  CallIdSchema,
  CallSlotIdSchema,
  CallSlotSettingsPatchSchema,
  CallSlotSettingsSchema,
  CallerCliSchema,
  CampaignIdSchema,
  ClockEndTimeSchema,
  ClockTimeSchema,
  DtmfKeySchema,
  IdempotencyKeySchema,
  IsoInstantSchema,
  LocalDateSchema,
  OfferSessionIdSchema,
  TimeSlotGridSchema,
  TimeSlotInputSchema,
  TimeSlotSchema,
  TimeSlotWeekdaySchema,
  UtcInstantSchema,
  exampleCallSlotDefinition,
} from './call-slot-definition';
import {
  BlacklistTargetSchema,
  BookingRefSchema,
  BookingSourceSchema,
  CallbackSlotsNoteSchema,
  CancelReasonSchema,
  E164PrefixSchema,
  OfferEndReasonSchema,
} from './events';

/** Optimistic concurrency for editors: the `revision` the client read; a moved stream is refused with 409. */
const ExpectedRevisionSchema = z.number().int().min(-1).optional();

// ---------------------------------------------------------------- call slots (HTTP)

/** `POST /call-slots`. `callSlotId` may be chosen by the client (idempotent create); otherwise the server picks a UUID. */
export const CreateCallSlotRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema.optional(),
  name: z.string().trim().min(1).max(120),
  zone: z.string().min(1).max(64),
  timeSlots: z.array(TimeSlotInputSchema).max(5000).default([]),
  /** Left-out settings take the defaults (offer window 6 days, horizon 7, keys 1/2/3/#, …). */
  settings: CallSlotSettingsPatchSchema.optional(),
});
export type CreateCallSlotRequest = z.infer<typeof CreateCallSlotRequestSchema>;

/** `PUT /call-slots/{callSlotId}`: name, zone and time slots are replaced; left-out settings keep their value. */
export const UpdateCallSlotRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  name: z.string().trim().min(1).max(120),
  zone: z.string().min(1).max(64),
  timeSlots: z.array(TimeSlotInputSchema).max(5000),
  settings: CallSlotSettingsPatchSchema.optional(),
  expectedRevision: ExpectedRevisionSchema,
});
export type UpdateCallSlotRequest = z.infer<typeof UpdateCallSlotRequestSchema>;

/** `POST /call-slots/{callSlotId}/time-slots:generate`: fill weekdays with a grid of equal time slots. */
export const GenerateTimeSlotsRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  grid: TimeSlotGridSchema.extend({ mode: TimeSlotGridSchema.shape.mode.default('replace-weekdays') }),
  expectedRevision: ExpectedRevisionSchema,
});
export type GenerateTimeSlotsRequest = z.infer<typeof GenerateTimeSlotsRequestSchema>;

/** `DELETE /call-slots/{callSlotId}` */
export const DeleteCallSlotRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  reason: CallbackSlotsNoteSchema.optional(),
  expectedRevision: ExpectedRevisionSchema,
});
export type DeleteCallSlotRequest = z.infer<typeof DeleteCallSlotRequestSchema>;

/** `PUT /call-slots/{callSlotId}/closed-dates/{date}`: close every occurrence on a local date. */
export const CloseDateRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  date: LocalDateSchema,
  reason: CallbackSlotsNoteSchema.optional(),
});
export type CloseDateRequest = z.infer<typeof CloseDateRequestSchema>;

/** `DELETE /call-slots/{callSlotId}/closed-dates/{date}` */
export const ReopenDateRequestSchema = z.strictObject({ callSlotId: CallSlotIdSchema, date: LocalDateSchema });
export type ReopenDateRequest = z.infer<typeof ReopenDateRequestSchema>;

/**
 * `PUT /call-slots/{callSlotId}/occurrences/{startIso}/capacity`: the capacity of one occurrence;
 * `null` goes back to the time slot's. Lowering it below the bookings keeps them.
 */
export const ChangeOccurrenceCapacityRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  startIso: IsoInstantSchema,
  capacity: z.number().int().nullable(),
});
export type ChangeOccurrenceCapacityRequest = z.infer<typeof ChangeOccurrenceCapacityRequestSchema>;

/** A call slot as stored. `revision` of its stream, for `expectedRevision`. */
export const CallSlotViewSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  status: z.enum(['active', 'deleted']),
  name: z.string(),
  zone: z.string(),
  timeSlots: z.array(TimeSlotSchema),
  settings: CallSlotSettingsSchema,
  /** Closed local dates from today on, ascending. */
  closedDates: z.array(LocalDateSchema),
  revision: z.number().int().min(0),
});
export type CallSlotView = z.infer<typeof CallSlotViewSchema>;

/** `GET /call-slots`: those the caller's call-slot profile lets them see. */
export const ListCallSlotsResponseSchema = z.strictObject({ items: z.array(CallSlotViewSchema) });
export type ListCallSlotsResponse = z.infer<typeof ListCallSlotsResponseSchema>;

// ---------------------------------------------------------------- calendar (HTTP)

/** One occurrence of a time slot with its load. `free` is 0 when closed or when bookings reach capacity. */
export const OccurrenceViewSchema = z.strictObject({
  startIso: UtcInstantSchema,
  endIso: UtcInstantSchema,
  localDate: LocalDateSchema,
  weekday: TimeSlotWeekdaySchema,
  localStart: ClockTimeSchema,
  localEnd: ClockEndTimeSchema,
  capacity: z.number().int().min(0),
  /** true when this occurrence's capacity was set apart from its time slot's. */
  capacityOverridden: z.boolean(),
  booked: z.number().int().min(0),
  free: z.number().int().min(0),
  closed: z.boolean(),
});
export type OccurrenceView = z.infer<typeof OccurrenceViewSchema>;

export const CALENDAR_MAX_DAYS = 62;

/** `GET /call-slots/{callSlotId}/calendar?from=&to=`: local dates, both inclusive, at most 62 days. */
export const CalendarRequestSchema = z
  .strictObject({ callSlotId: CallSlotIdSchema, from: LocalDateSchema, to: LocalDateSchema })
  .superRefine((r, ctx) => {
    const days = (Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must not be before "from"' });
    else if (days > CALENDAR_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${CALENDAR_MAX_DAYS} days` });
  });
export type CalendarRequest = z.infer<typeof CalendarRequestSchema>;

export const CalendarDaySchema = z.strictObject({
  date: LocalDateSchema,
  weekday: TimeSlotWeekdaySchema,
  closed: z.boolean(),
  occurrences: z.array(OccurrenceViewSchema),
});
export type CalendarDay = z.infer<typeof CalendarDaySchema>;

export const CalendarResponseSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  zone: z.string(),
  /** Every date of the range, ascending, also those without time slots. */
  days: z.array(CalendarDaySchema),
});
export type CalendarResponse = z.infer<typeof CalendarResponseSchema>;

// ---------------------------------------------------------------- bookings (HTTP and NATS)

/**
 * `POST /bookings`: book a callback into one occurrence (the IVR books through the offer dialogue).
 * `callbackNumber` as typed (`441234567890`, `01234 567890`, `+44 …`), normalised to E.164 with the
 * tenant's default country. Same `idempotencyKey` again: the first booking is returned, nothing new booked.
 */
export const BookCallbackRequestSchema = z
  .strictObject({
    callSlotId: CallSlotIdSchema,
    startIso: IsoInstantSchema,
    callbackNumber: RawPhoneNumberSchema,
    callerCli: CallerCliSchema.optional(),
    source: BookingSourceSchema.exclude(['ivr']),
    campaignId: CampaignIdSchema.optional(),
    idempotencyKey: IdempotencyKeySchema.optional(),
  })
  .refine((r) => (r.source === 'campaign') === (r.campaignId !== undefined), {
    path: ['campaignId'],
    message: 'campaignId is required for source "campaign" and only allowed there',
  });
export type BookCallbackRequest = z.infer<typeof BookCallbackRequestSchema>;

export const BookingViewSchema = z.strictObject({
  bookingId: BookingIdSchema,
  callSlotId: CallSlotIdSchema,
  startIso: UtcInstantSchema,
  endIso: UtcInstantSchema,
  status: z.enum(['booked', 'cancelled']),
  callbackNumber: E164Schema,
  callerCli: CallerCliSchema,
  source: BookingSourceSchema,
  campaignId: CampaignIdSchema.nullable(),
  idempotencyKey: IdempotencyKeySchema.nullable(),
  offerSessionId: OfferSessionIdSchema.nullable(),
  callId: CallIdSchema.nullable(),
  rescheduledFrom: BookingRefSchema.nullable(),
  rescheduledTo: BookingRefSchema.nullable(),
  cancelReason: CancelReasonSchema.nullable(),
  bookedAt: UtcInstantSchema,
  cancelledAt: UtcInstantSchema.nullable(),
});
export type BookingView = z.infer<typeof BookingViewSchema>;

/** `created: false`: the idempotency key was seen before and this is the booking it made. */
export const BookCallbackResponseSchema = z.strictObject({ booking: BookingViewSchema, created: z.boolean() });
export type BookCallbackResponse = z.infer<typeof BookCallbackResponseSchema>;

/** `GET /bookings/{bookingId}` */
export const GetBookingRequestSchema = z.strictObject({ bookingId: BookingIdSchema });
export type GetBookingRequest = z.infer<typeof GetBookingRequestSchema>;

/** `GET /bookings?callSlotId=&from=&to=&status=&campaignId=&limit=&cursor=`, by occurrence start ascending. */
export const ListBookingsRequestSchema = z.strictObject({
  callSlotId: CallSlotIdSchema.optional(),
  from: IsoInstantSchema.optional(),
  to: IsoInstantSchema.optional(),
  status: z.enum(['booked', 'cancelled']).optional(),
  campaignId: CampaignIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListBookingsRequest = z.infer<typeof ListBookingsRequestSchema>;

export const ListBookingsResponseSchema = z.strictObject({ items: z.array(BookingViewSchema), nextCursor: z.string().nullable() });
export type ListBookingsResponse = z.infer<typeof ListBookingsResponseSchema>;

/** `POST /bookings/{bookingId}:cancel` (cancelling a cancelled booking again changes nothing). */
export const CancelBookingRequestSchema = z.strictObject({ bookingId: BookingIdSchema, note: CallbackSlotsNoteSchema.optional() });
export type CancelBookingRequest = z.infer<typeof CancelBookingRequestSchema>;

/**
 * `POST /bookings/{bookingId}:reschedule`: move a booking to another occurrence (of the same call
 * slot unless `callSlotId` says otherwise). Book-then-cancel: if the new occurrence is full the old
 * booking stays and the answer is 409 CALLBACK_SLOTS.SLOT_FULL.
 */
export const RescheduleBookingRequestSchema = z.strictObject({
  bookingId: BookingIdSchema,
  callSlotId: CallSlotIdSchema.optional(),
  startIso: IsoInstantSchema,
});
export type RescheduleBookingRequest = z.infer<typeof RescheduleBookingRequestSchema>;

/** `booking`: the new booking; `previous`: the old one, now cancelled with reason `rescheduled`. */
export const RescheduleBookingResponseSchema = z.strictObject({ booking: BookingViewSchema, previous: BookingViewSchema });
export type RescheduleBookingResponse = z.infer<typeof RescheduleBookingResponseSchema>;

// ---------------------------------------------------------------- blacklist (HTTP)

/**
 * `POST /blacklist`: a `number` as typed (normalised to E.164 with the tenant's default country) or
 * a `prefix` written internationally (`+4490`). Adding an entry that is already there changes nothing.
 */
export const AddBlacklistEntryRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('number'), value: RawPhoneNumberSchema, note: CallbackSlotsNoteSchema.optional() }),
  z.strictObject({ kind: z.literal('prefix'), value: E164PrefixSchema, note: CallbackSlotsNoteSchema.optional() }),
]);
export type AddBlacklistEntryRequest = z.infer<typeof AddBlacklistEntryRequestSchema>;

/** `DELETE /blacklist/{kind}/{value}` */
export const RemoveBlacklistEntryRequestSchema = BlacklistTargetSchema;
export type RemoveBlacklistEntryRequest = z.infer<typeof RemoveBlacklistEntryRequestSchema>;

export const BlacklistViewSchema = z.strictObject({
  entries: z.array(
    z.strictObject({ kind: z.enum(['number', 'prefix']), value: z.string(), note: CallbackSlotsNoteSchema.nullable() }),
  ),
  revision: z.number().int().min(-1),
});
export type BlacklistView = z.infer<typeof BlacklistViewSchema>;

// ---------------------------------------------------------------- availability (NATS, for the call-router)

/** "Offer callbacks at all on this call?": true when a free time slot starts within the offer window. */
export const CallbackAvailabilityRequestSchema = z.strictObject({ callSlotId: CallSlotIdSchema });
export type CallbackAvailabilityRequest = z.infer<typeof CallbackAvailabilityRequestSchema>;

export const CallbackAvailabilityResponseSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  offerable: z.boolean(),
  /** The first free occurrence within the offer window; null when not offerable. */
  nextFree: OccurrenceViewSchema.nullable(),
});
export type CallbackAvailabilityResponse = z.infer<typeof CallbackAvailabilityResponseSchema>;

// ---------------------------------------------------------------- offer dialogue (NATS, for the IVR)

/**
 * Start offering callbacks to a caller. `callerCli` null: the CLI is withheld. The reply is
 * `not-offered` (no free time slot within the offer window) or `offering` the first slot.
 */
export const StartOfferRequestSchema = z.strictObject({ callSlotId: CallSlotIdSchema, callId: CallIdSchema, callerCli: CallerCliSchema });
export type StartOfferRequest = z.infer<typeof StartOfferRequestSchema>;

/**
 * A key the caller pressed. While a slot is offered: the call slot's `choose` / `repeat` / `decline`
 * keys (defaults 1 / 2 / 3); any other key gets the same slot again with notice
 * CALLBACK_SLOTS.INVALID_KEY. While a number is asked for: the `confirm` key (default #) alone
 * accepts the caller's own CLI.
 */
export const OfferDtmfRequestSchema = z.strictObject({ sessionId: OfferSessionIdSchema, key: DtmfKeySchema });
export type OfferDtmfRequest = z.infer<typeof OfferDtmfRequestSchema>;

/**
 * The callback number the caller typed, without the terminating confirm key. Empty: "use my own
 * number" (refused when the CLI is withheld, blacklisted or not a number).
 */
export const EnterCallbackNumberRequestSchema = z.strictObject({
  sessionId: OfferSessionIdSchema,
  digits: z.string().regex(/^[0-9]{0,20}$/, 'up to 20 digits'),
});
export type EnterCallbackNumberRequest = z.infer<typeof EnterCallbackNumberRequestSchema>;

/** The caller hung up (or the IVR left the dialogue). */
export const AbandonOfferRequestSchema = z.strictObject({ sessionId: OfferSessionIdSchema });
export type AbandonOfferRequest = z.infer<typeof AbandonOfferRequestSchema>;

/** What the IVR announces: the slot in the call slot's local time. */
export const OfferedSlotSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  startIso: UtcInstantSchema,
  endIso: UtcInstantSchema,
  zone: z.string(),
  localDate: LocalDateSchema,
  weekday: TimeSlotWeekdaySchema,
  localStart: ClockTimeSchema,
  localEnd: ClockEndTimeSchema,
  /** 1 for the first slot offered in this call. */
  offerNumber: z.number().int().min(1),
});
export type OfferedSlot = z.infer<typeof OfferedSlotSchema>;

/**
 * Why the IVR hears the same prompt again (or the next slot): a code from CALLBACK_SLOTS_ERRORS —
 * INVALID_KEY, SLOT_FULL / SLOT_IN_PAST / OCCURRENCE_CLOSED (chosen slot taken meanwhile),
 * INVALID_CALLBACK_NUMBER, CALLBACK_NUMBER_NOT_ALLOWED, CALLBACK_NUMBER_BLACKLISTED, CALLBACK_NUMBER_REQUIRED.
 */
export const OfferNoticeSchema = z.strictObject({ code: z.string().regex(/^CALLBACK_SLOTS\.[A-Z_]+$/), message: z.string() });
export type OfferNotice = z.infer<typeof OfferNoticeSchema>;

const sessionBase = { sessionId: OfferSessionIdSchema };

export const OfferReplySchema = z.discriminatedUnion('status', [
  z.strictObject({ ...sessionBase, status: z.literal('not-offered') }),
  z.strictObject({
    ...sessionBase,
    status: z.literal('offering'),
    slot: OfferedSlotSchema,
    /** The keys to announce: "press 1 to choose, 2 to hear it again, 3 for another time". */
    menu: z.strictObject({ choose: DtmfKeySchema, repeat: DtmfKeySchema, decline: DtmfKeySchema }),
    notice: OfferNoticeSchema.nullable(),
    expiresAt: UtcInstantSchema,
  }),
  z.strictObject({
    ...sessionBase,
    status: z.literal('awaiting-number'),
    slot: OfferedSlotSchema,
    /** true: the CLI cannot be used (withheld, blacklisted, not a number), so a number must be typed. */
    numberRequired: z.boolean(),
    /** Ends the typed number; pressed alone it accepts the caller's own number (when not required). */
    confirmKey: DtmfKeySchema,
    repromptsLeft: z.number().int().min(0),
    notice: OfferNoticeSchema.nullable(),
    expiresAt: UtcInstantSchema,
  }),
  z.strictObject({
    ...sessionBase,
    status: z.literal('booked'),
    bookingId: BookingIdSchema,
    slot: OfferedSlotSchema,
    callbackNumber: E164Schema,
  }),
  z.strictObject({
    ...sessionBase,
    status: z.literal('ended'),
    reason: OfferEndReasonSchema.exclude(['booked', 'not-offered']),
    notice: OfferNoticeSchema.nullable(),
  }),
]);
export type OfferReply = z.infer<typeof OfferReplySchema>;

// ---------------------------------------------------------------- NATS request-reply definitions

/** A NATS request: the payload plus who asks for which tenant (HTTP takes both from the JWT). */
export const callbackSlotsRpcRequestOf = <T extends z.ZodType>(payload: T) =>
  z.strictObject({ tenantId: TenantIdSchema, actor: z.string().min(1), payload });

type CallbackSlotsRpcDefinition<Req extends z.ZodType, Res extends z.ZodType> = {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
  readonly description: string;
  readonly example: { request: z.input<Req>; response: z.input<Res> };
};

function callbackSlotsRpc<Req extends z.ZodType, Res extends z.ZodType>(
  verb: string,
  def: Omit<CallbackSlotsRpcDefinition<Req, Res>, 'subject'>,
): CallbackSlotsRpcDefinition<Req, Res> {
  // As with defineEvent: a contract whose example does not parse fails at import time.
  for (const [part, schema] of [
    ['request', def.request],
    ['response', def.response],
  ] as const) {
    const parsed = schema.safeParse(def.example[part]);
    if (!parsed.success) throw new Error(`example ${part} of callback-slots.${verb} does not match its schema: ${parsed.error.message}`);
  }
  return { ...def, subject: rpcSubject('callback-slots', verb) };
}

const exampleSessionId = '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11';
const exampleSlot: OfferedSlot = {
  callSlotId: 'support-uk',
  startIso: '2026-11-23T09:00:00.000Z',
  endIso: '2026-11-23T09:30:00.000Z',
  zone: 'Europe/London',
  localDate: '2026-11-23',
  weekday: 'mon',
  localStart: '09:00',
  localEnd: '09:30',
  offerNumber: 1,
};
const ivr = { tenantId: 'acme', actor: 'service:call-router' } as const;
const exampleBooking: BookingView = {
  bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10',
  callSlotId: 'support-uk',
  startIso: '2026-11-23T09:00:00.000Z',
  endIso: '2026-11-23T09:30:00.000Z',
  status: 'booked',
  callbackNumber: '+441234567890',
  callerCli: null,
  source: 'campaign',
  campaignId: 'winter-renewals',
  idempotencyKey: 'renewal-000123',
  offerSessionId: null,
  callId: null,
  rescheduledFrom: null,
  rescheduledTo: null,
  cancelReason: null,
  bookedAt: '2026-11-20T10:00:00.000Z',
  cancelledAt: null,
};

/** Request-reply endpoints of the callback-slots service on NATS: subject, request and reply schema, example. */
export const CallbackSlotsRpc = {
  availability: callbackSlotsRpc('availability', {
    description: 'Whether to offer callbacks on a call at all: a free time slot within the offer window, and the first one.',
    request: callbackSlotsRpcRequestOf(CallbackAvailabilityRequestSchema),
    response: CallbackAvailabilityResponseSchema,
    example: {
      request: { ...ivr, payload: { callSlotId: 'support-uk' } },
      response: {
        callSlotId: 'support-uk',
        offerable: true,
        nextFree: {
          startIso: '2026-11-23T09:00:00.000Z',
          endIso: '2026-11-23T09:30:00.000Z',
          localDate: '2026-11-23',
          weekday: 'mon',
          localStart: '09:00',
          localEnd: '09:30',
          capacity: 5,
          capacityOverridden: false,
          booked: 3,
          free: 2,
          closed: false,
        },
      },
    },
  }),
  startOffer: callbackSlotsRpc('offer-start', {
    description: 'Start the callback offer for a caller: not offered, or the first free time slot.',
    request: callbackSlotsRpcRequestOf(StartOfferRequestSchema),
    response: OfferReplySchema,
    example: {
      request: { ...ivr, payload: { callSlotId: 'support-uk', callId: 'a84b4c76e66710@pbx.acme.test', callerCli: '+441234567890' } },
      response: {
        sessionId: exampleSessionId,
        status: 'offering',
        slot: exampleSlot,
        menu: { choose: '1', repeat: '2', decline: '3' },
        notice: null,
        expiresAt: '2026-11-20T10:05:00.000Z',
      },
    },
  }),
  offerDtmf: callbackSlotsRpc('offer-dtmf', {
    description: 'A key pressed in the offer dialogue: choose, repeat, decline, or confirm the own number.',
    request: callbackSlotsRpcRequestOf(OfferDtmfRequestSchema),
    response: OfferReplySchema,
    example: {
      request: { ...ivr, payload: { sessionId: exampleSessionId, key: '1' } },
      response: {
        sessionId: exampleSessionId,
        status: 'awaiting-number',
        slot: exampleSlot,
        numberRequired: false,
        confirmKey: '#',
        repromptsLeft: 3,
        notice: null,
        expiresAt: '2026-11-20T10:05:30.000Z',
      },
    },
  }),
  enterCallbackNumber: callbackSlotsRpc('offer-number', {
    description: 'The callback number the caller typed (empty: use the own CLI); books the chosen slot when valid.',
    request: callbackSlotsRpcRequestOf(EnterCallbackNumberRequestSchema),
    response: OfferReplySchema,
    example: {
      request: { ...ivr, payload: { sessionId: exampleSessionId, digits: '07911123456' } },
      response: {
        sessionId: exampleSessionId,
        status: 'booked',
        bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10',
        slot: exampleSlot,
        callbackNumber: '+447911123456',
      },
    },
  }),
  abandonOffer: callbackSlotsRpc('offer-abandon', {
    description: 'The caller hung up during the offer dialogue.',
    request: callbackSlotsRpcRequestOf(AbandonOfferRequestSchema),
    response: OfferReplySchema,
    example: {
      request: { ...ivr, payload: { sessionId: exampleSessionId } },
      response: { sessionId: exampleSessionId, status: 'ended', reason: 'abandoned', notice: null },
    },
  }),
  bookCallback: callbackSlotsRpc('book', {
    description: 'Book a callback into an occurrence (campaign system, API clients); idempotent by idempotencyKey.',
    request: callbackSlotsRpcRequestOf(BookCallbackRequestSchema),
    response: BookCallbackResponseSchema,
    example: {
      request: {
        tenantId: 'acme',
        actor: 'service:campaigns',
        payload: {
          callSlotId: 'support-uk',
          startIso: '2026-11-23T09:00:00Z',
          callbackNumber: '441234567890',
          source: 'campaign',
          campaignId: 'winter-renewals',
          idempotencyKey: 'renewal-000123',
        },
      },
      response: { booking: exampleBooking, created: true },
    },
  }),
  cancelBooking: callbackSlotsRpc('cancel', {
    description: 'Cancel a booked callback; its place is free again.',
    request: callbackSlotsRpcRequestOf(CancelBookingRequestSchema),
    response: BookingViewSchema,
    example: {
      request: { tenantId: 'acme', actor: 'service:campaigns', payload: { bookingId: exampleBooking.bookingId, note: 'customer renewed online' } },
      response: { ...exampleBooking, status: 'cancelled', cancelReason: 'requested', cancelledAt: '2026-11-21T08:00:00.000Z' },
    },
  }),
} as const;

/** Example call slot view (OpenAPI). */
export const exampleCallSlotView: CallSlotView = { ...exampleCallSlotDefinition, status: 'active', closedDates: ['2026-12-25'], revision: 4 };
