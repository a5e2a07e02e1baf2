// The HTTP contract between the Kamailio SIP edge (deploy/kamailio) and the call-router: the routing query
// (`POST /v1/sip/rtjson`) and the call-progress events the edge posts (`POST /v1/calls/{Call-ID}/events`).
// The edge serves every tenant: the tenant comes from the dialled number (and, for events, from the call),
// never from its token, which is a service credential holding the `sipEdge` privilege.
import { z } from 'zod';

/** The privilege a SERVICE token needs to act as the SIP edge (checked explicitly: SERVICE holds no others implicitly here). */
export const SIP_EDGE_PRIVILEGE = 'sipEdge';

const SipToken = z.string().min(1).max(256);

/** `POST /v1/sip/rtjson`: what Kamailio knows about a new INVITE. */
export const SipRouteQuerySchema = z.object({
  /** The Call-ID: the call's key, events use it too. */
  callId: z.string().min(1).max(256),
  /** The dialled number (R-URI user): identifies tenant and call flow. E.164 with or without "+". */
  did: z.string().min(1).max(64),
  requestUri: z.string().max(1024).optional(),
  toUser: SipToken.optional(),
  /** The CLI (From user); `anonymous` when withheld. */
  fromUser: SipToken.optional(),
  fromDisplay: z.string().max(256).optional(),
  /** P-Asserted-Identity user (trusted carriers): preferred over `fromUser`. */
  assertedUser: SipToken.optional(),
  /** `id`: the caller withheld the CLI. */
  privacy: z.string().max(64).optional(),
  sourceIp: z.string().max(64).optional(),
});
export type SipRouteQuery = z.infer<typeof SipRouteQuerySchema>;

export const SIP_EDGE_EVENT_TYPES = ['answered', 'no-answer', 'busy', 'unreachable', 'declined', 'failed', 'hangup'] as const;

/**
 * `POST /v1/calls/{callId}/events` from the edge. `id` is md5(Call-ID|type|leg): the same event sent twice
 * has the same id (deduplicated). `leg` indexes the routes of the rtjson document the edge got; absent for
 * a BYE and for a failed parallel step. `at` is Unix seconds with microseconds.
 */
export const SipEdgeEventSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/, 'md5 hex of Call-ID|type|leg'),
  type: z.enum(SIP_EDGE_EVENT_TYPES),
  sipCallId: z.string().min(1).max(256),
  leg: z.number().int().min(0).max(255).optional(),
  sipStatus: z.number().int().min(100).max(699).optional(),
  by: z.enum(['caller', 'callee']).optional(),
  at: z.number().positive().optional(),
});
export type SipEdgeEvent = z.infer<typeof SipEdgeEventSchema>;

/** The answer to an edge event (202): applied, a repeat of one already applied, or one the router ignores. */
export const SipEdgeEventAckSchema = z.strictObject({
  callId: z.string(),
  outcome: z.enum(['applied', 'duplicate', 'ignored']),
  /** What it did to the call: the step it is at now, or how it ended. */
  note: z.string(),
});
export type SipEdgeEventAck = z.infer<typeof SipEdgeEventAckSchema>;

export const exampleSipRouteQuery: SipRouteQuery = {
  callId: 'a84b4c76e66710@carrier.example',
  did: '+442071234567',
  requestUri: 'sip:+442071234567@edge.example',
  toUser: '+442071234567',
  fromUser: '+447700900123',
  fromDisplay: 'Alice',
  assertedUser: '+447700900123',
  privacy: 'id',
  sourceIp: '192.0.2.10',
};
export const exampleSipEdgeEvent: SipEdgeEvent = {
  id: '5d41402abc4b2a76b9719d911017c592',
  type: 'busy',
  sipCallId: 'a84b4c76e66710@carrier.example',
  leg: 0,
  sipStatus: 486,
  at: 1767225600.123456,
};
SipRouteQuerySchema.parse(exampleSipRouteQuery);
SipEdgeEventSchema.parse(exampleSipEdgeEvent);
