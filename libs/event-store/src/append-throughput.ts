// Throughput probes for P3 (DESIGN.md): booking-style appends through the EventStore port, and the raw
// PostgreSQL single-row INSERT baseline they are compared with at the same concurrency in the same run.
import type { EventEnvelope } from '@cc/contracts';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import type { EventStore, ExpectedRevision } from './event-store.port';

export type AppendThroughputOptions = {
  /** Concurrent writers. A PostgreSQL store needs poolSize >= writers to really run them concurrently. */
  writers: number;
  /** Distinct streams written (e.g. 1,000 slot occurrences); at least `writers`. */
  streams: number;
  /** Events appended in total (timed). */
  events: number;
  /** Events per append (default 1, a booking). */
  eventsPerAppend?: number;
  /** Tenant of the written events (default a fresh `bench-xxxxxxxx`): pass it to deleteTenant to clean up. */
  tenantId?: string;
};

export type AppendThroughput = {
  eventsPerSecond: number;
  appends: number;
  events: number;
  durationMs: number;
  tenantId: string;
  /** Every written stream id starts with this. */
  streamPrefix: string;
};

export type RawInsertThroughputOptions = {
  writers: number;
  rows: number;
  /** Where the scratch table is created and dropped again (default `public`). */
  schema?: string;
};

/** `table` names the scratch table (already dropped again). */
export type RawInsertThroughput = { rowsPerSecond: number; rows: number; durationMs: number; table: string };

/**
 * Appends `events` events with `writers` concurrent writers over `streams` streams. Each writer owns the streams
 * `i ≡ writer (mod writers)` and appends with the exact expected revision it got back last time, like a booking
 * after its decide(): the optimistic-concurrency path, without conflicts muddying the number. One untimed
 * append per writer first opens connections and prepares statements.
 */
export async function measureAppendThroughput(store: EventStore, options: AppendThroughputOptions): Promise<AppendThroughput> {
  const { writers, streams, events } = options;
  const eventsPerAppend = options.eventsPerAppend ?? 1;
  for (const [name, value] of Object.entries({ writers, streams, events, eventsPerAppend })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer (got ${value})`);
  }
  if (streams < writers) throw new TypeError(`streams (${streams}) must be at least writers (${writers})`);

  const tenantId = options.tenantId ?? `bench-${randomUUID().slice(0, 8)}`;
  const streamPrefix = `timeslot-${tenantId}-`;
  const correlationId = randomUUID();
  const booking = (stream: number): EventEnvelope => ({
    id: randomUUID(),
    type: 'CallbackBooked',
    version: 1,
    tenantId,
    occurredAt: new Date().toISOString(),
    correlationId,
    causationId: null,
    actor: 'bench',
    data: { bookingId: randomUUID(), callSlotId: `slot-${stream}`, phone: '+4930123456', campaignId: 'bench' },
  });

  await Promise.all(
    Array.from({ length: writers }, (_, writer) => store.append(`${streamPrefix}warm-up-${writer}`, [booking(-1)], 'any')),
  );

  const totalAppends = Math.ceil(events / eventsPerAppend);
  let nextAppend = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const own = Array.from({ length: Math.ceil((streams - writer) / writers) }, (_, k) => writer + k * writers);
      const revisions = new Map<number, number>();
      for (let turn = 0; nextAppend < totalAppends; turn++) {
        const index = nextAppend++;
        const count = Math.min(eventsPerAppend, events - index * eventsPerAppend);
        const stream = own[turn % own.length];
        const revision = revisions.get(stream);
        const expected: ExpectedRevision = revision === undefined ? 'no_stream' : revision;
        const result = await store.append(
          `${streamPrefix}${stream}`,
          Array.from({ length: count }, () => booking(stream)),
          expected,
        );
        revisions.set(stream, result.nextExpectedRevision);
      }
    }),
  );
  const durationMs = performance.now() - started;
  return { eventsPerSecond: (events / durationMs) * 1000, appends: totalAppends, events, durationMs, tenantId, streamPrefix };
}

/**
 * The baseline: `rows` single-row INSERTs (autocommit, prepared) into a scratch table with a bigserial key and a
 * jsonb payload of the same size as a booking, by `writers` concurrent connections. The table is dropped after.
 */
export async function measureRawInsertThroughput(
  connectionString: string,
  options: RawInsertThroughputOptions,
): Promise<RawInsertThroughput> {
  const { writers, rows } = options;
  for (const [name, value] of Object.entries({ writers, rows })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer (got ${value})`);
  }
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema)) throw new TypeError(`unusable schema name ${JSON.stringify(schema)}`);
  const tableName = `cc_raw_insert_probe_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const table = `"${schema}"."${tableName}"`;
  const insert = { name: tableName, text: `INSERT INTO ${table} (stream_id, data) VALUES ($1, $2)` };
  const payload = () =>
    JSON.stringify({ bookingId: randomUUID(), callSlotId: 'slot-1', phone: '+4930123456', campaignId: 'bench' });

  const pool = new Pool({ connectionString, max: writers, application_name: 'cc-raw-insert-probe' });
  try {
    await pool.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)`);
    await Promise.all(Array.from({ length: writers }, () => pool.query({ ...insert, values: ['warm-up', payload()] })));

    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        while (next < rows) {
          next++;
          await pool.query({ ...insert, values: [`stream-${writer}`, payload()] });
        }
      }),
    );
    const durationMs = performance.now() - started;
    return { rowsPerSecond: (rows / durationMs) * 1000, rows, durationMs, table: `${schema}.${tableName}` };
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}
