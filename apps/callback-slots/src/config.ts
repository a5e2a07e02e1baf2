// Environment variables of the callback-slots service (validated at start; see BaseConfigSchema for the shared ones).
import { BaseConfigSchema } from '@cc/platform';
import { CountryCodeSchema, type CountryCode } from '@cc/contracts';
import { z } from 'zod';
import { CallbacksConfigSchema } from './callbacks/callbacks.config';

/** The seed product is British: `07911 123456` reads as +447911123456 until agent-directory names the tenant's country. */
export const DEFAULT_CALLBACK_COUNTRY = 'GB' as CountryCode;

export const CallbackSlotsConfigSchema = BaseConfigSchema.extend({
  /** Reads callback numbers typed without "+" for tenants whose default country agent-directory has not told us (yet). */
  CALLBACK_SLOTS_DEFAULT_COUNTRY: CountryCodeSchema.default(DEFAULT_CALLBACK_COUNTRY),
  /**
   * Prefix of every Redis key this service writes (offer sessions, their locks and expiry index). Every
   * instance of one deployment must use the same prefix: an IVR step can reach any instance.
   */
  OFFER_SESSION_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, '1-64 chars of A-Z, a-z, 0-9, ":", "_" or "-"').default('cc:callback-slots:'),
  /** How often expired offer sessions are swept (OfferEnded `expired`); 0 turns the sweeper off. */
  OFFER_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** How long a step waits for another step of the same session (two keys racing) before 409. */
  OFFER_LOCK_WAIT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  /**
   * How long a call slot definition or blacklist read may be reused to ACCEPT a booking or offer
   * (refusals always re-read the stream; this process's own changes are seen at once). Bounds how long
   * another instance's change takes to apply here; 0 reads the stream for every command.
   */
  CALL_SLOT_READ_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  /** How often interrupted reschedules are finished or compensated; 0 turns the reconciler off. */
  RESCHEDULE_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** A reschedule whose new half is younger than this is left to the request still running it. */
  RESCHEDULE_RECONCILE_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
}).extend(CallbacksConfigSchema.shape);
export type CallbackSlotsConfig = z.infer<typeof CallbackSlotsConfigSchema>;

/** Fills in this service's settings (main.ts passes a full config; tests may pass the base config). */
export const callbackSlotsConfigOf = (config: z.input<typeof CallbackSlotsConfigSchema>): CallbackSlotsConfig =>
  CallbackSlotsConfigSchema.parse(config);

export const CALLBACK_SLOTS_CONFIG = Symbol('CALLBACK_SLOTS_CONFIG');
