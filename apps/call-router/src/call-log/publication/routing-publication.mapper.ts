// What one stored routing event becomes on JetStream: the message on `routing.{tenant}.{number}.{type}`
// and a copy per agent on `routing-agent.{tenant}.{agentId}.{type}`, with their message ids and headers.
// Pure, so the contract (subjects, ids, headers, body) is specified by a unit test.
import {
  ROUTING_AGENT_STREAM,
  ROUTING_PUBLICATION_HEADERS,
  ROUTING_PUBLICATION_VERSION,
  ROUTING_STREAM,
  isRoutingEventType,
  parseCallRouterEvent,
  routingAgentCopyMessageId,
  routingAgentEventSubject,
  routingEventSubject,
  routingMessageId,
  type RoutingEvent,
  type RoutingMessage,
} from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';

export type RoutingPublication = {
  /** The message itself, or a per-agent copy. */
  readonly kind: 'event' | 'agentCopy';
  /** The stream that must store it (publishing into any other is refused). */
  readonly stream: string;
  readonly subject: string;
  /** `Nats-Msg-Id`: JetStream drops a republished duplicate within its window. */
  readonly msgId: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

/**
 * The messages of one stored event, main message first; [] for an event that is not a routing event.
 * Throws when a routing event's data breaks its contract (our own store: a bug, never skipped silently).
 */
export function routingPublicationsOf(event: RecordedEvent): RoutingPublication[] {
  if (!isRoutingEventType(event.type)) return [];
  const parsed = parseCallRouterEvent(event) as RoutingEvent;
  const message: RoutingMessage = {
    id: event.id,
    type: parsed.type,
    version: event.version,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    actor: event.actor,
    data: parsed.data,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
  };
  const body = JSON.stringify(message);
  const agentIds = [...new Set(parsed.data.agentIds)];
  const headers: Record<string, string> = { [ROUTING_PUBLICATION_HEADERS.publicationVersion]: String(ROUTING_PUBLICATION_VERSION) };
  if (agentIds.length > 0) headers[ROUTING_PUBLICATION_HEADERS.agentIds] = agentIds.join(',');
  return [
    {
      kind: 'event' as const,
      stream: ROUTING_STREAM,
      subject: routingEventSubject(event.tenantId, parsed.data.number, parsed.type),
      msgId: routingMessageId(event.id),
      headers,
      body,
    },
    ...agentIds.map((agentId) => ({
      kind: 'agentCopy' as const,
      stream: ROUTING_AGENT_STREAM,
      subject: routingAgentEventSubject(event.tenantId, agentId, parsed.type),
      msgId: routingAgentCopyMessageId(event.id, agentId),
      headers: { ...headers, [ROUTING_PUBLICATION_HEADERS.originalEventId]: event.id },
      body,
    })),
  ];
}
