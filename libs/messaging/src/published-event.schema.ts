// The JSON body of every event the relay puts on JetStream. Defined here until libs/contracts owns it
// (asked of the lead): consumers validate with it, the relay writes exactly these fields.
import { EventEnvelopeSchema } from '@cc/contracts';
import { z } from 'zod';

/**
 * An event envelope plus where it sits in its service's event store.
 * Example:
 * `{"id":"0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21","type":"DivertRuleSet","version":1,"tenantId":"acme",
 *   "occurredAt":"2026-11-23T09:00:00.000Z","correlationId":"c0ffee00-…","causationId":null,
 *   "actor":"user:admin@acme.test","data":{…},"streamId":"divert-acme-2001","revision":3,"position":"…"}`
 */
export const PublishedEventSchema = EventEnvelopeSchema.extend({
  /** The aggregate stream (`divert-acme-2001`): order and dedup by (streamId, revision). */
  streamId: z.string().min(1),
  revision: z.number().int().nonnegative(),
  /** The store's opaque global position (compare only with the store's comparePositions). */
  position: z.string().min(1),
});
export type PublishedEvent = z.infer<typeof PublishedEventSchema>;
