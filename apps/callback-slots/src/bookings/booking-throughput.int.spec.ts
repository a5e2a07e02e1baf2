// Measures booking commits per second through BookingService (number check, call slot read, decide,
// append with expected revision) across 1,000 occurrences with 20 concurrent writers, next to raw
// PostgreSQL single-row INSERTs at the same concurrency in the same run (P3 of DESIGN.md). It reports
// the numbers; it asserts only correctness (every booking committed once), never a speed.
import { toTimeSlotStreamId } from '@cc/contracts';
import { measureAppendThroughput, measureRawInsertThroughput, PostgresEventStore, type EventStore } from '@cc/event-store';
import { EVENT_STORE } from '@cc/platform';
import { TEST_DATABASE_URL, uniqueTenant } from '@cc/testing';
import { performance } from 'node:perf_hooks';
import {
  cleanUpTenant,
  httpAs,
  nextHourStart,
  roundTheClock,
  startCallbackSlotsTestApp,
  TenantFixture,
  type CallbackSlotsTestApp,
} from '../../test/callback-slots-test-app';
import { BookingService } from './booking.service';

jest.setTimeout(300_000);

const OCCURRENCES = 1_000;
const WRITERS = 20;
const BOOKINGS = 5_000;

describe('booking throughput (P3, measured, not asserted)', () => {
  let app: CallbackSlotsTestApp;
  let tenant: string;

  beforeAll(async () => {
    app = await startCallbackSlotsTestApp();
    tenant = uniqueTenant('bench');
    await new TenantFixture(app, tenant).register();
    const admin = await httpAs(app, tenant);
    await admin.post('/v1/call-slots', { callSlotId: 'bench', name: 'Bench', zone: 'UTC', timeSlots: [] });
    await admin.post('/v1/call-slots/bench/time-slots/generate', { grid: roundTheClock(10) });
  });
  afterAll(async () => {
    if (app) {
      await cleanUpTenant(app, tenant);
      await app.stop();
    }
  });

  it(`books ${BOOKINGS} callbacks over ${OCCURRENCES} occurrences with ${WRITERS} writers and reports commits/s`, async () => {
    const bookings = app.app.get(BookingService);
    const first = Date.parse(nextHourStart(10));
    const occurrence = (i: number) => new Date(first + (i % OCCURRENCES) * 3600_000).toISOString();
    const book = (i: number) =>
      bookings.book({ tenantId: tenant, callSlotId: 'bench', startIso: occurrence(i), callbackNumber: '+447911123456', source: 'api', actor: 'bench' });

    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < BOOKINGS) await book(next++);
      }),
    );
    const durationMs = performance.now() - started;
    const commitsPerSecond = (BOOKINGS / durationMs) * 1000;
    const raw = await measureRawInsertThroughput(TEST_DATABASE_URL, { writers: WRITERS, rows: BOOKINGS });
    // The store alone (appends with expected revision, no decide, no reads), in a scratch schema.
    const scratch = await PostgresEventStore.create({ connectionString: TEST_DATABASE_URL, schema: `p3_${tenant.replace(/-/g, '_')}`, poolSize: WRITERS });
    let appends: Awaited<ReturnType<typeof measureAppendThroughput>>;
    try {
      appends = await measureAppendThroughput(scratch, { writers: WRITERS, streams: OCCURRENCES, events: BOOKINGS });
    } finally {
      await scratch.dropSchema();
      await scratch.close();
    }

    process.stdout.write(
      `\n[P3] BookingService: ${BOOKINGS} bookings, ${OCCURRENCES} occurrences, ${WRITERS} writers: ${commitsPerSecond.toFixed(0)} commits/s ` +
        `(${durationMs.toFixed(0)} ms); raw PostgreSQL single-row INSERT, same concurrency: ${raw.rowsPerSecond.toFixed(0)} rows/s ` +
        `(ratio ${((commitsPerSecond / raw.rowsPerSecond) * 100).toFixed(0)}%); bare event-store appends (pool ${WRITERS}): ${appends.eventsPerSecond.toFixed(0)}/s\n`,
    );

    const store = app.app.get<EventStore>(EVENT_STORE);
    for (const i of [0, 499, 999]) {
      const events = await store.readStream(toTimeSlotStreamId(tenant, 'bench', occurrence(i)));
      expect(events.filter((e) => e.type === 'CallbackBooked')).toHaveLength(BOOKINGS / OCCURRENCES);
    }
  });
});
