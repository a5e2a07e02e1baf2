// The benchmark's probes must measure what they claim: every timed event really stored, in the streams and
// revisions promised, and the raw baseline leaving no scratch table behind. (No timing is asserted.)
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { measureAppendThroughput, measureRawInsertThroughput } from './append-throughput';
import { PostgresEventStore } from './postgres/postgres-event-store';

const connectionString = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

describe('throughput probes', () => {
  jest.setTimeout(30_000);

  it('measureAppendThroughput stores every event, each writer appending with exact expected revisions', async () => {
    const store = await PostgresEventStore.create({
      connectionString,
      schema: `es_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`,
      poolSize: 4,
    });
    try {
      const result = await measureAppendThroughput(store, { writers: 4, streams: 10, events: 61, eventsPerAppend: 2 });

      expect(result).toMatchObject({ appends: 31, events: 61 });
      expect(result.eventsPerSecond).toBeGreaterThan(0);
      const perStream = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.readStream(`${result.streamPrefix}${i}`)),
      );
      expect(perStream.reduce((sum, events) => sum + events.length, 0)).toBe(61);
      for (const events of perStream) {
        expect(events.length).toBeGreaterThan(0);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
        expect(new Set(events.map((e) => e.tenantId))).toEqual(new Set([result.tenantId]));
      }
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });

  it('measureRawInsertThroughput inserts into a scratch table and drops it again', async () => {
    const result = await measureRawInsertThroughput(connectionString, { writers: 3, rows: 50 });

    expect(result).toMatchObject({ rows: 50 });
    expect(result.rowsPerSecond).toBeGreaterThan(0);
    const client = new Client({ connectionString });
    await client.connect();
    try {
      const left = await client.query(`SELECT to_regclass($1) AS found`, [result.table]);
      expect(result.table).toMatch(/^public\.cc_raw_insert_probe_/);
      expect(left.rows[0].found).toBeNull();
    } finally {
      await client.end();
    }
  });
});
