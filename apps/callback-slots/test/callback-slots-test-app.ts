// Starts the callback-slots service in-process for integration tests on the real PostgreSQL, Redis and
// NATS, plus what every test needs: a licensed tenant (agent-directory's events on JetStream), tokens,
// NATS request-reply, and per-tenant cleanup.
//
// Every callback-slots app of every test process joins the NATS queue group "callback-slots", so a NATS
// request may be answered by ANOTHER test process's app. Hence all test apps share one DB schema and one
// Redis key prefix (below), and an app on a manual clock stops listening on NATS right after it started.
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { dbSchemaOf, eventSubject, type LicensableFeature } from '@cc/contracts';
import type { PublishedEvent } from '@cc/messaging';
import { rpcRequest, type Clock, type Role } from '@cc/platform';
import { bootOneAtATime, eventually, HttpClient, startTestApp, TEST_DATABASE_URL, TEST_NATS_URL, type TestApp, testToken } from '@cc/testing';
import { TenantDirectory } from '../src/access/tenant-directory';
import { BookingIdempotencyIndex } from '../src/bookings/booking-idempotency.index';
import { CallbackSlotsModule } from '../src/callback-slots.module';
import type { CallbackSlotsConfig } from '../src/config';
import { OfferSessionStore } from '../src/offers/offer-session.store';
import { CallbackSlotsProjectionRunner } from '../src/projections/callback-slots.projection-runner';

export const TEST_INSTANCE_PREFIX = 'it_';
export const TEST_SCHEMA = `${TEST_INSTANCE_PREFIX}${dbSchemaOf('callback-slots')}`;
/** Shared by all test apps (see above); each test's keys carry its own tenant and are deleted by cleanUpTenant. */
export const TEST_REDIS_PREFIX = 'it:callback-slots:';

export type CallbackSlotsTestApp = TestApp & { nc: NatsConnection; stop: () => Promise<void> };

export async function startCallbackSlotsTestApp(
  options: { clock?: Clock; settings?: Partial<Omit<CallbackSlotsConfig, keyof import('@cc/platform').BaseConfig>> } = {},
): Promise<CallbackSlotsTestApp> {
  const app = await bootOneAtATime(TEST_SCHEMA, () =>
    startTestApp({
      service: 'callback-slots',
      module: (config) =>
        CallbackSlotsModule.forRoot(
          {
            ...config,
            OFFER_SESSION_KEY_PREFIX: TEST_REDIS_PREFIX,
            // Tests sweep and reconcile explicitly (sweepOnce / reconcileOnce), never behind their back.
            OFFER_SWEEP_INTERVAL_MS: 0,
            RESCHEDULE_RECONCILE_INTERVAL_MS: 0,
            // Callbacks' own tests start their workers (callbacks/testing); these apps only serve the API.
            CALLBACK_ROLE: 'api',
            CALLBACK_QUEUE_PREFIX: 'it-callbacks',
            ...options.settings,
          },
          options.clock ? { clock: options.clock } : {},
        ),
      config: { INSTANCE_PREFIX: TEST_INSTANCE_PREFIX },
    }),
  );
  if (options.clock) {
    // An app whose time the test moves must not answer other test files' NATS requests: drain the
    // transport's own connection (its queue-group subscriptions); the rest of the app keeps running.
    await Promise.all(app.app.getMicroservices().map((microservice) => microservice.unwrap<NatsConnection>().drain()));
  }
  const nc = await connect({ servers: TEST_NATS_URL, name: 'callback-slots-int-test' });
  return {
    ...app,
    nc,
    stop: async () => {
      await nc.drain();
      await app.close();
    },
  };
}

export async function httpAs(
  app: TestApp,
  tenant: string,
  options: { role?: Role; privileges?: string[]; callSlotProfile?: { kind: 'all' } | { kind: 'subset'; callSlotIds: string[] } } = {},
): Promise<HttpClient> {
  const role = options.role ?? 'ADMIN';
  return app.http.withToken(
    await testToken({
      tenant,
      role,
      sub: `${role.toLowerCase()}-${randomUUID().slice(0, 4)}@${tenant}.test`,
      ...(options.privileges ? { privileges: options.privileges } : {}),
      ...(options.callSlotProfile ? { callSlotProfile: options.callSlotProfile } : {}),
    }),
  );
}

/** A NATS request to `callback-slots.<verb>` as the router would send it. */
export const rpcAs = <T>(app: CallbackSlotsTestApp, subject: string, tenantId: string, payload: unknown): Promise<T> =>
  rpcRequest<T>(app.nc, subject, { tenantId, actor: 'service:call-router', payload }, { timeoutMs: 10_000 });

/**
 * Plays agent-directory for one tenant: publishes its tenant events to JetStream exactly as its relay
 * would (envelope + streamId + revision, `Nats-Msg-Id` = event id), and waits until this service applied them.
 */
export class TenantFixture {
  private revision = -1;

  constructor(
    private readonly app: CallbackSlotsTestApp,
    readonly tenantId: string,
  ) {}

  async register(features: LicensableFeature[] = ['callSlots'], defaultCountry = 'GB'): Promise<void> {
    await this.publish(this.revision < 0 ? 'TenantRegistered' : 'TenantLicenceChanged', features, defaultCountry);
  }

  async changeLicence(features: LicensableFeature[], defaultCountry = 'GB'): Promise<void> {
    await this.publish('TenantLicenceChanged', features, defaultCountry);
  }

  private async publish(type: string, features: LicensableFeature[], defaultCountry: string): Promise<PublishedEvent> {
    this.revision++;
    const id = randomUUID();
    const event: PublishedEvent = {
      id,
      type,
      version: 1,
      tenantId: this.tenantId,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      actor: `operator@${this.tenantId}.test`,
      data: {
        tenant: {
          tenantId: this.tenantId,
          name: `Tenant ${this.tenantId}`,
          licence: { features, maxAgents: 100 },
          settings: { extensionDigits: { min: 3, max: 6 }, defaultTimezone: 'Europe/London', defaultCountry },
        },
      },
      streamId: `tenant-${this.tenantId}`,
      revision: this.revision,
      position: `test-${id}`,
    };
    await this.app.nc.jetstream().publish(eventSubject('agent-directory', this.tenantId, type), JSON.stringify(event), { msgID: id });
    // Any test process's app may apply it (shared durable); the replica is one table.
    const directory = this.app.app.get(TenantDirectory);
    await eventually(async () => ((await directory.facts(this.tenantId))?.revision ?? -1) >= this.revision, 15_000);
    return event;
  }
}

/**
 * Deletes the tenant's rows from the read models, replica and idempotency index once the projection
 * has applied everything, and its Redis keys (the event log stays: it is append-only, tenant ids are unique).
 */
export async function cleanUpTenant(app: CallbackSlotsTestApp, tenantId: string): Promise<void> {
  await app.app.get(CallbackSlotsProjectionRunner).caughtUp();
  await app.app.get(OfferSessionStore).forgetTenant(tenantId);
  await app.app.get(BookingIdempotencyIndex).forgetTenant(tenantId);
  await app.app.get(TenantDirectory).forget(tenantId);
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const table of ['call_slots', 'bookings', 'occurrence_loads']) {
      await client.query(`delete from "${TEST_SCHEMA}".${table} where tenant_id = $1`, [tenantId]);
    }
  } finally {
    await client.end();
  }
}

/** Every hour of every day (UTC), `capacity` places each: some occurrence is always less than an hour away. */
export const roundTheClock = (capacity: number) => ({
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const,
  from: '00:00',
  to: '24:00',
  everyMinutes: 60,
  capacity,
  mode: 'replace-weekdays' as const,
});

/** The start of the next whole UTC hour at least `minutesAhead` minutes from now. */
export function nextHourStart(minutesAhead = 5, hoursLater = 0): string {
  const t = new Date(Date.now() + minutesAhead * 60_000);
  t.setUTCMinutes(0, 0, 0);
  t.setUTCHours(t.getUTCHours() + 1 + hoursLater);
  return t.toISOString();
}
