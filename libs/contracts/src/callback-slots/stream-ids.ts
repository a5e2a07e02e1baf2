// Stream ids of the callback-slots service. The time slot stream id IS the capacity invariant's lock:
// every booking of one occurrence must land in the same stream, so the instant is written one way only.
import { TenantIdSchema } from '../tenant';
import { CallSlotIdSchema, IsoInstantSchema, OfferSessionIdSchema } from './call-slot-definition';

export const CALL_SLOT_STREAM_PREFIX = 'callslot';
export const TIME_SLOT_STREAM_PREFIX = 'timeslot';
export const BLACKLIST_STREAM_PREFIX = 'blacklist';
export const OFFER_SESSION_STREAM_PREFIX = 'offersession';

/** `toCallSlotStreamId('acme', 'support-uk')` is `callslot-acme-support-uk`. */
export const toCallSlotStreamId = (tenantId: string, callSlotId: string): string =>
  `${CALL_SLOT_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${CallSlotIdSchema.parse(callSlotId)}`;

/**
 * One stream per occurrence: `timeslot-{tenant}-{callSlotId}-{startIso}` (DESIGN.md).
 * `toTimeSlotStreamId('acme', 'support-uk', '2026-11-23T09:00:00.000Z')` is
 * `timeslot-acme-support-uk-2026-11-23T09:00:00.000Z`.
 *
 * `startIso` may carry any offset; it is rewritten as the UTC instant with milliseconds, so
 * `2026-11-23T10:00:00+01:00` and `2026-11-23T09:00:00Z` name the same stream. Two spellings of one
 * instant naming two streams would let one occurrence be booked twice over capacity.
 */
export const toTimeSlotStreamId = (tenantId: string, callSlotId: string, startIso: string): string =>
  `${TIME_SLOT_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${CallSlotIdSchema.parse(callSlotId)}-${canonicalUtcInstant(startIso)}`;

/** `blacklist-{tenant}`: one blacklist per tenant. */
export const toBlacklistStreamId = (tenantId: string): string => `${BLACKLIST_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}`;

/** `offersession-{tenant}-{sessionId}`: the reporting events of one IVR offer dialogue. */
export const toOfferSessionStreamId = (tenantId: string, sessionId: string): string =>
  `${OFFER_SESSION_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${OfferSessionIdSchema.parse(sessionId)}`;

/**
 * The UTC `toISOString()` form of an ISO 8601 instant with an explicit offset; throws on anything
 * else. zod checks the calendar (Date.parse alone would read 2026-02-30 as 2 March).
 */
export function canonicalUtcInstant(iso: string): string {
  if (!IsoInstantSchema.safeParse(iso).success) throw new RangeError(`not an ISO 8601 instant with offset: "${iso}"`);
  return new Date(Date.parse(iso)).toISOString();
}
