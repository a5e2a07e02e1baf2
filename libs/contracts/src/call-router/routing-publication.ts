// The wire contract of routing events on JetStream (issue 10): which store streams are published, the
// message body, headers and message ids, and how long JetStream keeps them. Subscribers validate with this.
import { z } from 'zod';
import { EventEnvelopeSchema } from '../envelope';
import { ROUTING_EVENTS, parseCallRouterEvent, type RoutingEvent, type RoutingEventType } from './events';
import { ROUTING_HEADERS } from './routing-subjects';

/**
 * Version of the publication format (body fields, subjects, headers, message ids). A subscriber that
 * understands v1 keeps working until it changes; the events inside carry their own versions.
 */
export const ROUTING_PUBLICATION_VERSION = 1 as const;

/** Stream ids of calls (`toCallStreamId`) start with this: the publication follows exactly these streams. */
export const CALL_STREAM_PREFIX = 'call-';

export const ROUTING_EVENT_TYPES = ROUTING_EVENTS.map((definition) => definition.type) as [RoutingEventType, ...RoutingEventType[]];
export const RoutingEventTypeSchema = z.enum(ROUTING_EVENT_TYPES);

const ROUTING_EVENT_TYPE_SET: ReadonlySet<string> = new Set(ROUTING_EVENT_TYPES);
export const isRoutingEventType = (type: string): type is RoutingEventType => ROUTING_EVENT_TYPE_SET.has(type);

/**
 * The JSON body of every message on `routing.{tenant}.{number}.{type}` and its per-agent copies: the event
 * envelope plus where it sits in the router's store. `streamId` is the call's stream, `revision` its
 * position in the call (0 = CallReceived), so a subscriber orders and deduplicates by (streamId, revision).
 * Example: `{"id":"…","type":"CallEnded","version":1,"tenantId":"acme","occurredAt":"…","correlationId":"…",
 * "causationId":"…","actor":null,"data":{…},"streamId":"call-acme-6138…","revision":6,"position":"…"}`.
 */
export const RoutingMessageSchema = EventEnvelopeSchema.extend({
  type: RoutingEventTypeSchema,
  streamId: z.string().startsWith(CALL_STREAM_PREFIX),
  revision: z.number().int().nonnegative(),
  position: z.string().min(1),
});
export type RoutingMessage = z.infer<typeof RoutingMessageSchema>;

/**
 * Validates a received body: the envelope, the event type and version, and the event data against its
 * schema. Throws (a zod error or an unsupported version) so a consumer can dead-letter the message.
 */
export function parseRoutingMessage(json: unknown): { message: RoutingMessage; event: RoutingEvent } {
  const message = RoutingMessageSchema.parse(json);
  const event = parseCallRouterEvent(message) as RoutingEvent;
  return { message: { ...message, data: event.data }, event };
}

/**
 * `Nats-Msg-Id` of a message: the event id on the main subject (JetStream drops a republished duplicate),
 * `{eventId}:{agentId}` for the per-agent copy (one event has one copy per agent in the same stream).
 */
export const routingMessageId = (eventId: string): string => eventId;
export const routingAgentCopyMessageId = (eventId: string, agentId: string): string => `${eventId}:${agentId}`;

/** Headers of routing messages (values are strings). */
export const ROUTING_PUBLICATION_HEADERS = {
  ...ROUTING_HEADERS,
  /** The publication format version, `1`. */
  publicationVersion: 'CC-Routing-Publication',
} as const;

/**
 * How long JetStream keeps routing messages. JetStream is not the record (the router's store is), so this
 * bounds how far back a new subscriber can start; the per-agent copies are a convenience index.
 */
export const ROUTING_RETENTION = { routingMaxAgeDays: 30, agentCopyMaxAgeDays: 7 } as const;

export const exampleRoutingMessage: RoutingMessage = {
  id: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
  type: 'CallEnded',
  version: 1,
  tenantId: 'acme',
  occurredAt: '2026-11-23T09:03:07.200Z',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  causationId: null,
  actor: 'service:sip-edge',
  data: ROUTING_EVENTS.find((definition) => definition.type === 'CallEnded')!.example,
  streamId: 'call-acme-6138346234633736653636373130407062782e61636d652e74657374',
  revision: 6,
  position: '0000000000000815:0000000000000000',
};
RoutingMessageSchema.parse(exampleRoutingMessage);
