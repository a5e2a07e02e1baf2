// Subjects of the call-router's public routing events and stream ids of its aggregates. Subscribers
// filter by tenant and dialled number on the main subject, by agent on the per-agent fan-out subject.
import { TenantIdSchema } from '../tenant';
import { numberDigitsOf } from './call-flow';

const token = (s: string, what: string): string => {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw new Error(`not a NATS subject token (${what}): "${s}"`);
  return s;
};

/** JetStream stream holding every routing event once. */
export const ROUTING_STREAM = 'ROUTING';
export const ROUTING_SUBJECTS = 'routing.>';
/** JetStream stream holding the per-agent copies (shorter retention: a convenience index, not the record). */
export const ROUTING_AGENT_STREAM = 'ROUTING_AGENT';
export const ROUTING_AGENT_SUBJECTS = 'routing-agent.>';

/**
 * `routing.{tenant}.{numberDigits}.{type}`: every routing event of a call, once, on the number dialled.
 * `routingEventSubject('acme', '+441234567000', 'CallEnded')` is `routing.acme.441234567000.CallEnded`.
 * Filters: a tenant `routing.acme.>`; a number `routing.acme.441234567000.*`; a type `routing.acme.*.CallEnded`.
 */
export const routingEventSubject = (tenantId: string, number: string, type: string): string =>
  `routing.${TenantIdSchema.parse(tenantId)}.${numberDigitsOf(number)}.${token(type, 'event type')}`;

/** A subscription filter on the main subject; `'*'` leaves a part open. */
export const routingEventFilter = (tenantId: string, number: string | '*' = '*', type: string | '*' = '*'): string =>
  `routing.${TenantIdSchema.parse(tenantId)}.${number === '*' ? '*' : numberDigitsOf(number)}.${type === '*' ? '*' : token(type, 'event type')}`;

/**
 * `routing-agent.{tenant}.{agentId}.{type}`: a copy of each routing event for every agent in its
 * `agentIds` (a group ring concerns several agents, so an agent cannot be a single token of the main
 * subject without publishing duplicates there). Filter an agent with `routing-agent.acme.{agentId}.*`.
 * The copy has the same body and the header `CC-Routing-Event-Id` = the original event id, so a
 * subscriber of both subjects can drop duplicates.
 */
export const routingAgentEventSubject = (tenantId: string, agentId: string, type: string): string =>
  `routing-agent.${TenantIdSchema.parse(tenantId)}.${token(agentId, 'agent id')}.${token(type, 'event type')}`;

/** Headers on every routing message: the agents it concerns (comma-separated), for client-side filters. */
export const ROUTING_HEADERS = {
  agentIds: 'CC-Agent-Ids',
  originalEventId: 'CC-Routing-Event-Id',
} as const;

/** `callflow-{tenant}-{numberDigits}`: the published versions of one number's flow. */
export const toCallFlowStreamId = (tenantId: string, number: string): string =>
  `callflow-${TenantIdSchema.parse(tenantId)}-${numberDigitsOf(number)}`;

/**
 * `call-{tenant}-{callIdKey}`: the routing events of one call. The telephony call id is opaque (it may
 * hold `@`, `-`, `/`), so it is hex-encoded: the stream id stays unambiguous and printable.
 */
export const toCallStreamId = (tenantId: string, callId: string): string =>
  `call-${TenantIdSchema.parse(tenantId)}-${Buffer.from(callId, 'utf8').toString('hex')}`;
