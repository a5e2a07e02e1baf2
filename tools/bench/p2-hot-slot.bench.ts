// P2: the hot slot. 64 bookers race for one occurrence with capacity 50, all at once: exactly 50 must be
// booked, none over, and every one of the other 14 must be told "full" (CALLBACK_SLOTS.SLOT_FULL), not
// an error. Checked against the stream as stored, not only against what the bookers were told. 3 rounds
// (a fresh occurrence each): a race that goes right once may not twice.
//
// Two paths, both in every run:
//  - service: two callback-slots processes, the bookers' `POST /v1/bookings` alternating between them
//    (the real BookingService behind HTTP; the two processes race on the stream's expected revision);
//  - stream: 4 independent in-process instances of BookingService's stream path (own connection pool,
//    state cache and per-stream serializer), for when the service does not run, and as a cross-check.
// The reported row is the service path when it ran, else the stream path.
import { randomUUID } from 'node:crypto';
import { toTimeSlotStreamId, TIME_SLOT_WEEKDAYS } from '@cc/contracts';
import { PostgresEventStore } from '@cc/event-store';
import { ensureJetStreamStreams } from '@cc/messaging';
import { Client } from 'pg';
import { ChildService, connectBenchNats, errorText, freePort, log, pollUntil, serviceBuilt, waitHealthy, type BenchContext, type PartResult } from './bench-kit';
import { DeciderBookingPath, DECIDER_PATH_LABEL, occurrences } from './booking-path';
import { adminToken, publishTenant, purgeTenantMessages } from './fixtures';

const BOOKERS = 64;
const CAPACITY = 50;
const INSTANCES = 4;
const ROUNDS = 3;
const FULL = 'CALLBACK_SLOTS.SLOT_FULL';

type Round = { told: number; full: number; other: Record<string, number>; stored: number };

function summarise(rounds: Round[], path: string): PartResult {
  const badness = (r: Round) => Math.abs(r.stored - CAPACITY) * 1000 + (BOOKERS - r.told - r.full);
  const worst = rounds.reduce((a, b) => (badness(b) > badness(a) ? b : a));
  const notToldFull = rounds.reduce((sum, r) => sum + (BOOKERS - r.told - r.full), 0);
  return {
    booked: worst.stored,
    capacity: CAPACITY,
    overbooked: Math.max(...rounds.map((r) => Math.max(0, r.stored - CAPACITY))),
    losers_told_other: notToldFull,
    told_matches_stored: rounds.every((r) => r.told === r.stored),
    rounds: rounds.map((r) => ({ booked: r.stored, told_booked: r.told, told_full: r.full, other: r.other })),
    path,
    pass: rounds.every((r) => r.stored === CAPACITY && r.told === CAPACITY && r.full === BOOKERS - CAPACITY),
  };
}

function logRound(label: string, i: number, r: Round): void {
  const other = Object.keys(r.other).length ? `, other answers ${JSON.stringify(r.other)}` : '';
  log('P2', `${label} round ${i + 1}/${ROUNDS}: ${BOOKERS} bookers, capacity ${CAPACITY}: told booked ${r.told}, told full ${r.full}${other}; stored ${r.stored}`);
}

/** The in-process stream path (4 instances x 16 bookers). */
async function streamPath(ctx: BenchContext): Promise<PartResult> {
  const stores = await Promise.all(
    Array.from({ length: INSTANCES }, () => PostgresEventStore.create({ connectionString: ctx.databaseUrl, schema: `${ctx.prefix}p2`, poolSize: 5 })),
  );
  try {
    const instances = stores.map((store) => new DeciderBookingPath(store, ctx.tenant));
    const rounds: Round[] = [];
    for (const [i, slot] of occurrences('hot-slot', ROUNDS, CAPACITY).entries()) {
      const outcomes = await Promise.all(Array.from({ length: BOOKERS }, (_, b) => instances[b % INSTANCES]!.book(slot)));
      const other: Record<string, number> = {};
      let full = 0;
      for (const o of outcomes) {
        if (o.kind === 'refused' && o.code === FULL) full++;
        else if (o.kind === 'refused') other[o.code] = (other[o.code] ?? 0) + 1;
      }
      const round = { told: outcomes.filter((o) => o.kind === 'booked').length, full, other, stored: (await instances[0]!.stored(slot)).bookedEvents };
      logRound('stream path', i, round);
      rounds.push(round);
    }
    return { ...summarise(rounds, `${INSTANCES} in-process instances of ${DECIDER_PATH_LABEL}`), instances: INSTANCES };
  } finally {
    await stores[0]!.dropSchema().catch(() => undefined);
    await Promise.all(stores.map((store) => store.close()));
  }
}

/** Two callback-slots processes over HTTP, or why not. */
async function servicePath(ctx: BenchContext): Promise<PartResult | { unavailable: string }> {
  if (!serviceBuilt('callback-slots')) return { unavailable: 'callback-slots not built' };
  const nc = await connectBenchNats(ctx, 'p2');
  ctx.onCleanup('P2 JetStream messages of the tenant', () => purgeTenantMessages(ctx, nc));
  const env = { CALLBACK_ROLE: 'api', CALLBACK_QUEUE_PREFIX: `${ctx.prefix}p2cb` };
  const ports = [await freePort(), await freePort()];
  const services: ChildService[] = [];
  try {
    // One at a time: a fresh schema's first boot migrates it.
    for (const [i, port] of ports.entries()) {
      const service = ChildService.service(ctx, 'callback-slots', port, `p2-callback-slots-${i + 1}`, env);
      services.push(service);
      if (!(await waitHealthy(`http://127.0.0.1:${port}`, 45_000, 100, () => service.running))) {
        return { unavailable: `callback-slots did not become healthy (log ${service.logFile})` };
      }
    }
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    await ensureJetStreamStreams(nc, ['agent-directory']);
    await publishTenant(nc, ctx.tenant, ['callSlots']);
    const token = await adminToken(ctx);
    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
    };
    // Both instances must have the tenant's licence (from agent-directory's events) before anything else.
    for (const url of urls) {
      const licensed = await pollUntil(async () => (await call(url, 'GET', '/v1/call-slots')).status === 200, 20_000, 100);
      if (!licensed) return { unavailable: `callback-slots at ${url} never saw the tenant's callSlots licence` };
    }
    // One time slot per round, tomorrow (UTC) at 08:00, 09:00, 10:00, capacity 50.
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const weekday = TIME_SLOT_WEEKDAYS[(tomorrow.getUTCDay() + 6) % 7]!;
    const callSlotId = 'hot-slot';
    const created = await call(urls[0]!, 'POST', '/v1/call-slots', {
      callSlotId,
      name: 'Bench hot slot',
      zone: 'UTC',
      timeSlots: Array.from({ length: ROUNDS }, (_, i) => ({ weekday, start: `${String(8 + i).padStart(2, '0')}:00`, lengthMinutes: 30, capacity: CAPACITY })),
    });
    if (created.status >= 300) return { unavailable: `POST /v1/call-slots: ${created.status} ${JSON.stringify(created.body).slice(0, 200)}` };
    for (const url of urls) {
      const known = await pollUntil(async () => (await call(url, 'GET', `/v1/call-slots/${callSlotId}`)).status === 200, 20_000, 100);
      if (!known) return { unavailable: `callback-slots at ${url} never knew the call slot` };
    }

    const client = new Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    const samples: Record<string, string> = {};
    try {
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const day = tomorrow.toISOString().slice(0, 10);
        const startIso = `${day}T${String(8 + i).padStart(2, '0')}:00:00.000Z`;
        const answers = await Promise.all(
          Array.from({ length: BOOKERS }, (_, b) =>
            call(urls[b % urls.length]!, 'POST', '/v1/bookings', {
              callSlotId,
              startIso,
              callbackNumber: `+4420718${String(30000 + b).padStart(5, '0')}`,
              source: 'api',
              idempotencyKey: `bench-${randomUUID()}`,
            }).catch((error: unknown) => ({ status: 0, body: { code: `request failed: ${errorText(error)}` } as Record<string, unknown> })),
          ),
        );
        const other: Record<string, number> = {};
        let full = 0;
        let told = 0;
        for (const a of answers) {
          if (a.status === 201) told++;
          else if (a.status === 409 && a.body?.code === FULL) full++;
          else {
            const key = `${a.status} ${String(a.body?.code ?? '')}`;
            other[key] = (other[key] ?? 0) + 1;
            samples[key] ??= String(a.body?.detail ?? a.body?.title ?? JSON.stringify(a.body)).slice(0, 200);
          }
        }
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM "${ctx.prefix}svc_callback_slots".events WHERE stream_id = $1 AND type = 'CallbackBooked'`,
          [toTimeSlotStreamId(ctx.tenant, callSlotId, startIso)],
        );
        const round = { told, full, other, stored: Number(rows[0]?.n ?? 0) };
        logRound('service path', i, round);
        rounds.push(round);
      }
      return {
        ...summarise(rounds, 'callback-slots service: 2 processes, POST /v1/bookings alternating between them'),
        instances: 2,
        ...(Object.keys(samples).length ? { other_answers: samples } : {}),
      };
    } finally {
      await client.end();
    }
  } catch (error) {
    return { unavailable: `callback-slots service path failed: ${errorText(error)}` };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await nc.drain().catch(() => undefined);
  }
}

export async function runP2(ctx: BenchContext): Promise<PartResult> {
  const stream = await streamPath(ctx);
  log('P2', 'service path: two callback-slots processes');
  const service = await servicePath(ctx);
  if ('unavailable' in service) {
    log('P2', `service path not measured: ${service.unavailable}`);
    return { ...stream, note: `service path not measured: ${String(service.unavailable)}`, target: TARGET };
  }
  const { path: _path, ...streamRest } = stream;
  return {
    ...service,
    stream_path: { booked: streamRest.booked, overbooked: streamRest.overbooked, losers_told_other: streamRest.losers_told_other, pass: streamRest.pass },
    target: TARGET,
    pass: service.pass === true && stream.pass === true,
  };
}

const TARGET = 'exactly 50 booked, 0 over, every loser told "full"';
