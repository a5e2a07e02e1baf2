// Specification of the routing publication contract: subjects by tenant, number and type; a copy per agent;
// message ids that make republishing harmless; the body every subscriber parses.
import { CallEndedEvent, LegRingingEvent, ROUTING_AGENT_STREAM, ROUTING_STREAM, parseRoutingMessage, toCallStreamId, type EventEnvelope } from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import { routingPublicationsOf } from './routing-publication.mapper';

const ADA = '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a';
const BOB = '1b4e28ba-2fa1-4d2b-9b7e-2a7c5f0a4c11';

const recorded = (event: Pick<EventEnvelope, 'type' | 'data'>, revision = 3): RecordedEvent => ({
  id: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
  type: event.type,
  version: 1,
  tenantId: 'acme',
  occurredAt: '2026-11-23T09:00:07.500Z',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  causationId: null,
  actor: 'service:sip-edge',
  data: event.data,
  streamId: toCallStreamId('acme', 'a84b4c76e66710@pbx.acme.test'),
  revision,
  position: '42',
});

describe('routingPublicationsOf', () => {
  const ended = recorded({ type: 'CallEnded', data: { ...CallEndedEvent.example, agentIds: [ADA, BOB, ADA] } }, 6);
  const [main, ...copies] = routingPublicationsOf(ended);

  it('publishes once on routing.{tenant}.{number digits}.{type} in stream ROUTING, id = event id', () => {
    expect(main).toMatchObject({
      kind: 'event',
      stream: ROUTING_STREAM,
      subject: 'routing.acme.441234567000.CallEnded',
      msgId: ended.id,
      headers: { 'CC-Routing-Publication': '1', 'CC-Agent-Ids': `${ADA},${BOB}` },
    });
  });

  it('copies it once per agent concerned on routing-agent.{tenant}.{agentId}.{type}, with its own id', () => {
    expect(copies).toEqual([
      {
        kind: 'agentCopy',
        stream: ROUTING_AGENT_STREAM,
        subject: `routing-agent.acme.${ADA}.CallEnded`,
        msgId: `${ended.id}:${ADA}`,
        headers: { 'CC-Routing-Publication': '1', 'CC-Agent-Ids': `${ADA},${BOB}`, 'CC-Routing-Event-Id': ended.id },
        body: main!.body,
      },
      expect.objectContaining({ subject: `routing-agent.acme.${BOB}.CallEnded`, msgId: `${ended.id}:${BOB}` }),
    ]);
  });

  it('the body is the envelope with the call stream and revision, and parses with the public contract', () => {
    const { message, event } = parseRoutingMessage(JSON.parse(main!.body));
    expect(message).toEqual({
      id: ended.id,
      type: 'CallEnded',
      version: 1,
      tenantId: 'acme',
      occurredAt: ended.occurredAt,
      correlationId: ended.correlationId,
      causationId: null,
      actor: 'service:sip-edge',
      data: ended.data,
      streamId: ended.streamId,
      revision: 6,
      position: '42',
    });
    expect(event.type).toBe('CallEnded');
  });

  it('an event that concerns no agent has no copies and no agent header', () => {
    const ringing = routingPublicationsOf(recorded({ type: 'LegRinging', data: { ...LegRingingEvent.example, agentIds: [] } }));
    expect(ringing).toHaveLength(1);
    expect(ringing[0]!.headers).toEqual({ 'CC-Routing-Publication': '1' });
  });

  it('other events of the store are not routing events: nothing to publish', () => {
    expect(routingPublicationsOf(recorded({ type: 'CallFlowPublished', data: {} }))).toEqual([]);
  });

  it('refuses a routing event whose data breaks its contract', () => {
    expect(() => routingPublicationsOf(recorded({ type: 'CallEnded', data: { callId: 'x' } }))).toThrow();
  });
});
