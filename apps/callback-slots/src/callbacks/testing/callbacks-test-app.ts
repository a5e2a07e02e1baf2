// Starts scheduled callbacks in-process on the real PostgreSQL, Redis and NATS for integration tests,
// each test file in its own isolated instance (DB schema, BullMQ prefix, dial-plan subject), plus what
// the tests need: bookings written as the booking service writes them, a stand-in call-router on NATS,
// a clock that can jump, and clean-up of exactly what the instance made.
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  dbSchemaOf,
  toCallbackStreamId,
  toTimeSlotStreamId,
  type CallbackBookedData,
  type CallbackDialPlanReply,
  type CallbackDialPlanRequest,
  type EventEnvelope,
} from '@cc/contracts';
import type { EventStore, RecordedEvent } from '@cc/event-store';
import { EVENT_STORE, type Clock } from '@cc/platform';
import { startTestApp, testToken, TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL, type HttpClient, type TestApp } from '@cc/testing';
import { CallbacksAppModule } from '../callbacks-app.module';
import type { CallbackRole } from '../callbacks.config';
import { CallbackWorkerRuntime } from '../workers/callback-worker.runtime';

/** A clock on real time that a test can move forward (a retry 5 minutes later without waiting 5 minutes). */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** One isolated copy of the callbacks feature: its own schema, queue prefix and dial-plan subject. */
export type CallbacksInstance = { id: string; instancePrefix: string; schema: string; queuePrefix: string; dialPlanSubject: string };

export function newCallbacksInstance(): CallbacksInstance {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const instancePrefix = `cbt${id}_`;
  return {
    id,
    instancePrefix,
    schema: `${instancePrefix}${dbSchemaOf('callback-slots')}`,
    queuePrefix: `cbt-${id}`,
    dialPlanSubject: `test-callbacks.${id}.callback-plan`,
  };
}

export type CallbacksTestApp = TestApp & {
  instance: CallbacksInstance;
  store: EventStore;
  dataSource: DataSource;
  /** Present in the worker and all roles. */
  runtime: CallbackWorkerRuntime | null;
  as: (tenantId: string, role?: 'ADMIN' | 'SERVICE' | 'AGENT') => Promise<HttpClient>;
};

export async function startCallbacksTestApp(options: {
  instance: CallbacksInstance;
  clock?: Clock;
  role?: CallbackRole;
  leadMs?: number;
  config?: Record<string, unknown>;
}): Promise<CallbacksTestApp> {
  const { instance } = options;
  await ensureSchema(instance.schema);
  const clock = options.clock ?? { now: () => new Date() };
  // The base config drops keys it does not know: the callbacks' own settings are merged in here.
  const callbackSettings = {
    CALLBACK_ROLE: options.role ?? 'all',
    CALLBACK_QUEUE_PREFIX: instance.queuePrefix,
    CALLBACK_LEAD_MS: options.leadMs ?? 1_000,
    CALLBACK_DIAL_PLAN_TIMEOUT_MS: 1_000,
    ...options.config,
  };
  const app = await startTestApp({
    service: 'callback-slots',
    module: (config) => CallbacksAppModule.forRoot({ ...config, ...callbackSettings }, { clock, dialPlanSubject: instance.dialPlanSubject }),
    config: { INSTANCE_PREFIX: instance.instancePrefix },
  });
  let runtime: CallbackWorkerRuntime | null = null;
  try {
    runtime = app.app.get(CallbackWorkerRuntime, { strict: false });
  } catch {
    runtime = null;
  }
  return {
    ...app,
    instance,
    store: app.app.get<EventStore>(EVENT_STORE, { strict: false }),
    dataSource: app.app.get<DataSource>(getDataSourceToken(), { strict: false }),
    runtime,
    as: async (tenantId, role = 'ADMIN') => app.http.withToken(await testToken({ tenant: tenantId, role })),
  };
}

/** Drops the instance's schema and every Redis key under its BullMQ prefix. */
export async function destroyCallbacksInstance(instance: CallbacksInstance): Promise<void> {
  await deleteQueueKeys(instance.queuePrefix);
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${instance.schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** What losing Redis means for this queue: every key under its prefix deleted (never FLUSHALL on shared Redis). */
export async function deleteQueueKeys(prefix: string): Promise<number> {
  const redis = new IORedis(TEST_REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

async function ensureSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    if (!['23505', '42P06'].includes((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- bookings as the booking service writes them

export type TestBooking = { tenantId: string; bookingId: string; callSlotId: string; startIso: string; endIso: string };

const envelopeOf = (tenantId: string, type: string, data: unknown): EventEnvelope => ({
  id: randomUUID(),
  type,
  version: 1,
  tenantId,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: null,
  actor: 'test',
  data,
});

/** Appends CallbackBooked to the occurrence stream (what BookingService.book appends). */
export async function bookCallback(
  store: EventStore,
  input: {
    tenantId: string;
    callSlotId?: string;
    startIso: string;
    endIso: string;
    callbackNumber?: string;
    campaignId?: string | null;
    bookingId?: string;
    rescheduledFrom?: TestBooking;
  },
): Promise<TestBooking> {
  const bookingId = input.bookingId ?? randomUUID();
  const callSlotId = input.callSlotId ?? 'support-uk';
  const data: CallbackBookedData = {
    bookingId,
    callSlotId,
    startIso: input.startIso,
    endIso: input.endIso,
    callbackNumber: input.callbackNumber ?? '+441234567890',
    callerCli: null,
    source: input.campaignId ? 'campaign' : 'api',
    campaignId: input.campaignId ?? null,
    idempotencyKey: null,
    offerSessionId: null,
    callId: null,
    rescheduledFrom: input.rescheduledFrom
      ? { bookingId: input.rescheduledFrom.bookingId, callSlotId: input.rescheduledFrom.callSlotId, startIso: input.rescheduledFrom.startIso }
      : null,
  };
  await store.append(toTimeSlotStreamId(input.tenantId, callSlotId, input.startIso), [envelopeOf(input.tenantId, 'CallbackBooked', data)], 'any');
  return { tenantId: input.tenantId, bookingId, callSlotId, startIso: input.startIso, endIso: input.endIso };
}

/** Appends CallbackCancelled for a booking: reason `requested`, or `rescheduled` to the booking it moved to. */
export async function cancelCallback(store: EventStore, booking: TestBooking, movedTo?: TestBooking): Promise<void> {
  await store.append(
    toTimeSlotStreamId(booking.tenantId, booking.callSlotId, booking.startIso),
    [
      envelopeOf(booking.tenantId, 'CallbackCancelled', {
        bookingId: booking.bookingId,
        callSlotId: booking.callSlotId,
        startIso: booking.startIso,
        reason: movedTo ? 'rescheduled' : 'requested',
        rescheduledTo: movedTo ? { bookingId: movedTo.bookingId, callSlotId: movedTo.callSlotId, startIso: movedTo.startIso } : null,
        note: null,
      }),
    ],
    'any',
  );
}

export const callbackEvents = (store: EventStore, booking: Pick<TestBooking, 'tenantId' | 'bookingId'>): Promise<RecordedEvent[]> =>
  store.readStream(toCallbackStreamId(booking.tenantId, booking.bookingId));

/** An instant `ms` from now, as a UTC ISO string with milliseconds. */
export const inMs = (ms: number, clock: Clock = { now: () => new Date() }): string => new Date(clock.now().getTime() + ms).toISOString();

// ---------------------------------------------------------------- a stand-in call-router

export type FakeRouterMode = { kind: 'plan'; ringSeconds?: number } | { kind: 'no-agent' } | { kind: 'silent' };

/**
 * Answers dial-plan requests on the instance's subject the way a Nest NATS handler does
 * (`{ response, id, isDisposed }`), and records what it was asked.
 */
export class FakeRouter {
  readonly requests: CallbackDialPlanRequest[] = [];
  mode: FakeRouterMode = { kind: 'plan' };
  private nc: NatsConnection | null = null;
  private sub: Subscription | null = null;

  static async start(subject: string): Promise<FakeRouter> {
    const router = new FakeRouter();
    router.nc = await connect({ servers: TEST_NATS_URL, name: 'fake-call-router' });
    router.sub = router.nc.subscribe(subject);
    void router.serve();
    await router.nc.flush();
    return router;
  }

  requestsFor(bookingId: string): CallbackDialPlanRequest[] {
    return this.requests.filter((r) => r.bookingId === bookingId);
  }

  private async serve(): Promise<void> {
    const decoder = new TextDecoder();
    for await (const message of this.sub!) {
      const { data, id } = JSON.parse(decoder.decode(message.data)) as { data: CallbackDialPlanRequest; id: string };
      this.requests.push(data);
      if (this.mode.kind === 'silent') continue;
      const response: CallbackDialPlanReply =
        this.mode.kind === 'plan'
          ? {
              outcome: 'planned',
              agent: { targets: [{ kind: 'extension', extension: '2001', agentId: null }], ringSeconds: this.mode.ringSeconds ?? 30 },
              customerRingSeconds: 45,
            }
          : { outcome: 'no-agent', reason: 'all agents busy' };
      message.respond(JSON.stringify({ response, id, isDisposed: true }));
    }
  }

  async stop(): Promise<void> {
    await this.nc?.drain();
  }
}
