// Walking skeleton: service A appends to its PostgreSQL event store, the relay (the store is the outbox)
// puts the events on JetStream, service B's durable consumer gets every event exactly once and in order
// per stream, across a relay stop/restart mid-stream and a full republish.
import type { EventEnvelope } from '@cc/contracts';
import { PostgresEventStore } from '@cc/event-store';
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import {
  Collector,
  DATABASE_URL,
  deleteNamespaceStreams,
  recordingLogger,
  testConnection,
  uniqueName,
  uniqueSchema,
} from '../test/messaging-test.fixture';
import { EventRelay } from './event.relay';
import { jetStreamNames } from './jetstream-names.builder';
import { ensureJetStreamStreams } from './jetstream-streams.provisioner';
import { startJetStreamConsumer, type JetStreamConsumerHandle } from './jetstream.consumer';
import { PublishedEventSchema, type PublishedEvent } from './published-event.schema';

jest.setTimeout(120_000);

const AGGREGATES = 10;

describe('walking skeleton: event store → relay → JetStream → consumer', () => {
  let nc: NatsConnection;
  let store: PostgresEventStore;
  let namespace: string;
  let tenant: string;
  const relays: EventRelay[] = [];
  let consumer: JetStreamConsumerHandle | null = null;

  beforeEach(async () => {
    nc = await testConnection();
    namespace = uniqueName();
    tenant = uniqueName();
    store = await PostgresEventStore.create({ connectionString: DATABASE_URL, schema: uniqueSchema() });
    await ensureJetStreamStreams(nc, ['divert'], { namespace });
  });

  afterEach(async () => {
    await consumer?.stop();
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await store.dropSchema();
    await store.close();
    await deleteNamespaceStreams(nc, namespace);
    await nc.close();
  });

  const streamIdOf = (aggregate: number) => `divert-${tenant}-${2000 + aggregate}`;

  /** Appends events n = from..to-1 round-robin over the aggregates, each with the right expected revision. */
  async function append(from: number, to: number): Promise<string[]> {
    const ids: string[] = [];
    for (let n = from; n < to; n++) {
      const aggregate = n % AGGREGATES;
      const revision = Math.floor(n / AGGREGATES);
      const event: EventEnvelope = {
        id: randomUUID(),
        type: 'DivertRuleSet',
        version: 1,
        tenantId: tenant,
        occurredAt: new Date(Date.UTC(2026, 10, 23, 9, 0, 0, n)).toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        actor: 'user:admin@acme.test',
        data: { n, aggregate },
      };
      await store.append(streamIdOf(aggregate), [event], revision === 0 ? 'no_stream' : revision - 1);
      ids.push(event.id);
    }
    return ids;
  }

  const startRelay = async (checkpointName: string) => {
    const relay = new EventRelay({ store, nc, service: 'divert', namespace, checkpointName, batchSize: 16, logger: recordingLogger() });
    relays.push(relay);
    await relay.start();
    return relay;
  };

  it('delivers every appended event exactly once, in order per stream, across a relay restart and a republish', async () => {
    const names = jetStreamNames(namespace);
    const received = new Collector<PublishedEvent>();
    consumer = await startJetStreamConsumer({
      nc,
      namespace,
      stream: names.eventStream('divert'),
      durable: `service-b-${randomUUID().slice(0, 8)}`,
      filterSubject: names.eventFilter('divert', tenant),
      schema: PublishedEventSchema,
      logger: recordingLogger(),
      handler: async (event) => received.push(event),
    });
    const checkpoint = `relay-divert-${randomUUID().slice(0, 8)}`;

    // Service A writes 200 events while the first relay runs; it is stopped once B has about half.
    const first = await startRelay(checkpoint);
    const appendingFirst200 = append(0, 200);
    await received.until(100);
    await first.stop();
    const appended = await appendingFirst200;

    // A new relay instance with the same checkpoint resumes; A writes 100 more.
    const second = await startRelay(checkpoint);
    appended.push(...(await append(200, 300)));
    await second.caughtUp();
    await received.until(300);

    // A relay that lost its checkpoint republishes everything: JetStream drops all of it by Nats-Msg-Id.
    const replay = await startRelay(`${checkpoint}-lost`);
    await replay.caughtUp();
    await replay.stop();
    await consumer.stop();

    const ids = received.items.map((e) => e.id);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(new Set(ids)).toEqual(new Set(appended));
    for (let aggregate = 0; aggregate < AGGREGATES; aggregate++) {
      const revisions = received.items.filter((e) => e.streamId === streamIdOf(aggregate)).map((e) => e.revision);
      expect(revisions).toEqual(Array.from({ length: 30 }, (_, r) => r));
    }
    expect(first.status().storedTotal).toBeGreaterThan(0);
    expect(first.status().storedTotal + second.status().storedTotal).toBe(300);
    expect(replay.status()).toMatchObject({ storedTotal: 0, duplicateTotal: 300 });
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(names.eventStream('divert'))).state.messages).toBe(300);
    expect(await consumer.info()).toMatchObject({ handled: 300, numPending: 0, numAckPending: 0, numRedelivered: 0 });
  });
});
