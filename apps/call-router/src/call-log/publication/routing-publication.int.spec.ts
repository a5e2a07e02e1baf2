// The routing publication on real PostgreSQL and JetStream: a full simulated call's events, appended to the
// router's store, reach a subscriber of `routing.<tenant>.>` complete and in order (Nats-Msg-Id = event
// id), each agent's copies reach `routing-agent.<tenant>.<agent>.>`, and republishing is deduplicated.
import { randomUUID } from 'node:crypto';
import { headers as natsHeaders, type JsMsg } from 'nats';
import { ROUTING_AGENT_STREAM, ROUTING_STREAM, parseRoutingMessage, routingEventFilter, toCallStreamId, type RoutingMessage } from '@cc/contracts';
import { uniqueTenant } from '@cc/testing';
import { appendCall, cleanUpTenant, idsOf, settled, startCallLogTestApp, type CallLogTestApp } from '../testing/call-log-test-app';
import { RoutingCallScript, type ScriptedAgent } from '../testing/routing-call.script';
import { routingPublicationsOf } from './routing-publication.mapper';

jest.setTimeout(60_000);

const decoder = new TextDecoder();

describe('routing events on JetStream', () => {
  let app: CallLogTestApp;
  let tenant: string;
  const ada: ScriptedAgent = { agentId: randomUUID(), extension: '2001' };
  const bob: ScriptedAgent = { agentId: randomUUID(), extension: '2002' };

  beforeAll(async () => {
    app = await startCallLogTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    tenant = uniqueTenant();
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  /** Reads `count` messages of a stream matching `filter`, from its start (an ordered, ephemeral consumer). */
  async function read(stream: string, filter: string, count: number): Promise<JsMsg[]> {
    const consumer = await app.nc.jetstream().consumers.get(stream, { filterSubjects: filter });
    const messages: JsMsg[] = [];
    const iterator = await consumer.consume();
    for await (const message of iterator) {
      messages.push(message);
      if (messages.length === count) break;
    }
    await iterator.close();
    return messages;
  }

  const body = (message: JsMsg): RoutingMessage => parseRoutingMessage(JSON.parse(decoder.decode(message.data))).message;

  it('a full call appears in order for a subscriber of routing.<tenant>.>, subjects by number and type', async () => {
    const call = new RoutingCallScript(tenant, `call-${randomUUID()}@pbx.test`, '+441234567000')
      .received()
      .decided([ada, bob])
      .ringing(ada)
      .ringing(bob)
      .answered(ada, 6)
      .ended('answered', { talkSeconds: 95, answeredBy: ada });
    await appendCall(app, call);
    await settled(app);

    const messages = await read(ROUTING_STREAM, routingEventFilter(tenant), call.events.length);
    expect(messages.map((m) => m.subject)).toEqual(call.events.map((e) => `routing.${tenant}.441234567000.${e.type}`));
    expect(messages.map((m) => m.headers?.get('Nats-Msg-Id'))).toEqual(idsOf(call.events));
    const bodies = messages.map(body);
    expect(bodies.map((b) => [b.type, b.revision, b.streamId])).toEqual(call.events.map((e, revision) => [e.type, revision, toCallStreamId(tenant, call.callId)]));
    expect(bodies[5]).toMatchObject({ id: call.events[5]!.id, tenantId: tenant, data: { outcome: 'answered', answeredBy: ada.agentId, talkSeconds: 95 } });
    expect(messages[4]!.headers?.get('CC-Agent-Ids')).toBe(ada.agentId);
  });

  it("each agent gets a copy of the events that concern them on routing-agent.<tenant>.<agent>.>", async () => {
    const call = new RoutingCallScript(tenant, `call-${randomUUID()}@pbx.test`).received().decided([ada, bob]).ringing(ada).ringing(bob).stepFailed([ada, bob], 'noAnswer', 30).voicemail(bob).ended('voicemail', { afterSeconds: 20 });
    await appendCall(app, call);
    await settled(app);

    const bobs = await read(ROUTING_AGENT_STREAM, `routing-agent.${tenant}.${bob.agentId}.>`, 4);
    expect(bobs.map((m) => m.subject.split('.').pop())).toEqual(['RouteDecided', 'LegRinging', 'LegFailed', 'VoicemailReached']);
    expect(bobs.map((m) => m.headers?.get('CC-Routing-Event-Id'))).toEqual([call.events[1]!.id, call.events[3]!.id, call.events[4]!.id, call.events[5]!.id]);
    expect(bobs.map((m) => m.headers?.get('Nats-Msg-Id'))).toEqual([1, 3, 4, 5].map((i) => `${call.events[i]!.id}:${bob.agentId}`));
    expect(body(bobs[3]!).data).toMatchObject({ mailbox: { extension: '2002', agentId: bob.agentId } });

    const info = await (await app.nc.jetstreamManager()).streams.info(ROUTING_AGENT_STREAM, { subjects_filter: `routing-agent.${tenant}.${ada.agentId}.>` });
    expect(Object.keys(info.state.subjects ?? {}).sort()).toEqual([
      `routing-agent.${tenant}.${ada.agentId}.LegFailed`,
      `routing-agent.${tenant}.${ada.agentId}.LegRinging`,
      `routing-agent.${tenant}.${ada.agentId}.RouteDecided`,
    ]);
  });

  it('republishing a stored event (a relay restarted before its checkpoint moved) is dropped as a duplicate', async () => {
    const call = new RoutingCallScript(tenant, `call-${randomUUID()}@pbx.test`).received().decided([ada]);
    await appendCall(app, call);
    await settled(app);
    const [stored] = await app.store.readStream(toCallStreamId(tenant, call.callId), { fromRevision: 1, maxCount: 1 });
    const js = app.nc.jetstream();
    for (const message of routingPublicationsOf(stored!)) {
      const h = natsHeaders();
      for (const [name, value] of Object.entries(message.headers)) h.set(name, value);
      const ack = await js.publish(message.subject, message.body, { msgID: message.msgId, headers: h, expect: { streamName: message.stream } });
      expect(ack.duplicate).toBe(true);
    }
  });
});
