// Relay publishing on a real JetStream: the event id is the Nats-Msg-Id, so a republish is stored once.
import type { RecordedEvent } from '@cc/event-store';
import type { NatsConnection } from 'nats';
import { deleteNamespaceStreams, publishedEvent, testConnection, uniqueName } from '../test/messaging-test.fixture';
import { jetStreamNames } from './jetstream-names.builder';
import { ensureJetStreamStreams } from './jetstream-streams.provisioner';
import { PublishedEventSchema } from './published-event.schema';
import { publishRecordedEvents } from './recorded-event.publisher';

jest.setTimeout(30_000);

describe('publishRecordedEvents (real JetStream)', () => {
  let nc: NatsConnection;
  let namespace: string;

  beforeAll(async () => {
    nc = await testConnection();
  });
  afterAll(async () => {
    await nc.close();
  });
  beforeEach(async () => {
    namespace = uniqueName();
    await ensureJetStreamStreams(nc, ['divert'], { namespace });
  });
  afterEach(async () => {
    await deleteNamespaceStreams(nc, namespace);
  });

  const recorded = (tenant: string, revision: number): RecordedEvent => publishedEvent(tenant, { revision });

  it('stores an event published twice with the same id only once', async () => {
    const names = jetStreamNames(namespace);
    const tenant = uniqueName();
    const event = recorded(tenant, 0);
    const js = nc.jetstream();

    const first = await publishRecordedEvents(js, { service: 'divert', names, events: [event] });
    const again = await publishRecordedEvents(js, { service: 'divert', names, events: [event] });

    expect(first).toMatchObject({ stored: 1, duplicates: 0 });
    expect(again).toMatchObject({ stored: 0, duplicates: 1 });
    const jsm = await nc.jetstreamManager();
    const stream = names.eventStream('divert');
    expect((await jsm.streams.info(stream)).state.messages).toBe(1);
    const stored = await jsm.streams.getMessage(stream, { seq: first.acks[0]!.seq });
    expect(stored.subject).toBe(`${namespace}.evt.divert.${tenant}.DivertRuleSet`);
    expect(stored.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(PublishedEventSchema.parse(stored.json())).toEqual(event);
  });

  it('publishes a batch in store order and strips fields that are not part of the published shape', async () => {
    const names = jetStreamNames(namespace);
    const tenant = uniqueName();
    const events = Array.from({ length: 50 }, (_, revision) => ({ ...recorded(tenant, revision), adapterInternal: 'x' }));

    const outcome = await publishRecordedEvents(nc.jetstream(), { service: 'divert', names, events });

    expect(outcome).toMatchObject({ stored: 50, duplicates: 0 });
    const jsm = await nc.jetstreamManager();
    const stream = names.eventStream('divert');
    const bodies = [];
    for (const ack of outcome.acks) bodies.push((await jsm.streams.getMessage(stream, { seq: ack.seq })).json<Record<string, unknown>>());
    expect(outcome.acks.map((a) => a.seq)).toEqual([...outcome.acks.map((a) => a.seq)].sort((a, b) => a - b));
    expect(bodies.map((b) => b['revision'])).toEqual(events.map((e) => e.revision));
    expect(bodies.every((b) => !('adapterInternal' in b))).toBe(true);
  });

  it('rejects when the subject is not captured by the service stream (nothing silently lost)', async () => {
    const names = jetStreamNames(namespace);
    const event = recorded(uniqueName(), 0);

    // The schedule stream does not exist in this namespace: JetStream has no responder for its subject.
    await expect(publishRecordedEvents(nc.jetstream(), { service: 'schedule', names, events: [event] })).rejects.toThrow();
  });
});
