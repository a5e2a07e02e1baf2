// Contracts of callback campaigns: the contact-center campaign system submits callbacks in bulk (HTTP,
// or a stream of NATS requests), each with its own idempotency key, into a named time slot or "the
// earliest free one between X and Y", under a per-campaign cap per time slot; it reads progress and
// counts, and cancels a whole campaign. Streams: `campaign-{tenant}-{campaignId}` (its settings and
// status) and `campaignitem-{tenant}-{campaignId}-{keyHash}` (one submitted item: the idempotency lock).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ErrorKind } from '../domain-error';
import { defineEvent, type DataOf } from '../event-definition';
import { RawPhoneNumberSchema } from '../phone';
import { rpcSubject } from '../subjects';
import { TenantIdSchema } from '../tenant';
import {
  BookingIdSchema,
  CallSlotIdSchema,
  CallerCliSchema,
  CampaignIdSchema,
  CAPACITY_MAX,
  IdempotencyKeySchema,
  IsoInstantSchema,
  UtcInstantSchema,
} from './call-slot-definition';
import { CallbackSlotsNoteSchema } from './events';

const SERVICE = 'callback-slots';

// ---------------------------------------------------------------- stream ids

export const CAMPAIGN_STREAM_PREFIX = 'campaign';
export const CAMPAIGN_ITEM_STREAM_PREFIX = 'campaignitem';

/** `campaign-{tenant}-{campaignId}` */
export const toCampaignStreamId = (tenantId: string, campaignId: string): string =>
  `${CAMPAIGN_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${CampaignIdSchema.parse(campaignId)}`;

/** The item's key as it appears in stream ids: the first 32 hex digits of its SHA-256 (keys may hold any printable character). */
export const campaignItemKeyHash = (idempotencyKey: string): string => createHash('sha256').update(IdempotencyKeySchema.parse(idempotencyKey)).digest('hex').slice(0, 32);

/** `campaignitem-{tenant}-{campaignId}-{keyHash}`: one item of a campaign, by its idempotency key. */
export const toCampaignItemStreamId = (tenantId: string, campaignId: string, idempotencyKey: string): string =>
  `${CAMPAIGN_ITEM_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${CampaignIdSchema.parse(campaignId)}-${campaignItemKeyHash(idempotencyKey)}`;

// ---------------------------------------------------------------- shared shapes

/** At most this many callbacks of one campaign in one occurrence (null: no cap beyond the occurrence's capacity). */
export const CampaignCapSchema = z.number().int().min(1).max(CAPACITY_MAX).nullable();

/**
 * Why an item was not booked:
 * - `full`: the named occurrence has no place left, or no occurrence in the window has;
 * - `campaign-cap`: the campaign already has its cap of callbacks in the occurrence (in every free one of the window);
 * - `outside-window`: the window is over (or has no occurrence at all);
 * - `in-past`: the named occurrence has already started;
 * - `closed`: the named occurrence is on a closed date;
 * - `unknown-slot`: no such call slot (or deleted), or the instant is not one of its occurrences;
 * - `invalid-number`: not a callable phone number (or a class never called, e.g. premium rate);
 * - `blacklisted`: the number is on the tenant's blacklist.
 */
export const CAMPAIGN_REJECTION_REASONS = ['full', 'campaign-cap', 'outside-window', 'in-past', 'closed', 'unknown-slot', 'invalid-number', 'blacklisted'] as const;
export const CampaignRejectionReasonSchema = z.enum(CAMPAIGN_REJECTION_REASONS);
export type CampaignRejectionReason = z.infer<typeof CampaignRejectionReasonSchema>;

/** Where an item is to be booked: a named occurrence, or the earliest free one in a window. */
export const CampaignTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('slot'), callSlotId: CallSlotIdSchema, startIso: IsoInstantSchema }),
  z
    .strictObject({ kind: z.literal('earliest'), callSlotId: CallSlotIdSchema, from: IsoInstantSchema, to: IsoInstantSchema })
    .refine((t) => Date.parse(t.to) > Date.parse(t.from), { path: ['to'], message: '"to" must be after "from"' })
    .refine((t) => Date.parse(t.to) - Date.parse(t.from) <= 366 * 86_400_000, { path: ['to'], message: 'a window of at most 366 days' }),
]);
export type CampaignTarget = z.infer<typeof CampaignTargetSchema>;

/** One callback to book for a campaign. The same `idempotencyKey` again books nothing new. */
export const CampaignItemSchema = z.strictObject({
  idempotencyKey: IdempotencyKeySchema,
  /** As typed (`07911 123456`, `+44 …`): normalised with the tenant's default country. */
  callbackNumber: RawPhoneNumberSchema,
  callerCli: CallerCliSchema.optional(),
  target: CampaignTargetSchema,
});
export type CampaignItem = z.infer<typeof CampaignItemSchema>;

export const CampaignBookingSchema = z.strictObject({
  bookingId: BookingIdSchema,
  callSlotId: CallSlotIdSchema,
  startIso: UtcInstantSchema,
  endIso: UtcInstantSchema,
});
export type CampaignBooking = z.infer<typeof CampaignBookingSchema>;

// ---------------------------------------------------------------- events

export const CampaignConfiguredEvent = defineEvent({
  service: SERVICE,
  type: 'CampaignConfigured',
  version: 1,
  description: 'A campaign was created or changed; carries its complete settings (name, cap per time slot).',
  schema: z.strictObject({ campaignId: CampaignIdSchema, name: z.string().trim().min(1).max(120), capPerTimeSlot: CampaignCapSchema }),
  example: { campaignId: 'winter-renewals', name: 'Winter renewals', capPerTimeSlot: 3 },
});

export const CampaignCancelledEvent = defineEvent({
  service: SERVICE,
  type: 'CampaignCancelled',
  version: 1,
  description: 'A campaign was cancelled: no more items are taken, and its booked callbacks are cancelled (each a CallbackCancelled).',
  schema: z.strictObject({ campaignId: CampaignIdSchema, reason: CallbackSlotsNoteSchema.nullable() }),
  example: { campaignId: 'winter-renewals', reason: 'offer withdrawn' },
});

const itemFields = {
  campaignId: CampaignIdSchema,
  idempotencyKey: IdempotencyKeySchema,
  /** SHA-256 of the item's content: the same key with another content is a conflict. */
  itemHash: z.string().regex(/^[0-9a-f]{64}$/),
};
const exampleItem = { campaignId: 'winter-renewals', idempotencyKey: 'renewal-000123', itemHash: 'a'.repeat(64) };

export const CampaignItemBookedEvent = defineEvent({
  service: SERVICE,
  type: 'CampaignItemBooked',
  version: 1,
  description: 'A campaign item was booked (the CallbackBooked is in its occurrence stream). Its idempotency key now stands for this booking.',
  schema: z.strictObject({ ...itemFields, booking: CampaignBookingSchema }),
  example: {
    ...exampleItem,
    booking: { bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10', callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z' },
  },
});

export const CampaignItemRejectedEvent = defineEvent({
  service: SERVICE,
  type: 'CampaignItemRejected',
  version: 1,
  description: 'A campaign item could not be booked, for `reason`. The key stays free: submitting it again tries again.',
  schema: z.strictObject({ ...itemFields, reason: CampaignRejectionReasonSchema, detail: z.string().max(500) }),
  example: { ...exampleItem, reason: 'full', detail: 'no free place between 2026-11-23T09:00:00.000Z and 2026-11-23T12:00:00.000Z' },
});

export const CAMPAIGN_EVENTS = [CampaignConfiguredEvent, CampaignCancelledEvent, CampaignItemBookedEvent, CampaignItemRejectedEvent] as const;

type Ev<D> = D extends { type: infer T } ? { type: T; data: DataOf<D> } : never;
export type CampaignEvent = Ev<typeof CampaignConfiguredEvent> | Ev<typeof CampaignCancelledEvent>;
export type CampaignItemEvent = Ev<typeof CampaignItemBookedEvent> | Ev<typeof CampaignItemRejectedEvent>;

/** Validates a stored or received campaign event; throws on an unknown type, version or bad data. */
export function parseCampaignEvent(message: { type: string; version: number; data: unknown }): CampaignEvent | CampaignItemEvent {
  const def = CAMPAIGN_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not a campaign event type: "${message.type}"`);
  if (def.version !== message.version) throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  return { type: def.type, data: def.schema.parse(message.data) } as CampaignEvent | CampaignItemEvent;
}

// ---------------------------------------------------------------- error codes

export const CAMPAIGN_ERRORS = {
  /** No campaign with this id: configure it first (`PUT /v1/campaigns/{campaignId}`). */
  CAMPAIGN_NOT_FOUND: { code: 'CALLBACK_SLOTS.CAMPAIGN_NOT_FOUND', kind: 'not_found' },
  /** The campaign was cancelled: it takes no items and no changes. */
  CAMPAIGN_CANCELLED: { code: 'CALLBACK_SLOTS.CAMPAIGN_CANCELLED', kind: 'conflict' },
  /** An item was not booked (per item, status 422); its `reason` says why. */
  CAMPAIGN_ITEM_REJECTED: { code: 'CALLBACK_SLOTS.CAMPAIGN_ITEM_REJECTED', kind: 'unprocessable' },
  /** An item's idempotency key was used before with different content (per item, status 409). */
  CAMPAIGN_ITEM_KEY_REUSED: { code: 'CALLBACK_SLOTS.CAMPAIGN_ITEM_KEY_REUSED', kind: 'conflict' },
} as const satisfies Record<string, { code: `CALLBACK_SLOTS.${string}`; kind: ErrorKind }>;

// ---------------------------------------------------------------- messages

/** `PUT /v1/campaigns/{campaignId}`: create or change a campaign. */
export const ConfigureCampaignRequestSchema = z.strictObject({
  campaignId: CampaignIdSchema,
  name: z.string().trim().min(1).max(120),
  capPerTimeSlot: CampaignCapSchema.default(null),
});
export type ConfigureCampaignRequest = z.infer<typeof ConfigureCampaignRequestSchema>;

/** Most items in one HTTP submit / one NATS message. */
export const CAMPAIGN_SUBMIT_MAX_ITEMS = 5_000;
export const CAMPAIGN_NATS_SUBMIT_MAX_ITEMS = 500;

/**
 * `POST /v1/campaigns/{campaignId}/items`: items are checked one by one (CampaignItemSchema), so a bad
 * item is answered in its own result and the rest of the batch is still processed.
 */
export const SubmitCampaignItemsRequestSchema = z.strictObject({
  campaignId: CampaignIdSchema,
  items: z.array(z.unknown()).min(1).max(CAMPAIGN_SUBMIT_MAX_ITEMS),
});
export type SubmitCampaignItemsRequest = z.infer<typeof SubmitCampaignItemsRequestSchema>;

/**
 * One item's result, with the status it would have on its own:
 * - `booked` (201): booked now; `duplicate` (200): the key booked this same item before (`booking` is that one);
 * - `rejected` (422): not booked, see `reason`; `conflict` (409): the key was used for another item;
 * - `invalid` (400): the item is malformed, see `problem.errors` (paths inside the item).
 */
export const CampaignItemResultSchema = z.strictObject({
  index: z.number().int().min(0),
  idempotencyKey: z.string().nullable(),
  outcome: z.enum(['booked', 'duplicate', 'rejected', 'conflict', 'invalid']),
  status: z.union([z.literal(201), z.literal(200), z.literal(422), z.literal(409), z.literal(400)]),
  booking: CampaignBookingSchema.nullable(),
  reason: CampaignRejectionReasonSchema.nullable(),
  problem: z.strictObject({ code: z.string(), title: z.string(), errors: z.array(z.strictObject({ path: z.string(), message: z.string() })) }).nullable(),
});
export type CampaignItemResult = z.infer<typeof CampaignItemResultSchema>;

export const CampaignSubmitCountsSchema = z.strictObject({
  booked: z.number().int().min(0),
  duplicate: z.number().int().min(0),
  rejected: z.number().int().min(0),
  conflict: z.number().int().min(0),
  invalid: z.number().int().min(0),
});

export const SubmitCampaignItemsResponseSchema = z.strictObject({
  campaignId: CampaignIdSchema,
  results: z.array(CampaignItemResultSchema),
  counts: CampaignSubmitCountsSchema,
});
export type SubmitCampaignItemsResponse = z.infer<typeof SubmitCampaignItemsResponseSchema>;

/** `GET /v1/campaigns/{campaignId}`: settings, status and counts (from the read model: a moment behind). */
export const CampaignViewSchema = z.strictObject({
  campaignId: CampaignIdSchema,
  name: z.string(),
  capPerTimeSlot: CampaignCapSchema,
  status: z.enum(['active', 'cancelled']),
  counts: z.strictObject({
    /** Items whose key stands for a booking (whatever became of it). */
    booked: z.number().int().min(0),
    /** Of those: still waiting for their callback, cancelled, called back, failed. */
    scheduled: z.number().int().min(0),
    cancelled: z.number().int().min(0),
    completed: z.number().int().min(0),
    failed: z.number().int().min(0),
    /** Items whose last submission was rejected, by reason. */
    rejected: z.record(CampaignRejectionReasonSchema, z.number().int().min(0)),
  }),
  /** Submits running now in this process: items done of items sent. */
  inProgress: z.array(z.strictObject({ submissionId: z.string(), done: z.number().int().min(0), total: z.number().int().min(0), startedAt: UtcInstantSchema })),
  revision: z.number().int().min(0),
});
export type CampaignView = z.infer<typeof CampaignViewSchema>;

/** `POST /v1/campaigns/{campaignId}/cancel` */
export const CancelCampaignRequestSchema = z.strictObject({ campaignId: CampaignIdSchema, reason: CallbackSlotsNoteSchema.optional() });
export type CancelCampaignRequest = z.infer<typeof CancelCampaignRequestSchema>;
export const CancelCampaignResponseSchema = z.strictObject({
  campaignId: CampaignIdSchema,
  status: z.literal('cancelled'),
  /** Bookings this call cancelled, and those that were cancelled already. */
  bookingsCancelled: z.number().int().min(0),
  alreadyCancelled: z.number().int().min(0),
});
export type CancelCampaignResponse = z.infer<typeof CancelCampaignResponseSchema>;

/** NATS `callback-slots.campaign-submit`: a chunk of a stream of items (the same results as HTTP). */
export const CampaignRpc = {
  submitItems: {
    subject: rpcSubject('callback-slots', 'campaign-submit'),
    request: z.strictObject({
      tenantId: TenantIdSchema,
      actor: z.string().min(1),
      payload: z.strictObject({ campaignId: CampaignIdSchema, items: z.array(z.unknown()).min(1).max(CAMPAIGN_NATS_SUBMIT_MAX_ITEMS) }),
    }),
    response: SubmitCampaignItemsResponseSchema,
    description: 'Submits a chunk of campaign items (at most 500 per message); a result per item.',
  },
} as const;
