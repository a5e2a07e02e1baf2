// The PostgreSQL idempotency store on a real database: idempotent creation under concurrency, marks
// inside a caller's transaction, pruning.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DATABASE_URL, dropSchema, uniqueSchema } from '../test/messaging-test.fixture';
import { PgProcessedEventStore } from './pg-processed-event.store';

jest.setTimeout(30_000);

describe('PgProcessedEventStore (real PostgreSQL)', () => {
  let schema: string;
  let pool: Pool;
  const stores: PgProcessedEventStore[] = [];

  beforeEach(() => {
    schema = uniqueSchema();
    pool = new Pool({ connectionString: DATABASE_URL, max: 8 });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await pool.end();
    await dropSchema(schema);
  });

  const create = async () => {
    const store = await PgProcessedEventStore.create({ pool, schema });
    stores.push(store);
    return store;
  };

  it('is created idempotently by several consumers starting at once', async () => {
    const created = await Promise.allSettled([1, 2, 3, 4, 5].map(() => create()));
    expect(created.every((c) => c.status === 'fulfilled')).toBe(true);
    const { rows } = await pool.query(
      `select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = 'processed_events' order by ordinal_position`,
      [schema],
    );
    expect(rows).toEqual([
      { column_name: 'consumer', data_type: 'text' },
      { column_name: 'event_id', data_type: 'uuid' },
      { column_name: 'processed_at', data_type: 'timestamp with time zone' },
    ]);
  });

  it('remembers an event id per consumer, and marking twice is harmless', async () => {
    const store = await create();
    const id = randomUUID();
    expect(await store.seen('router-replica', id)).toBe(false);
    await store.mark('router-replica', id);
    await store.mark('router-replica', id);
    expect(await store.seen('router-replica', id)).toBe(true);
    expect(await store.seen('billing', id)).toBe(false);
  });

  it('markWithin commits or rolls back with the caller transaction', async () => {
    const store = await create();
    const kept = randomUUID();
    const rolledBack = randomUUID();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await store.markWithin(client, 'c', kept);
      await client.query('commit');
      await client.query('begin');
      await store.markWithin(client, 'c', rolledBack);
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await store.seen('c', kept)).toBe(true);
    expect(await store.seen('c', rolledBack)).toBe(false);
  });

  it('prunes ids processed before a given time', async () => {
    const store = await create();
    const old = randomUUID();
    const recent = randomUUID();
    await store.mark('c', old);
    await store.mark('c', recent);
    await pool.query(`update "${schema}".processed_events set processed_at = now() - interval '2 days' where event_id = $1`, [old]);

    expect(await store.prune(new Date(Date.now() - 24 * 60 * 60 * 1000))).toBe(1);
    expect(await store.seen('c', old)).toBe(false);
    expect(await store.seen('c', recent)).toBe(true);
  });

  it('refuses a schema name it would have to quote around', async () => {
    await expect(PgProcessedEventStore.create({ pool, schema: 'x"; drop table y; --' })).rejects.toThrow(/schema name/);
  });

  it('with a connection string, owns and closes its pool', async () => {
    const store = await PgProcessedEventStore.create({ connectionString: DATABASE_URL, schema });
    await store.mark('c', randomUUID());
    await store.close();
    await expect(store.seen('c', randomUUID())).rejects.toThrow();
  });
});
