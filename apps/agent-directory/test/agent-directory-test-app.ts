// Starts the agent-directory service in-process for integration tests on the real PostgreSQL and NATS,
// plus what every agent-directory test needs: tokens per role, a registered tenant, and per-tenant cleanup.
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { dbSchemaOf, type RegisterTenantRequest, type TenantResponse } from '@cc/contracts';
import type { Role } from '@cc/platform';
import { bootOneAtATime, type HttpClient, startTestApp, TEST_DATABASE_URL, TEST_NATS_URL, type TestApp, testToken } from '@cc/testing';
import { AgentDirectoryModule } from '../src/agent-directory.module';
import { DirectoryReadModelsProjectionRunner } from '../src/projections/directory-read-models.projection-runner';
import { readModelsLockKey } from '../src/projections/directory-read-models.projection';
import { RosterReconciler } from '../src/workers/roster.reconciler';

/**
 * All agent-directory test files share this prefix: their own schema (`it_svc_agent_directory`) and
 * checkpoints, apart from a service started by hand on the same database.
 */
export const TEST_INSTANCE_PREFIX = 'it_';
export const TEST_SCHEMA = `${TEST_INSTANCE_PREFIX}${dbSchemaOf('agent-directory')}`;

export type DirectoryTestApp = TestApp & { nc: NatsConnection; stop: () => Promise<void> };

export async function startDirectoryTestApp(): Promise<DirectoryTestApp> {
  const app = await bootOneAtATime(TEST_SCHEMA, () =>
    startTestApp({
      service: 'agent-directory',
      module: (config) => AgentDirectoryModule.forRoot(config),
      config: { INSTANCE_PREFIX: TEST_INSTANCE_PREFIX },
    }),
  );
  const nc = await connect({ servers: TEST_NATS_URL, name: 'agent-directory-int-test' });
  return {
    ...app,
    nc,
    stop: async () => {
      await nc.drain();
      await whileNoNatsRequestsInFlight(() => app.close());
    },
  };
}

/**
 * NATS requests to `agent-directory.<verb>` go to the queue group "agent-directory", i.e. to ANY
 * agent-directory test app alive in any test process (all on the same schema, so any answers right). An
 * app that closes drops the requests routed to it, so a test file that sends NATS requests holds this
 * shared lock while it runs, and apps close only when no such file is running.
 */
export async function holdNatsRequestWindow(): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query('select pg_advisory_lock_shared(hashtext($1))', [NATS_WINDOW_LOCK]);
  return async () => {
    await client.end();
  };
}

const NATS_WINDOW_LOCK = `${TEST_SCHEMA}.test-nats-requests`;

async function whileNoNatsRequestsInFlight<T>(work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [NATS_WINDOW_LOCK]);
    return await work();
  } finally {
    await client.end();
  }
}

export async function httpAs(
  app: TestApp,
  tenant: string,
  role: Role = 'ADMIN',
  options: { privileges?: string[]; sub?: string; agentId?: string | null } = {},
): Promise<HttpClient> {
  const token = await testToken({
    tenant,
    role,
    sub: options.sub ?? `${role.toLowerCase()}@${tenant}.test`,
    privileges: options.privileges ?? [],
    agentId: options.agentId ?? null,
  });
  return app.http.withToken(token);
}

/** Registers `tenant` as the platform operator does (4-digit extensions, London, GB unless overridden). */
export async function registerTenant(
  app: TestApp,
  tenant: string,
  overrides: { features?: RegisterTenantRequest['licence']['features']; maxAgents?: number; settings?: Partial<RegisterTenantRequest['settings']> } = {},
): Promise<TenantResponse> {
  const operator = await httpAs(app, 'platform', 'OPERATOR');
  const res = await operator.post<TenantResponse>('/v1/tenants', {
    tenantId: tenant,
    name: `Tenant ${tenant}`,
    licence: { features: overrides.features ?? [], maxAgents: overrides.maxAgents ?? 100 },
    settings: {
      extensionDigits: { min: 4, max: 4 },
      defaultTimezone: 'Europe/London',
      defaultCountry: 'GB',
      ...overrides.settings,
    },
  });
  if (res.status !== 201) throw new Error(`registering tenant ${tenant} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Deletes the tenant's rows from the read models once the projection and the reconciler handled
 * everything (the event log stays: it is append-only, and the tenant id is never reused).
 */
export async function cleanUpTenant(app: TestApp, tenantId: string): Promise<void> {
  await app.app.get(DirectoryReadModelsProjectionRunner).caughtUp();
  await app.app.get(RosterReconciler).caughtUp();
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    // Under the projection's lock: other test processes' projections may still be writing these tables.
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [readModelsLockKey(TEST_SCHEMA)]);
    for (const table of ['tenants', 'agents', 'logins', 'device_states', 'reconciler_checks']) {
      await client.query(`delete from "${TEST_SCHEMA}".${table} where tenant_id = $1`, [tenantId]);
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}
