// P3: booking commits per second across 1,000 slot occurrences with 20 concurrent writers, against raw
// PostgreSQL single-row INSERTs with 20 writers in the same run. The raw baseline runs before and after
// the bookings (their mean is the ratio's denominator) so load from elsewhere on the machine shows up as
// a spread instead of silently skewing the ratio.
import { measureAppendThroughput, measureRawInsertThroughput, PostgresEventStore } from '@cc/event-store';
import { Client } from 'pg';
import { closedLoop, log, Progress, round, type BenchContext, type PartResult } from './bench-kit';
import { DeciderBookingPath, DECIDER_PATH_LABEL, occurrences } from './booking-path';

const WRITERS = 20;
const OCCURRENCES = 1_000;
/** Upper bounds per phase: each stops at its count or its time, whichever comes first. */
const BOOKINGS = 30_000;
const BOOKING_SECONDS = 8;
const RAW_ROWS = 20_000;
const APPENDS = 15_000;

export async function runP3(ctx: BenchContext): Promise<PartResult> {
  const schema = `${ctx.prefix}p3`;
  // Pool = writers, as the raw baseline's: the same concurrency reaches PostgreSQL on both sides.
  const store = await PostgresEventStore.create({ connectionString: ctx.databaseUrl, schema, poolSize: WRITERS });
  try {
    const path = new DeciderBookingPath(store, ctx.tenant);
    const slots = occurrences('p3-slot', OCCURRENCES, 1_000_000);

    log('P3', `raw PostgreSQL single-row INSERTs, ${WRITERS} writers, ${RAW_ROWS} rows (before)`);
    const rawBefore = await measureRawInsertThroughput(ctx.databaseUrl, { writers: WRITERS, rows: RAW_ROWS, schema });
    log('P3', `raw inserts (before): ${Math.round(rawBefore.rowsPerSecond)}/s in ${(rawBefore.durationMs / 1000).toFixed(1)} s`);

    // First booking of every occurrence: the stream is not cached yet (read + append). Untimed for the
    // ratio; reported as the cold rate.
    log('P3', `first booking of each of the ${OCCURRENCES} occurrences (cold streams: read + append)`);
    const coldProgress = new Progress('P3', 'cold bookings', OCCURRENCES);
    const cold = await closedLoop({
      concurrency: WRITERS,
      count: OCCURRENCES,
      durationMs: 60_000,
      once: async (i) => expectBooked(await path.book(slots[i]!)),
      onProgress: (done) => coldProgress.update(done),
    });

    log('P3', `booking commits: ${WRITERS} writers over ${OCCURRENCES} occurrences in turn, up to ${BOOKINGS} or ${BOOKING_SECONDS} s`);
    const progress = new Progress('P3', 'bookings', BOOKINGS);
    let next = 0;
    const bookings = await closedLoop({
      concurrency: WRITERS,
      count: BOOKINGS,
      durationMs: BOOKING_SECONDS * 1000,
      // Occurrences in turn: a stream comes round again only after 1,000 bookings, so the 20 in flight
      // never share one (no OCC conflicts muddy the number) and every stream is warm in the StateCache.
      once: async () => expectBooked(await path.book(slots[next++ % OCCURRENCES]!)),
      onProgress: (done) => progress.update(done),
    });
    log('P3', `booking commits: ${Math.round(bookings.perSecond)}/s (${bookings.completed} in ${(bookings.elapsedMs / 1000).toFixed(1)} s, ${bookings.failed} failed)`);

    log('P3', `EventStore.append alone (measureAppendThroughput), ${WRITERS} writers, ${APPENDS} events`);
    const appends = await measureAppendThroughput(store, { writers: WRITERS, streams: OCCURRENCES, events: APPENDS, tenantId: ctx.tenant });
    log('P3', `appends: ${Math.round(appends.eventsPerSecond)}/s`);

    // The store's connections go first: the machine's PostgreSQL has max_connections 100, shared.
    await store.close();
    log('P3', `raw PostgreSQL single-row INSERTs, ${WRITERS} writers, ${RAW_ROWS} rows (after)`);
    const rawAfter = await measureRawInsertThroughput(ctx.databaseUrl, { writers: WRITERS, rows: RAW_ROWS, schema });
    log('P3', `raw inserts (after): ${Math.round(rawAfter.rowsPerSecond)}/s`);

    const raw = (rawBefore.rowsPerSecond + rawAfter.rowsPerSecond) / 2;
    const ratio = bookings.perSecond / raw;
    return {
      commits_per_s: round(bookings.perSecond, 0),
      pg_insert_per_s: round(raw, 0),
      ratio: round(ratio, 2),
      pg_insert_per_s_before: round(rawBefore.rowsPerSecond, 0),
      pg_insert_per_s_after: round(rawAfter.rowsPerSecond, 0),
      cold_commits_per_s: round(cold.perSecond, 0),
      store_appends_per_s: round(appends.eventsPerSecond, 0),
      bookings_measured: bookings.completed,
      bookings_failed: bookings.failed + cold.failed,
      ...(bookings.errors.length || cold.errors.length ? { errors: [...cold.errors, ...bookings.errors].slice(0, 5) } : {}),
      writers: WRITERS,
      occurrences: OCCURRENCES,
      path: DECIDER_PATH_LABEL,
      target: '>= 3,000/s and >= 60% of raw inserts',
      pass: bookings.perSecond >= 3000 && ratio >= 0.6,
      note: "in-process: BookingService's per-stream path; not in this number: the call-slot, blacklist and country reads BookingService.book does first, and the HTTP/NATS edge",
    };
  } finally {
    await store.close();
    await dropSchema(ctx.databaseUrl, schema);
  }
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function expectBooked(outcome: Awaited<ReturnType<DeciderBookingPath['book']>>): void {
  if (outcome.kind !== 'booked') throw new Error(`booking refused: ${outcome.code}`);
}
