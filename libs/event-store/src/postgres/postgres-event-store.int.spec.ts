// Runs the shared contract against real PostgreSQL, plus what only this adapter promises: gap-free delivery
// past a late-committing transaction, event-id uniqueness across streams, upcasting, NOTIFY wake-ups, cleanup.
import type { EventEnvelope } from '@cc/contracts';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DuplicateEventId } from '../errors';
import { describeEventStoreContract, testEvent } from '../event-store.contract';
import type { RecordedEvent } from '../event-store.port';
import { PostgresAllSubscription } from './postgres-all-subscription';
import { PostgresEventStore } from './postgres-event-store';

const connectionString = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

function uniqueSchema(): string {
  return `es_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

async function createStore(options: Partial<Parameters<typeof PostgresEventStore.create>[0]> = {}): Promise<PostgresEventStore> {
  return PostgresEventStore.create({ connectionString, schema: uniqueSchema(), poolSize: 12, ...options });
}

describeEventStoreContract('PostgreSQL', async () => {
  const store = await createStore();
  return {
    store,
    cleanup: async () => {
      await store.dropSchema();
      await store.close();
    },
  };
});

describe('PostgresEventStore (PostgreSQL-specific)', () => {
  jest.setTimeout(30_000);

  let store: PostgresEventStore;
  let others: PostgresEventStore[];
  let p: string;

  beforeEach(async () => {
    store = await createStore();
    others = [];
    p = `t-${randomUUID().slice(0, 8)}`;
  });

  afterEach(async () => {
    for (const other of others) {
      await other.dropSchema();
      await other.close();
    }
    await store.dropSchema();
    await store.close();
  });

  it('does not pass an event whose transaction is still open, and delivers it once it commits, before later ones', async () => {
    const received: RecordedEvent[] = [];
    const subscription = (await store.subscribeAll({
      checkpointName: `${p}-late`,
      handler: async (events) => {
        received.push(...events);
      },
    })) as PostgresAllSubscription;
    const early = testEvent(p);
    await store.append(`${p}-early`, [early], 'no_stream');
    await subscription.caughtUp();

    // A writer that inserted an event but has not committed yet (its xid is older than the next append's).
    const slowWriter = new Client({ connectionString });
    await slowWriter.connect();
    const late = testEvent(p);
    try {
      await slowWriter.query('BEGIN');
      await slowWriter.query(
        `INSERT INTO "${store.schema}".events (stream_id, revision, event_id, type, version, tenant_id, occurred_at, correlation_id, data)
         VALUES ($1, 0, $2, $3, 1, $4, $5, $6, '{}')`,
        [`${p}-late`, late.id, late.type, late.tenantId, late.occurredAt, late.correlationId],
      );
      const after = testEvent(p);
      const afterResult = await store.append(`${p}-after`, [after], 'no_stream');

      await subscription.polled();
      await subscription.polled();
      expect(received.map((e) => e.id)).toEqual([early.id]);
      expect(store.comparePositions(subscription.lastPosition() as string, afterResult.position)).toBeLessThan(0);

      await slowWriter.query('COMMIT');
      await subscription.caughtUp();
      expect(received.map((e) => e.id)).toEqual([early.id, late.id, after.id]);
    } finally {
      await slowWriter.end();
      await subscription.stop();
    }
  });

  it('rejects an event id already stored in another stream, or stored as part of a different append', async () => {
    const a = testEvent(p);
    const b = testEvent(p);
    await store.append(`${p}-one`, [a, b], 'no_stream');

    await expect(store.append(`${p}-two`, [a], 'no_stream')).rejects.toEqual(new DuplicateEventId(a.id, `${p}-two`));
    await expect(store.append(`${p}-two`, [testEvent(p), b], 'any')).rejects.toBeInstanceOf(DuplicateEventId);
    await expect(store.append(`${p}-one`, [b, a], 'any')).rejects.toBeInstanceOf(DuplicateEventId);
    expect(await store.readStream(`${p}-two`)).toEqual([]);
    expect(await store.readStream(`${p}-one`)).toHaveLength(2);
  });

  it('makes a retried "any" append idempotent too', async () => {
    const batch = [testEvent(p), testEvent(p)];
    await store.append(`${p}-any`, [testEvent(p)], 'any');
    const original = await store.append(`${p}-any`, batch, 'any');
    await store.append(`${p}-any`, [testEvent(p)], 'any');

    expect(await store.append(`${p}-any`, batch, 'any')).toEqual(original);
    expect(await store.readStream(`${p}-any`)).toHaveLength(4);
  });

  it('creates the schema once when several processes start at the same time', async () => {
    const schema = uniqueSchema();
    const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresEventStore.create({ connectionString, schema, poolSize: 2 })));
    others.push(...stores);

    await stores[0].append(`${p}-x`, [testEvent(p)], 'no_stream');
    expect(await stores[4].readStream(`${p}-x`)).toHaveLength(1);
  });

  it('applies upcasters on readStream and in subscriptions', async () => {
    const upcasting = await createStore({
      upcasters: {
        RingTimeSet: (event) =>
          event.version === 1 ? { ...event, version: 2, data: { ringSeconds: (event.data as { seconds: number }).seconds } } : event,
      },
    });
    others.push(upcasting);
    const v1: EventEnvelope = testEvent(p, { type: 'RingTimeSet', version: 1, data: { seconds: 20 } });
    const v2: EventEnvelope = testEvent(p, { type: 'RingTimeSet', version: 2, data: { ringSeconds: 30 } });
    const untouched: EventEnvelope = testEvent(p, { type: 'constructor', data: { any: 'thing' } });
    await upcasting.append(`${p}-ring`, [v1, v2, untouched], 'no_stream');

    const read = await upcasting.readStream(`${p}-ring`);
    const received: RecordedEvent[] = [];
    const subscription = await upcasting.subscribeAll({ checkpointName: p, handler: async (events) => void received.push(...events) });
    await subscription.caughtUp();
    await subscription.stop();

    for (const events of [read, received]) {
      expect(events.map((e) => [e.version, e.data])).toEqual([
        [2, { ringSeconds: 20 }],
        [2, { ringSeconds: 30 }],
        [1, { any: 'thing' }],
      ]);
    }
  });

  it('moves the stored checkpoint past events a prefix filter left out', async () => {
    await store.append(`${p}-wanted`, [testEvent(p)], 'no_stream');
    const last = await store.append(`${p}-other`, [testEvent(p), testEvent(p)], 'no_stream');

    const subscription = await store.subscribeAll({ checkpointName: `${p}-cp`, streamPrefixes: [`${p}-wanted`], handler: async () => undefined });
    await subscription.caughtUp();
    await subscription.stop();

    expect(subscription.lastPosition()).toBe(last.position);
    const saved = await readCheckpoint(store.schema, `${p}-cp`);
    expect(saved).toBe(last.position);
  });

  it('wakes a subscription in another process through NOTIFY, without waiting for its poll', async () => {
    const listener = await PostgresEventStore.create({ connectionString, schema: store.schema, poolSize: 2, pollIntervalMs: 3_600_000 });
    others.push(listener);
    const event = testEvent(p);
    const arrived = new Promise<RecordedEvent[]>((resolve) => {
      void listener.subscribeAll({ checkpointName: `${p}-notify`, startFrom: 'end', handler: async (events) => resolve(events) }).then(async (sub) => {
        // The first poll has run once the subscription exists; only a NOTIFY can trigger the next one.
        await (sub as PostgresAllSubscription).polled();
        await store.append(`${p}-notify`, [event], 'no_stream');
      });
    });

    const events = await arrived;
    expect(events.map((e) => e.id)).toEqual([event.id]);
  });

  it('compares transaction ids as numbers when finding the head (what caughtUp() and startFrom "end" aim at)', async () => {
    // A text comparison would put "999" after "1000000000". The second id is far beyond this cluster's
    // transactions, so the subscription cannot read that row and move past it on its own.
    const client = new Client({ connectionString });
    await client.connect();
    try {
      for (const txId of ['999', '1000000000']) {
        const event = testEvent(p);
        await client.query(
          `INSERT INTO "${store.schema}".events (stream_id, revision, event_id, type, version, tenant_id, occurred_at, correlation_id, data, tx_id)
           VALUES ($1, 0, $2, $3, 1, $4, now(), $5, '{}', $6::xid8)`,
          [`${p}-tx${txId}`, event.id, event.type, p, event.correlationId, txId],
        );
      }
    } finally {
      await client.end();
    }
    const subscription = await store.subscribeAll({ checkpointName: `${p}-head`, startFrom: 'end', handler: async () => undefined });
    await subscription.stop();

    expect(subscription.lastPosition()).toMatch(/^1000000000:/);
  });

  it('deleteTenant removes only that tenant\'s events', async () => {
    const other = `${p}-other-tenant`;
    await store.append(`${p}-mine`, [testEvent(p), testEvent(p)], 'no_stream');
    await store.append(`${p}-theirs`, [testEvent(other)], 'no_stream');

    expect(await store.deleteTenant(p)).toBe(2);
    expect(await store.readStream(`${p}-mine`)).toEqual([]);
    expect(await store.readStream(`${p}-theirs`)).toHaveLength(1);
  });

  it('normalises occurredAt to the same instant in UTC', async () => {
    const event = testEvent(p, { occurredAt: '2026-03-29T02:30:00.000+02:00' });
    await store.append(`${p}-tz`, [event], 'no_stream');

    expect((await store.readStream(`${p}-tz`))[0].occurredAt).toBe('2026-03-29T00:30:00.000Z');
  });

  it('refuses a schema name it cannot use safely', async () => {
    await expect(PostgresEventStore.create({ connectionString, schema: 'Robert"; DROP TABLE x; --' })).rejects.toThrow(TypeError);
  });
});

async function readCheckpoint(schema: string, name: string): Promise<string | undefined> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const result = await client.query<{ position: string }>(`SELECT position FROM "${schema}".checkpoints WHERE name = $1`, [name]);
    return result.rows[0]?.position;
  } finally {
    await client.end();
  }
}
