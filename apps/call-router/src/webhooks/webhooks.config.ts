// Settings of routing webhooks, from the environment (the composition root spreads WEBHOOKS_CONFIG_SHAPE into
// the call-router's config schema, so they are validated at start with the rest).
import { z } from 'zod';
import type { WebhookDeliveryPolicy } from './domain/webhook-delivery.policy';

const flag = z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'));

export const WEBHOOKS_CONFIG_SHAPE = {
  /** Per attempt: connect, send and first response byte. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Attempts per delivery, the first included. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  /** Delay before the 2nd attempt, doubling per attempt (5 s, 10 s, 20 s … up to the max). */
  WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
  /** ± spread of each delay (0..1). */
  WEBHOOK_BACKOFF_JITTER: z.coerce.number().min(0).max(1).default(0.2),
  /** Consecutive failed attempts (any delivery) after which an endpoint is disabled with the reason. */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(20),
  /** Allow loopback/private targets (development and tests only; never in production). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag.default(false),
  /** How often an idle dispatcher looks for due deliveries (others' enqueues and retries). */
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** Deliveries in flight per instance. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /**
   * How long a tenant's enabled endpoints are reused from memory by the enqueue worker at most. Changes
   * clear it at once on every instance (NATS); this only bounds a lost notice. 0: look up every event.
   */
  WEBHOOK_ENDPOINT_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** Finished deliveries (and their attempts) are deleted after this many days. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
};
export const WebhooksConfigSchema = z.object(WEBHOOKS_CONFIG_SHAPE);
export type WebhooksConfig = z.infer<typeof WebhooksConfigSchema>;

/** The settings from a (partial) config: given values win, the rest default. */
export const webhooksConfigOf = (config: Partial<WebhooksConfig> & Record<string, unknown>): WebhooksConfig => ({ ...WebhooksConfigSchema.parse({}), ...stripUndefined(config) });

export const deliveryPolicyOf = (config: WebhooksConfig): WebhookDeliveryPolicy => ({
  maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
  backoffBaseMs: config.WEBHOOK_BACKOFF_BASE_MS,
  backoffMaxMs: config.WEBHOOK_BACKOFF_MAX_MS,
  jitter: config.WEBHOOK_BACKOFF_JITTER,
  disableAfterConsecutiveFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
});

export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');

function stripUndefined(config: Partial<WebhooksConfig>): Partial<WebhooksConfig> {
  const keys = Object.keys(WEBHOOKS_CONFIG_SHAPE) as (keyof WebhooksConfig)[];
  return Object.fromEntries(keys.filter((key) => config[key] !== undefined).map((key) => [key, config[key]])) as Partial<WebhooksConfig>;
}
