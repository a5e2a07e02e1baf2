// Environment variables of scheduled callbacks (validated at start with the service's config): which
// role this process plays, the BullMQ queue, the firing lead time, attempt limits and the reconciler.
import type { BaseConfig } from '@cc/platform';
import { z } from 'zod';

/** `api`: HTTP/NATS only; `worker`: scheduler projection, firing worker, reconciler; `all`: both (one process). */
export const CALLBACK_ROLES = ['all', 'api', 'worker'] as const;
export type CallbackRole = (typeof CALLBACK_ROLES)[number];

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const CallbacksConfigSchema = z.object({
  CALLBACK_ROLE: z.enum(CALLBACK_ROLES).default('all'),
  /** BullMQ key prefix: every instance of one deployment must use the same one (they share the queue). */
  CALLBACK_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 chars of A-Z, a-z, 0-9, "_" or "-"')
    .default('cc-callbacks'),
  /**
   * A timer job is handed to the worker this long before it is due and fires on an in-process timer at
   * the exact instant (plain BullMQ delays fire 50-250 ms late). Must exceed BullMQ's lateness.
   */
  CALLBACK_LEAD_MS: int(200, 60_000, 2_000),
  /** Attempts may still start this long after the time slot ends. */
  CALLBACK_GRACE_SECONDS: int(0, 86_400, 0),
  /** An attempt without an outcome this long after it started counts as `failed` (and is retried if allowed). */
  CALLBACK_ATTEMPT_TIMEOUT_SECONDS: int(10, 86_400, 300),
  /** Timer jobs one worker process holds at once (most of them wait out their lead time). */
  CALLBACK_WORKER_CONCURRENCY: int(1, 20_000, 2_000),
  /** How long the router has to answer a dial-plan request. */
  CALLBACK_DIAL_PLAN_TIMEOUT_MS: int(100, 60_000, 3_000),
  /** How often missing timer jobs are rebuilt from the read model (also once at start); 0: only at start. */
  CALLBACK_RECONCILE_INTERVAL_MS: int(0, 86_400_000, 60_000),
});
export type CallbacksConfig = z.infer<typeof CallbacksConfigSchema>;

/** Fills in the defaults (main.ts passes the full config; tests may pass the base config plus overrides). */
export const callbacksConfigOf = (config: BaseConfig & Partial<Record<keyof CallbacksConfig, unknown>>): CallbacksConfig =>
  CallbacksConfigSchema.parse(config);

export const CALLBACKS_CONFIG = Symbol('CALLBACKS_CONFIG');
