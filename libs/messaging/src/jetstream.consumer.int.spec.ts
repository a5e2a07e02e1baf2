// The consumer's contract on a real NATS JetStream: handled once, dead letters with reasons, retries up
// to maxDeliver, idempotency by event id, graceful stop.
import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection } from 'nats';
import {
  Collector,
  collectSubject,
  DATABASE_URL,
  deleteNamespaceStreams,
  dropSchema,
  publishedEvent,
  recordingLogger,
  testConnection,
  uniqueName,
  uniqueSchema,
} from '../test/messaging-test.fixture';
import { DEAD_LETTER_HEADERS } from './dead-letter.publisher';
import { InMemoryProcessedEventStore } from './in-memory-processed-event.store';
import { jetStreamNames, type JetStreamNames } from './jetstream-names.builder';
import { ensureJetStreamStreams } from './jetstream-streams.provisioner';
import { startJetStreamConsumer, type JetStreamConsumerHandle, type JetStreamMessageMeta } from './jetstream.consumer';
import { PgProcessedEventStore } from './pg-processed-event.store';
import type { ProcessedEventStore } from './processed-event.store';
import { PublishedEventSchema, type PublishedEvent } from './published-event.schema';

jest.setTimeout(30_000);

describe('startJetStreamConsumer (real JetStream)', () => {
  let nc: NatsConnection;
  let namespace: string;
  let names: JetStreamNames;
  let tenant: string;
  let durable: string;
  const handles: JetStreamConsumerHandle[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const encoder = new TextEncoder();

  beforeAll(async () => {
    nc = await testConnection();
  });
  afterAll(async () => {
    await nc.close();
  });

  beforeEach(async () => {
    namespace = uniqueName();
    names = jetStreamNames(namespace);
    tenant = uniqueName();
    durable = `c-${randomUUID().slice(0, 8)}`;
    await ensureJetStreamStreams(nc, ['divert'], { namespace });
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await deleteNamespaceStreams(nc, namespace);
  });

  const subjectOf = (event: { tenantId: string; type: string }) => names.eventSubject('divert', event.tenantId, event.type);
  const publishJson = (event: PublishedEvent, msgID = event.id) =>
    nc.jetstream().publish(subjectOf(event), encoder.encode(JSON.stringify(event)), { msgID });

  async function start(
    handler: (payload: PublishedEvent, meta: JetStreamMessageMeta) => Promise<void>,
    extra: { maxDeliver?: number; idempotency?: ProcessedEventStore; ackWaitMs?: number } = {},
  ) {
    const logger = recordingLogger();
    const handle = await startJetStreamConsumer({
      nc,
      namespace,
      stream: names.eventStream('divert'),
      durable,
      filterSubject: names.eventFilter('divert', tenant),
      schema: PublishedEventSchema,
      backoffMs: [10],
      logger,
      handler,
      ...extra,
    });
    handles.push(handle);
    return { handle, logger };
  }

  async function stopAndReadServer(handle: JetStreamConsumerHandle) {
    await handle.stop();
    return handle.info();
  }

  it('handles each valid message once, in stream order, and acks it', async () => {
    const seen = new Collector<{ payload: PublishedEvent; meta: JetStreamMessageMeta }>();
    const { handle } = await start(async (payload, meta) => seen.push({ payload, meta }));
    const events = [0, 1, 2].map((revision) => publishedEvent(tenant, { revision }));
    for (const event of events) await publishJson(event);

    await seen.until(3);
    const info = await stopAndReadServer(handle);

    expect(seen.items.map((s) => s.payload)).toEqual(events);
    expect(seen.items.map((s) => s.meta.eventId)).toEqual(events.map((e) => e.id));
    expect(seen.items.every((s) => s.meta.deliveryCount === 1 && s.meta.consumer === durable)).toBe(true);
    expect(info).toMatchObject({ handled: 3, deadLettered: 0, retried: 0, numPending: 0, numAckPending: 0, numRedelivered: 0 });
  });

  it('dead-letters malformed JSON and schema-invalid messages with a reason, and keeps consuming', async () => {
    const dlq = collectSubject(nc, names.deadLetterSubject(durable));
    cleanups.push(async () => dlq.stop());
    await nc.flush();
    const seen = new Collector<PublishedEvent>();
    const { handle } = await start(async (payload) => seen.push(payload));
    const js = nc.jetstream();
    const subject = names.eventSubject('divert', tenant, 'DivertRuleSet');

    const first = publishedEvent(tenant, { revision: 0 });
    await publishJson(first);
    const malformed = encoder.encode('{"id": "not closed"');
    const malformedAck = await js.publish(subject, malformed);
    const invalid = { ...publishedEvent(tenant, { revision: 1 }), revision: -1, correlationId: 42 };
    const invalidBody = encoder.encode(JSON.stringify(invalid));
    const invalidAck = await js.publish(subject, invalidBody);
    const last = publishedEvent(tenant, { revision: 2 });
    await publishJson(last);

    await Promise.all([seen.until(2), dlq.until(2)]);
    const info = await stopAndReadServer(handle);

    expect(seen.items).toEqual([first, last]);
    const [badJson, badSchema] = dlq.items as [Msg, Msg];
    expect(badJson.data).toEqual(malformed);
    expect(badJson.headers?.get(DEAD_LETTER_HEADERS.reason)).toMatch(/^malformed JSON: /);
    expect(badJson.headers?.get(DEAD_LETTER_HEADERS.consumer)).toBe(durable);
    expect(badJson.headers?.get(DEAD_LETTER_HEADERS.subject)).toBe(subject);
    expect(badJson.headers?.get(DEAD_LETTER_HEADERS.stream)).toBe(names.eventStream('divert'));
    expect(badJson.headers?.get(DEAD_LETTER_HEADERS.streamSeq)).toBe(String(malformedAck.seq));
    expect(badSchema.data).toEqual(invalidBody);
    expect(badSchema.headers?.get(DEAD_LETTER_HEADERS.streamSeq)).toBe(String(invalidAck.seq));
    const reason = badSchema.headers?.get(DEAD_LETTER_HEADERS.reason) ?? '';
    expect(reason).toMatch(/^schema: /);
    expect(reason).toContain('correlationId: ');
    expect(reason).toContain('revision: ');
    // Stored in the dead-letter stream too, not only seen by our subscription.
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(names.deadLetterStream)).state.messages).toBe(2);
    expect(info).toMatchObject({ handled: 2, deadLettered: 2, numPending: 0, numAckPending: 0 });
  });

  it('retries a failing handler with back-off and dead-letters the message at maxDeliver', async () => {
    const dlq = collectSubject(nc, names.deadLetterSubject(durable));
    cleanups.push(async () => dlq.stop());
    await nc.flush();
    const poison = publishedEvent(tenant, { revision: 0 });
    const healthy = publishedEvent(tenant, { revision: 1 });
    const attempts = new Collector<number>();
    const handled = new Collector<string>();
    const { handle } = await start(
      async (payload, meta) => {
        if (payload.id === poison.id) {
          attempts.push(meta.deliveryCount);
          // A multi-line message (stack-like) must still fit a header value.
          throw new Error(`projection exploded\n  on ${payload.id}`);
        }
        handled.push(payload.id);
      },
      { maxDeliver: 3 },
    );
    await publishJson(poison);
    await publishJson(healthy);

    await Promise.all([dlq.until(1), handled.until(1)]);
    const info = await stopAndReadServer(handle);

    expect(attempts.items).toEqual([1, 2, 3]);
    expect(handled.items).toEqual([healthy.id]);
    const letter = dlq.items[0]!;
    expect(JSON.parse(new TextDecoder().decode(letter.data))).toEqual(poison);
    expect(letter.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe(
      `handler failed on delivery 3 of 3: projection exploded on ${poison.id}`,
    );
    expect(letter.headers?.get(DEAD_LETTER_HEADERS.deliveryCount)).toBe('3');
    expect(letter.headers?.get(DEAD_LETTER_HEADERS.originalMsgId)).toBe(poison.id);
    expect(info).toMatchObject({ handled: 1, retried: 2, deadLettered: 1, numPending: 0, numAckPending: 0 });
  });

  describe.each([
    ['in memory', async () => new InMemoryProcessedEventStore(1_000)],
    [
      'PostgreSQL',
      async () => {
        const schema = uniqueSchema();
        const store = await PgProcessedEventStore.create({ connectionString: DATABASE_URL, schema });
        cleanups.push(async () => {
          await store.close();
          await dropSchema(schema);
        });
        return store;
      },
    ],
  ])('idempotency (%s store)', (_name, makeStore) => {
    it('skips an event re-published under another msg id, once it was processed', async () => {
      const idempotency = await makeStore();
      const handled = new Collector<string>();
      const { handle } = await start(async (payload) => handled.push(payload.id), { idempotency });
      const event = publishedEvent(tenant, { revision: 0 });
      const next = publishedEvent(tenant, { revision: 1 });
      await publishJson(event);
      // The relay republishing after the duplicate window: same event id, new Nats-Msg-Id.
      await publishJson(event, `${event.id}-again`);
      await publishJson(next);

      await handled.until(2);
      const info = await stopAndReadServer(handle);

      expect(handled.items).toEqual([event.id, next.id]);
      expect(info).toMatchObject({ handled: 2, duplicates: 1, numPending: 0, numAckPending: 0 });
      expect(await idempotency.seen(durable, event.id)).toBe(true);
      expect(await idempotency.seen(`${durable}-other`, event.id)).toBe(false);
    });

    it('dead-letters a message without a uuid event id instead of guessing', async () => {
      const idempotency = await makeStore();
      const dlq = collectSubject(nc, names.deadLetterSubject(durable));
      cleanups.push(async () => dlq.stop());
      await nc.flush();
      const handled = new Collector<string>();
      // No schema here: the id check itself must catch it.
      const handle = await startJetStreamConsumer({
        nc,
        namespace,
        stream: names.eventStream('divert'),
        durable,
        filterSubject: names.eventFilter('divert', tenant),
        idempotency,
        logger: recordingLogger(),
        handler: async (payload) => handled.push(JSON.stringify(payload)),
      });
      handles.push(handle);
      await nc.jetstream().publish(names.eventSubject('divert', tenant, 'X'), encoder.encode('{"id":"42"}'));

      await dlq.until(1);
      await handle.stop();

      expect(dlq.items[0]!.headers?.get(DEAD_LETTER_HEADERS.reason)).toMatch(/no uuid "id"/);
      expect(handled.items).toEqual([]);
    });
  });

  it('stop() waits for the message in flight and acks it', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started = new Collector<string>();
    let finished = false;
    const { handle } = await start(async (payload) => {
      started.push(payload.id);
      await released;
      finished = true;
    });
    const event = publishedEvent(tenant);
    await publishJson(event);
    await started.until(1);

    const stopping = handle.stop().then(() => finished);
    // Released only later: a stop() that did not wait for the handler would resolve with finished = false.
    setTimeout(release, 50);

    expect(await stopping).toBe(true);
    expect(await handle.info()).toMatchObject({ running: false, handled: 1, numPending: 0, numAckPending: 0 });
  });

  it('refuses a durable name that cannot name a dead-letter subject', async () => {
    await expect(
      startJetStreamConsumer({
        nc,
        namespace,
        stream: names.eventStream('divert'),
        durable: 'bad.name',
        filterSubject: names.eventFilter('divert'),
        handler: async () => undefined,
      }),
    ).rejects.toThrow(/subject token/);
  });

  it('resumes a durable where it left off after a restart', async () => {
    const first = new Collector<string>();
    const a = await start(async (payload) => first.push(payload.id));
    const before = publishedEvent(tenant, { revision: 0 });
    await publishJson(before);
    await first.until(1);
    await a.handle.stop();

    const after = publishedEvent(tenant, { revision: 1 });
    await publishJson(after);
    const second = new Collector<string>();
    const b = await start(async (payload) => second.push(payload.id));
    await second.until(1);
    const info = await stopAndReadServer(b.handle);

    expect(first.items).toEqual([before.id]);
    expect(second.items).toEqual([after.id]);
    expect(info).toMatchObject({ numPending: 0, numAckPending: 0, numRedelivered: 0 });
  });
});
