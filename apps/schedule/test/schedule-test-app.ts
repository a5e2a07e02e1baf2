// Starts the schedule service in-process for integration tests on the real PostgreSQL and NATS, plus the
// helpers every schedule test needs: tokens per role, a NATS connection, and per-tenant cleanup.
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { dbSchemaOf } from '@cc/contracts';
import type { Clock, Role } from '@cc/platform';
import { bootOneAtATime, type HttpClient, startTestApp, TEST_DATABASE_URL, TEST_NATS_URL, type TestApp, testToken } from '@cc/testing';
import { ScheduleModule } from '../src/schedule.module';
import { projectionLockKey } from '../src/projections/schedules.projection';
import { SchedulesProjectionRunner } from '../src/projections/schedules.projection-runner';

/**
 * All schedule test files share this prefix: their own schema (`it_svc_schedule`) and checkpoints, so a
 * schedule service started by hand on the same machine (schema `svc_schedule`) never mixes with them.
 */
export const TEST_INSTANCE_PREFIX = 'it_';
export const TEST_SCHEMA = `${TEST_INSTANCE_PREFIX}${dbSchemaOf('schedule')}`;

export type ScheduleTestApp = TestApp & { nc: NatsConnection; stop: () => Promise<void> };

/**
 * NATS requests to `schedule.<verb>` go to the queue group "schedule", i.e. to any schedule test app alive
 * in any test process (they all share the schema, so any of them answers the same). An app with a
 * ManualClock answers "now" with its own time: NATS tests pass explicit instants.
 */
export async function startScheduleTestApp(options: { clock?: Clock } = {}): Promise<ScheduleTestApp> {
  const app = await bootOneAtATime(TEST_SCHEMA, () =>
    startTestApp({
      service: 'schedule',
      module: (config) => ScheduleModule.forRoot(config, options),
      config: { INSTANCE_PREFIX: TEST_INSTANCE_PREFIX },
    }),
  );
  const nc = await connect({ servers: TEST_NATS_URL, name: 'schedule-int-test' });
  return {
    ...app,
    nc,
    stop: async () => {
      await nc.drain();
      await app.close();
    },
  };
}

export async function httpAs(app: TestApp, tenant: string, role: Role = 'ADMIN'): Promise<HttpClient> {
  return app.http.withToken(await testToken({ tenant, role, sub: `${role.toLowerCase()}@${tenant}.test` }));
}

/**
 * Deletes the tenant's rows from the read model once the projection has applied everything (the event log
 * stays: it is append-only, and the tenant id is never reused). The projections of other test processes
 * share the table and may lag: one can still upsert a row of this tenant afterwards (harmless, never read).
 */
export async function cleanUpTenant(app: ScheduleTestApp, tenantId: string): Promise<void> {
  await app.app.get(SchedulesProjectionRunner).caughtUp();
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    // Under the projection's lock: other test processes' projections may be writing this table.
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [projectionLockKey(TEST_SCHEMA)]);
    await client.query(`delete from "${TEST_SCHEMA}".schedules where tenant_id = $1`, [tenantId]);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

