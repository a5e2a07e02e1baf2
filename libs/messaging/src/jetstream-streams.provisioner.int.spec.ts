// ensureJetStreamStreams against a real JetStream: the config we promise, and safety when many
// processes run it at once or a deploy changes it.
import { SERVICES } from '@cc/contracts';
import { RetentionPolicy, StorageType, nanos, type NatsConnection } from 'nats';
import { deleteNamespaceStreams, testConnection, uniqueName } from '../test/messaging-test.fixture';
import { jetStreamNames } from './jetstream-names.builder';
import { DUPLICATE_WINDOW_MS, ensureJetStreamStreams } from './jetstream-streams.provisioner';

jest.setTimeout(30_000);

describe('ensureJetStreamStreams (real JetStream)', () => {
  let namespace: string;
  const connections: NatsConnection[] = [];
  const connection = async () => {
    const nc = await testConnection();
    connections.push(nc);
    return nc;
  };

  beforeEach(() => {
    namespace = uniqueName();
  });
  afterEach(async () => {
    await deleteNamespaceStreams(await connection(), namespace);
    await Promise.all(connections.splice(0).map((nc) => nc.close()));
  });

  it('creates one stream per service and the dead-letter stream, with the promised config', async () => {
    const nc = await connection();
    const names = jetStreamNames(namespace);

    const infos = await ensureJetStreamStreams(nc, ['divert', 'schedule'], { namespace, eventMaxAgeMs: 3_600_000 });

    expect(infos.map((i) => i.config.name)).toEqual([
      names.eventStream('divert'),
      names.eventStream('schedule'),
      names.deadLetterStream,
    ]);
    const [divert, , dlq] = infos;
    expect(divert!.config).toMatchObject({
      subjects: [`${namespace}.evt.divert.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      max_age: nanos(3_600_000),
    });
    expect(dlq!.config).toMatchObject({ subjects: [`${namespace}.dlq.>`], storage: StorageType.File });
  });

  it('is safe when five processes ensure every stream at the same time, even with two different configs', async () => {
    const ncs = await Promise.all([1, 2, 3, 4, 5].map(() => connection()));

    // Mid-deploy: old and new versions disagree on max age, so some `add`s hit "name in use" and update.
    const results = await Promise.allSettled(
      ncs.map((nc, i) => ensureJetStreamStreams(nc, SERVICES, { namespace, eventMaxAgeMs: i % 2 ? 180_000 : 240_000 })),
    );

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const jsm = await ncs[0]!.jetstreamManager();
    const ours: string[] = [];
    for await (const info of jsm.streams.list()) if (info.config.name.startsWith(`${namespace}_`)) ours.push(info.config.name);
    expect(ours.sort()).toEqual([...SERVICES.map((s) => jetStreamNames(namespace).eventStream(s)), `${namespace}_DEADLETTER`].sort());
  });

  it('updates a stream whose config changed since it was created (a deploy changing max age)', async () => {
    const nc = await connection();
    await ensureJetStreamStreams(nc, ['divert'], { namespace, eventMaxAgeMs: 180_000 });

    const [divert] = await ensureJetStreamStreams(nc, ['divert'], { namespace, eventMaxAgeMs: 240_000 });

    expect(divert!.config.max_age).toBe(nanos(240_000));
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(jetStreamNames(namespace).eventStream('divert'))).config.max_age).toBe(nanos(240_000));
  });

  it('refuses a max age below the duplicate window before asking JetStream', async () => {
    const nc = await connection();

    await expect(ensureJetStreamStreams(nc, ['divert'], { namespace, eventMaxAgeMs: 60_000 })).rejects.toThrow(
      'eventMaxAgeMs must be at least the 120000 ms duplicate window, got 60000',
    );
  });

  it('says which stream cannot be updated in place instead of failing vaguely', async () => {
    const nc = await connection();
    const jsm = await nc.jetstreamManager();
    const names = jetStreamNames(namespace);
    // Someone created it in memory: JetStream cannot change the storage type of an existing stream.
    await jsm.streams.add({ name: names.eventStream('divert'), subjects: [names.eventSubjects('divert')], storage: StorageType.Memory });

    await expect(ensureJetStreamStreams(nc, ['divert'], { namespace })).rejects.toThrow(
      `JetStream stream ${names.eventStream('divert')} exists with a config that cannot be updated`,
    );
  });
});
