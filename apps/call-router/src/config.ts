// Environment variables of the call-router service (validated at start; see BaseConfigSchema for the shared ones):
// how plans become SIP routes for the Kamailio edge, and how calls are recorded off the routing hot path.
import { BaseConfigSchema, type BaseConfig } from '@cc/platform';
import { z } from 'zod';
import { WEBHOOKS_CONFIG_SHAPE } from './webhooks/webhooks.config';

const sipUri = z.string().regex(/^sips?:[^\s]+$/, 'a SIP URI, e.g. "sip:media.example:5060"');
const hostPort = z.string().regex(/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, 'host[:port], e.g. "gw.example:5060"');
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const CallRouterConfigSchema = BaseConfigSchema.extend({
  ...WEBHOOKS_CONFIG_SHAPE,
  /** SIP domain of a tenant's extensions; `{tenant}` is replaced: `2001` rings as `sip:2001@acme.pbx.example`. */
  ROUTER_SIP_EXTENSION_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.{}-]+(:[0-9]{1,5})?$/, 'a host with an optional {tenant} placeholder, e.g. "{tenant}.pbx.example"')
    .default('{tenant}.pbx.local'),
  /** PSTN gateway for outside numbers (mobiles, forwards): `sip:+447700900123@{gateway};user=phone`. */
  ROUTER_SIP_PSTN_GATEWAY: hostPort.default('pstn-gw.local:5060'),
  /** Media server (voicemail, IVR, "press 1 to take this call"): host[:port] of its SIP URIs. */
  ROUTER_SIP_MEDIA_SERVER: hostPort.default('media.local:5060'),
  /** Outbound proxy every route but confirmation legs goes through (`sip:…`); unset: none. */
  ROUTER_SIP_OUTBOUND_PROXY: optional(sipUri),
  /** fr_timer of every route in ms (no reply at all within it = unreachable). */
  ROUTER_SIP_FR_TIMER_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  /** Answer confirmation on mobile legs: the key, how long the media server waits for it, the prompt id. */
  ROUTER_SIP_CONFIRM_DIGIT: z.string().regex(/^[0-9*#]$/, 'one DTMF key').default('1'),
  ROUTER_SIP_CONFIRM_TIMEOUT_SECONDS: z.coerce.number().int().min(3).max(120).default(15),
  ROUTER_SIP_CONFIRM_PROMPT: z.string().regex(/^[\x21-\x7e]{1,64}$/, 'a printable prompt id without spaces').default('accept-call'),
  /** Call records (CallReceived, RouteDecided…) appended concurrently, off the routing decision's path. */
  ROUTER_RECORD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Calls whose records one write creates together (one statement, one commit): fewer WAL flushes under load. */
  ROUTER_RECORD_BATCH: z.coerce.number().int().min(1).max(1_000).default(100),
  /**
   * Records waiting beyond this make `route` wait for its own record (back-pressure) instead of letting
   * memory grow while PostgreSQL is slow or down.
   */
  ROUTER_RECORD_MAX_BACKLOG: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
  /**
   * How `call-router.route` is served over NATS: `raw` (a plain queue subscription, same wire format as
   * Nest's transport; joins the queue group only once the replicas are caught up) or `nest` (@MessagePattern).
   */
  ROUTER_ROUTE_TRANSPORT: z.enum(['raw', 'nest']).default('raw'),
});
export type CallRouterConfig = z.infer<typeof CallRouterConfigSchema>;

/** The full config from what a test or tool passes (the base config, maybe some router settings): defaults for the rest. */
export function callRouterConfigOf(config: BaseConfig & Partial<CallRouterConfig>): CallRouterConfig {
  return { ...CallRouterConfigSchema.parse({}), ...config };
}
