// Starts callback-slots with campaigns in-process for integration tests on the real PostgreSQL, Redis
// and NATS, in an isolated instance (its own schema, Redis prefixes, durable names): the service's
// modules as its composition root wires them, minus the NATS API of other features (so this app never
// answers another test file's requests), plus a licensed tenant and a call slot to book into.
import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { dbSchemaOf, eventSubject, type CallSlotView, type TimeSlotInput } from '@cc/contracts';
import type { PublishedEvent } from '@cc/messaging';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig } from '@cc/platform';
import { eventually, startTestApp, testToken, TEST_DATABASE_URL, TEST_NATS_URL, type HttpClient, type TestApp } from '@cc/testing';
import { AccessModule } from '../../access/access.module';
import { TenantDirectory } from '../../access/tenant-directory';
import { TenantDirectoryEntity } from '../../access/tenant-directory.entity';
import { BookingIdempotencyKeyEntity } from '../../bookings/booking-idempotency-key.entity';
import { CallbackSlotsConfigModule } from '../../callback-slots-config.module';
import { CallSlotService } from '../../call-slots/call-slot.service';
import { CallSlotsModule } from '../../call-slots/call-slots.module';
import { callbackSlotsConfigOf } from '../../config';
import { CallbackSlotsReadModels1700000000000 } from '../../migrations/1700000000000-callback-slots-read-models.migration';
import { BookingEntity } from '../../projections/booking.entity';
import { CallSlotEntity } from '../../projections/call-slot.entity';
import { OccurrenceLoadEntity } from '../../projections/occurrence-load.entity';
import { RedisModule } from '../../redis/redis.module';
import { CALLBACKS_READ_MODEL_MIGRATIONS, CallbacksModule } from '../../callbacks/callbacks.module';
import { deleteQueueKeys } from '../../callbacks/testing/callbacks-test-app';
import { CAMPAIGNS_READ_MODEL_MIGRATIONS, CampaignsModule } from '../campaigns.module';

@Module({})
class CampaignsTestRootModule {
  static forRoot(baseConfig: BaseConfig, queuePrefix: string): DynamicModule {
    const service = 'callback-slots';
    const config = callbackSlotsConfigOf({ ...baseConfig, OFFER_SESSION_KEY_PREFIX: `${queuePrefix}:offers:`, OFFER_SWEEP_INTERVAL_MS: 0, RESCHEDULE_RECONCILE_INTERVAL_MS: 0 });
    return {
      module: CampaignsTestRootModule,
      imports: [
        PlatformModule.forRoot({ service, config }),
        CallbackSlotsConfigModule.forRoot(config),
        EventSourcingModule.forRoot({ service, config }),
        ReadModelsModule.forRoot({
          service,
          config,
          entities: [CallSlotEntity, BookingEntity, OccurrenceLoadEntity, TenantDirectoryEntity, BookingIdempotencyKeyEntity],
          migrations: [CallbackSlotsReadModels1700000000000, ...CALLBACKS_READ_MODEL_MIGRATIONS, ...CAMPAIGNS_READ_MODEL_MIGRATIONS],
        }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: `callback-slots:${config.INSTANCE_PREFIX}` }),
        AccessModule,
        CallSlotsModule,
        CampaignsModule,
        // The scheduler too, so cancelled campaign bookings lose their timers (its own queue prefix).
        CallbacksModule.forRoot({ ...config, CALLBACK_ROLE: 'all', CALLBACK_QUEUE_PREFIX: queuePrefix }, { dialPlanSubject: `test-campaigns.${queuePrefix}.callback-plan` }),
      ],
    };
  }
}

export type CampaignsTestApp = TestApp & {
  nc: NatsConnection;
  schema: string;
  queuePrefix: string;
  as: (tenantId: string, role?: 'ADMIN' | 'SERVICE' | 'AGENT') => Promise<HttpClient>;
  stop: () => Promise<void>;
};

export async function startCampaignsTestApp(): Promise<CampaignsTestApp> {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const instancePrefix = `cmp${id}_`;
  const schema = `${instancePrefix}${dbSchemaOf('callback-slots')}`;
  const queuePrefix = `cmp-${id}`;
  await withClient((client) => client.query(`create schema if not exists "${schema}"`));
  const app = await startTestApp({
    service: 'callback-slots',
    module: (config) => CampaignsTestRootModule.forRoot(config, queuePrefix),
    config: { INSTANCE_PREFIX: instancePrefix },
  });
  const nc = await connect({ servers: TEST_NATS_URL, name: 'campaigns-int-test' });
  return {
    ...app,
    nc,
    schema,
    queuePrefix,
    as: async (tenantId, role = 'ADMIN') => app.http.withToken(await testToken({ tenant: tenantId, role })),
    stop: async () => {
      await nc.drain();
      await app.close();
      await deleteQueueKeys(queuePrefix);
      await withClient((client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Plays agent-directory: the tenant, licensed for call slots, as its relay publishes it; waits until applied. */
export async function registerLicensedTenant(app: CampaignsTestApp, tenantId: string): Promise<void> {
  const id = randomUUID();
  const event: PublishedEvent = {
    id,
    type: 'TenantRegistered',
    version: 1,
    tenantId,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: `operator@${tenantId}.test`,
    data: {
      tenant: {
        tenantId,
        name: `Tenant ${tenantId}`,
        licence: { features: ['callSlots'], maxAgents: 100 },
        settings: { extensionDigits: { min: 3, max: 6 }, defaultTimezone: 'Europe/London', defaultCountry: 'GB' },
      },
    },
    streamId: `tenant-${tenantId}`,
    revision: 0,
    position: `test-${id}`,
  };
  await app.nc.jetstream().publish(eventSubject('agent-directory', tenantId, 'TenantRegistered'), JSON.stringify(event), { msgID: id });
  const directory = app.app.get(TenantDirectory);
  await eventually(async () => ((await directory.facts(tenantId))?.revision ?? -1) >= 0, 15_000);
}

/** A call slot with a time slot every hour of every day (UTC), `capacity` places each. */
export function createHourlyCallSlot(app: CampaignsTestApp, tenantId: string, callSlotId: string, capacity: number): Promise<CallSlotView> {
  const timeSlots: TimeSlotInput[] = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).flatMap((weekday) =>
    Array.from({ length: 24 }, (_, hour) => ({ weekday, start: `${String(hour).padStart(2, '0')}:00`, lengthMinutes: 60, capacity })),
  );
  return app.app.get(CallSlotService).create({ tenantId, actor: 'test' }, { callSlotId, name: `Hourly ${callSlotId}`, zone: 'UTC', timeSlots });
}

/** The start of a whole UTC hour: `hoursAhead` hours after the first one at least an hour away (a long test never sees it start). */
export function hourStart(hoursAhead: number): string {
  const t = new Date(Date.now() + 60 * 60_000);
  t.setUTCMinutes(0, 0, 0);
  return new Date(t.getTime() + (hoursAhead + 1) * 3_600_000).toISOString();
}
