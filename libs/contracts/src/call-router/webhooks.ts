// HTTP contracts of routing webhooks (issue 10): per-tenant endpoints that receive routing events as
// signed HTTP POSTs (Standard Webhooks signatures), their delivery log, and their error codes.
import { z } from 'zod';
import type { ErrorKind } from '../domain-error';
import { RoutingEventTypeSchema } from './routing-publication';

/** A tenant may register this many endpoints. */
export const MAX_WEBHOOK_ENDPOINTS_PER_TENANT = 20;

const IsoInstantSchema = z.iso.datetime({ offset: true });

export const WebhookEndpointIdSchema = z.uuid();

/**
 * Where deliveries go: an absolute http(s) URL without credentials. Whether private and loopback hosts are
 * allowed is the service's configuration (refused in production: see WEBHOOK_ERRORS.URL_NOT_ALLOWED).
 */
export const WebhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'a webhook URL must not carry credentials');

/** Which routing event types an endpoint receives; null: every type, including types added later. */
export const WebhookEventTypesSchema = z
  .array(RoutingEventTypeSchema)
  .min(1)
  .refine((types) => new Set(types).size === types.length, 'event types must be unique')
  .nullable();

const DescriptionSchema = z.string().trim().min(1).max(500).nullable();

/** `POST /v1/webhooks` (ADMIN). The reply carries the signing secret, shown this once. */
export const CreateWebhookEndpointRequestSchema = z.strictObject({
  url: WebhookUrlSchema,
  eventTypes: WebhookEventTypesSchema.default(null),
  description: DescriptionSchema.default(null),
});
export type CreateWebhookEndpointRequest = z.infer<typeof CreateWebhookEndpointRequestSchema>;

/**
 * `PATCH /v1/webhooks/{id}` (ADMIN): change what is given. `enabled: true` re-enables an endpoint the
 * service disabled after failures (its failure count starts again); `enabled: false` pauses it.
 */
export const UpdateWebhookEndpointRequestSchema = z
  .strictObject({
    url: WebhookUrlSchema.optional(),
    eventTypes: WebhookEventTypesSchema.optional(),
    description: DescriptionSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((request) => Object.values(request).some((value) => value !== undefined), 'give at least one field to change');
export type UpdateWebhookEndpointRequest = z.infer<typeof UpdateWebhookEndpointRequestSchema>;

export const WEBHOOK_ENDPOINT_STATUSES = ['enabled', 'disabled'] as const;

export const WebhookEndpointViewSchema = z.strictObject({
  id: WebhookEndpointIdSchema,
  url: z.string(),
  eventTypes: WebhookEventTypesSchema,
  description: DescriptionSchema,
  status: z.enum(WEBHOOK_ENDPOINT_STATUSES),
  /** Why it is disabled: by an admin, or after repeated failures (with the last error). */
  disabledReason: z.string().nullable(),
  disabledAt: IsoInstantSchema.nullable(),
  /** Failed attempts since the last successful one. */
  consecutiveFailures: z.number().int().min(0),
  /** The first characters of the secret, to tell secrets apart after a rotation. */
  secretHint: z.string(),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type WebhookEndpointView = z.infer<typeof WebhookEndpointViewSchema>;

/** Create and rotate-secret replies: the view plus the whole secret (`whsec_` + base64), never shown again. */
export const WebhookEndpointWithSecretSchema = WebhookEndpointViewSchema.extend({ secret: z.string().startsWith('whsec_') });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;

export const WebhookEndpointListSchema = z.strictObject({ items: z.array(WebhookEndpointViewSchema) });

/**
 * - `pending`: waiting for its (next) attempt;
 * - `delivered`: an attempt got a 2xx;
 * - `failed`: every attempt failed (the retry policy gave up);
 * - `abandoned`: not attempted again because the endpoint was disabled or deleted.
 */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'abandoned'] as const;
export const WebhookDeliveryStatusSchema = z.enum(WEBHOOK_DELIVERY_STATUSES);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatusSchema>;

export const WebhookDeliveryAttemptSchema = z.strictObject({
  attempt: z.number().int().min(1),
  at: IsoInstantSchema,
  /** HTTP status; null when no response came (refused, timed out, DNS). */
  statusCode: z.number().int().nullable(),
  /** Why it failed; null on success. */
  error: z.string().nullable(),
  durationMs: z.number().int().min(0),
});

export const WebhookDeliveryViewSchema = z.strictObject({
  id: z.uuid(),
  endpointId: WebhookEndpointIdSchema,
  eventId: z.uuid(),
  eventType: RoutingEventTypeSchema,
  status: WebhookDeliveryStatusSchema,
  /** When the next attempt is due; null unless pending. */
  nextAttemptAt: IsoInstantSchema.nullable(),
  createdAt: IsoInstantSchema,
  finishedAt: IsoInstantSchema.nullable(),
  attempts: z.array(WebhookDeliveryAttemptSchema),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryViewSchema>;

/** `GET /v1/webhooks/{id}/deliveries`: newest first. */
export const WebhookDeliveriesQuerySchema = z.strictObject({
  status: WebhookDeliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
});
export type WebhookDeliveriesQuery = z.infer<typeof WebhookDeliveriesQuerySchema>;

export const WebhookDeliveryPageSchema = z.strictObject({ items: z.array(WebhookDeliveryViewSchema), nextCursor: z.string().nullable() });
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPageSchema>;

/**
 * How deliveries are signed: the Standard Webhooks scheme (standardwebhooks.com), so receivers can use its
 * libraries. `webhook-signature` is `v1,<base64 HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")>`
 * where key is the base64-decoded part of the secret after `whsec_`. `webhook-id` is the routing event
 * id (the same on every retry: deduplicate by it); `webhook-timestamp` is the attempt's Unix seconds
 * (reject old ones against replays). The body is the routing message (RoutingMessageSchema).
 */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  /** Not signed; for routing and logs on the receiver's side. */
  eventType: 'cc-event-type',
} as const;
export const WEBHOOK_SIGNATURE_VERSION = 'v1';
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export const WEBHOOK_ERRORS = {
  ENDPOINT_NOT_FOUND: { code: 'WEBHOOKS.ENDPOINT_NOT_FOUND', kind: 'not_found' },
  /** The URL points at a loopback, private or link-local address the service may not call. */
  URL_NOT_ALLOWED: { code: 'WEBHOOKS.URL_NOT_ALLOWED', kind: 'validation' },
  /** The tenant has MAX_WEBHOOK_ENDPOINTS_PER_TENANT endpoints already. */
  TOO_MANY_ENDPOINTS: { code: 'WEBHOOKS.TOO_MANY_ENDPOINTS', kind: 'conflict' },
  INVALID_CURSOR: { code: 'WEBHOOKS.INVALID_CURSOR', kind: 'validation' },
} as const satisfies Record<string, { code: `WEBHOOKS.${string}`; kind: ErrorKind }>;
