// The relay's promise on a real PostgreSQL store and JetStream: the checkpoint moves only after JetStream
// acknowledged the events, so an outage stalls the relay, loses nothing, and it catches up by itself.
import type { EventEnvelope } from '@cc/contracts';
import { PostgresEventStore } from '@cc/event-store';
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { Collector, DATABASE_URL, deleteNamespaceStreams, testConnection, uniqueName, uniqueSchema } from '../test/messaging-test.fixture';
import { EventRelay, relayCheckpointName } from './event.relay';
import { jetStreamNames } from './jetstream-names.builder';
import { ensureJetStreamStreams } from './jetstream-streams.provisioner';
import type { MessagingLogger } from './messaging.logger';

jest.setTimeout(60_000);

describe('EventRelay (real PostgreSQL + JetStream)', () => {
  let nc: NatsConnection;
  let store: PostgresEventStore;
  let namespace: string;
  let tenant: string;
  let relay: EventRelay | null = null;

  beforeEach(async () => {
    nc = await testConnection();
    namespace = uniqueName();
    tenant = uniqueName();
    store = await PostgresEventStore.create({ connectionString: DATABASE_URL, schema: uniqueSchema() });
  });
  afterEach(async () => {
    await relay?.stop();
    relay = null;
    await store.dropSchema();
    await store.close();
    await deleteNamespaceStreams(nc, namespace);
    await nc.close();
  });

  const event = (n: number): EventEnvelope => ({
    id: randomUUID(),
    type: 'DivertRuleSet',
    version: 1,
    tenantId: tenant,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: null,
    data: { n },
  });

  it('stalls while JetStream refuses the batch, keeps the checkpoint, and publishes everything once it can', async () => {
    const errors = new Collector<string>();
    const logger: MessagingLogger = { info: () => undefined, warn: () => undefined, error: (_f, message) => errors.push(message) };
    const metrics = new Registry();
    await store.append(`divert-${tenant}-1`, [event(0), event(1), event(2)], 'no_stream');
    relay = new EventRelay({ store, nc, service: 'divert', namespace, logger, metrics });

    // No stream exists yet in this namespace: every publish fails.
    await relay.start();
    await errors.until(1);
    expect(relay.status()).toMatchObject({ running: true, storedTotal: 0, lastPublishedPosition: null });
    expect(relay.status().failedBatches).toBeGreaterThanOrEqual(1);
    expect(relay.status().lastError).not.toBeNull();

    await ensureJetStreamStreams(nc, ['divert'], { namespace });
    await store.append(`divert-${tenant}-1`, [event(3)], 2);
    await relay.caughtUp();

    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(jetStreamNames(namespace).eventStream('divert'))).state.messages).toBe(4);
    const status = relay.status();
    expect(status).toMatchObject({ storedTotal: 4, duplicateTotal: 0, lastError: null, checkpointName: relayCheckpointName('divert') });
    expect(status.lastPublishedPosition).not.toBeNull();
    expect(status.lastDelayMs).toBeGreaterThanOrEqual(0);
    const text = await metrics.metrics();
    expect(text).toContain(`cc_event_relay_published_total{relay="relay-divert",outcome="stored"} 4`);
    expect(text).toMatch(/cc_event_relay_batch_failures_total\{relay="relay-divert"\} [1-9]/);
  });

  it('with streamPrefixes, publishes only the events of those streams and moves past the others', async () => {
    await ensureJetStreamStreams(nc, ['divert'], { namespace });
    await store.append(`divert-${tenant}-1`, [event(0)], 'no_stream');
    await store.append(`other-${tenant}-1`, [event(1), event(2)], 'no_stream');
    await store.append(`divert-${tenant}-2`, [event(3)], 'no_stream');
    relay = new EventRelay({ store, nc, service: 'divert', namespace, streamPrefixes: ['divert-'], logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });

    await relay.start();
    await relay.caughtUp();

    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(jetStreamNames(namespace).eventStream('divert'))).state.messages).toBe(2);
    expect(relay.status()).toMatchObject({ storedTotal: 2, lastError: null });
  });

  it('refuses to start twice, and stop() is safe to repeat', async () => {
    await ensureJetStreamStreams(nc, ['divert'], { namespace });
    relay = new EventRelay({ store, nc, service: 'divert', namespace });
    await relay.start();
    await expect(relay.start()).rejects.toThrow(/already running/);
    await relay.stop();
    await relay.stop();
    expect(relay.status().running).toBe(false);
    await expect(relay.caughtUp()).rejects.toThrow(/not running/);
  });
});
