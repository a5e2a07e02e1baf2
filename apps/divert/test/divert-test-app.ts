// Starts the divert service in-process for integration tests on the real PostgreSQL and NATS, plus the
// helpers every divert test needs: tokens per role, agent-directory events, and per-tenant cleanup.
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { dbSchemaOf, eventSubject } from '@cc/contracts';
import type { PublishedEvent } from '@cc/messaging';
import type { Role } from '@cc/platform';
import { bootOneAtATime, eventually, HttpClient, startTestApp, TEST_DATABASE_URL, TEST_NATS_URL, type TestApp, testToken } from '@cc/testing';
import { DivertModule } from '../src/divert.module';
import { projectionLockKey } from '../src/projections/divert-rules.projection';
import { DivertRulesProjectionRunner } from '../src/projections/divert-rules.projection-runner';

/**
 * All divert test files share this prefix: their own schema (`it_svc_divert`) and durable consumer names,
 * so a divert service started by hand on the same NATS (another database) never takes their messages.
 */
export const TEST_INSTANCE_PREFIX = 'it_';
export const TEST_SCHEMA = `${TEST_INSTANCE_PREFIX}${dbSchemaOf('divert')}`;

export type DivertTestApp = TestApp & { nc: NatsConnection; stop: () => Promise<void> };

export async function startDivertTestApp(): Promise<DivertTestApp> {
  const app = await bootOneAtATime(TEST_SCHEMA, () =>
    startTestApp({
      service: 'divert',
      module: (config) => DivertModule.forRoot(config),
      config: { INSTANCE_PREFIX: TEST_INSTANCE_PREFIX },
    }),
  );
  const nc = await connect({ servers: TEST_NATS_URL, name: 'divert-int-test' });
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
 * NATS requests to `divert.<verb>` go to the queue group "divert", i.e. to ANY divert test app alive in
 * any test process. An app that closes drops the requests routed to it (the platform's NATS transport
 * closes without a grace period; reported), so a test file that sends NATS requests holds this shared
 * lock while it runs, and apps close only when no such file is running.
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

export async function httpAs(app: TestApp, tenant: string, role: Role = 'ADMIN', agentId: string | null = null): Promise<HttpClient> {
  return app.http.withToken(await testToken({ tenant, role, agentId, sub: `${role.toLowerCase()}@${tenant}.test` }));
}

/**
 * Plays agent-directory for one tenant: publishes its events to JetStream exactly as its relay would
 * (envelope + streamId + revision, `Nats-Msg-Id` = event id), tracking each agent's stream revision.
 */
export class DirectoryFixture {
  /** Every event published, in order (tests hand some to the replica again, as a redelivery would). */
  readonly published: PublishedEvent[] = [];
  private readonly revisions = new Map<string, number>();
  private readonly agents = new Map<string, { agentId: string; extension: string }>();

  constructor(
    private readonly nc: NatsConnection,
    readonly tenantId: string,
  ) {}

  /** Registers an agent holding `extension` and waits until the divert service knows the extension. */
  async registerAgent(app: TestApp, extension: string): Promise<string> {
    const agentId = randomUUID();
    this.agents.set(extension, { agentId, extension });
    await this.publishAgentEvent('AgentRegistered', agentId, extension, 'active', { rosterRevision: 0 });
    const http = await httpAs(app, this.tenantId, 'ADMIN');
    await eventually(async () => (await http.get(`/v1/extensions/${extension}/diverts`)).status === 200);
    return agentId;
  }

  async registerAgents(app: TestApp, ...extensions: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const extension of extensions) ids.set(extension, await this.registerAgent(app, extension));
    return ids;
  }

  async removeAgent(extension: string): Promise<PublishedEvent> {
    const agent = this.agentAt(extension);
    this.agents.delete(extension);
    return this.publishAgentEvent('AgentRemoved', agent.agentId, extension, 'removed', { rosterRevision: 1 });
  }

  async moveAgent(from: string, to: string): Promise<PublishedEvent> {
    const agent = this.agentAt(from);
    this.agents.delete(from);
    this.agents.set(to, { agentId: agent.agentId, extension: to });
    return this.publishAgentEvent('AgentExtensionChanged', agent.agentId, to, 'active', { previousExtension: from });
  }

  async setDefaultCountry(country: string): Promise<void> {
    await this.publish({
      type: 'TenantSettingsChanged',
      streamId: `tenant-${this.tenantId}`,
      data: {
        tenant: {
          tenantId: this.tenantId,
          name: `Tenant ${this.tenantId}`,
          licence: { features: [], maxAgents: 100 },
          settings: { extensionDigits: { min: 3, max: 6 }, defaultTimezone: 'Europe/London', defaultCountry: country },
        },
      },
    });
  }

  private agentAt(extension: string): { agentId: string; extension: string } {
    const agent = this.agents.get(extension);
    if (!agent) throw new Error(`no agent at ${extension} in this fixture`);
    return agent;
  }

  private publishAgentEvent(
    type: string,
    agentId: string,
    extension: string,
    status: 'active' | 'removed',
    extra: Record<string, unknown>,
  ): Promise<PublishedEvent> {
    return this.publish({ type, streamId: `agent-${this.tenantId}-${agentId}`, data: { agent: agentView(agentId, extension, status), ...extra } });
  }

  private async publish(event: { type: string; streamId: string; data: unknown }): Promise<PublishedEvent> {
    const revision = (this.revisions.get(event.streamId) ?? -1) + 1;
    this.revisions.set(event.streamId, revision);
    const id = randomUUID();
    const published: PublishedEvent = {
      id,
      type: event.type,
      version: 1,
      tenantId: this.tenantId,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      actor: `admin@${this.tenantId}.test`,
      data: event.data,
      streamId: event.streamId,
      revision,
      position: `test-${id}`,
    };
    await this.nc.jetstream().publish(eventSubject('agent-directory', this.tenantId, event.type), JSON.stringify(published), { msgID: id });
    this.published.push(published);
    return published;
  }
}

/** An agent as agent-directory's events carry it (the whole view). */
function agentView(agentId: string, extension: string, status: 'active' | 'removed') {
  return {
    agentId,
    name: `Agent ${extension}`,
    email: null,
    mobile: null,
    extension,
    ringPreference: { kind: 'extensionOnly' },
    workingHours: { mode: 'always' },
    afterHours: { kind: 'followCallFlow' },
    role: 'AGENT',
    managerId: null,
    status,
  };
}

/**
 * Deletes the tenant's rows from the read models and the directory replica once the projection has
 * applied everything (the event log stays: it is append-only, and the tenant id is never reused).
 */
export async function cleanUpTenant(app: DivertTestApp, tenantId: string): Promise<void> {
  await app.app.get(DivertRulesProjectionRunner).caughtUp();
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    // Under the projection's lock: other test processes' projections may still be writing these tables.
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [projectionLockKey(TEST_SCHEMA)]);
    for (const table of ['divert_rules', 'divert_audit', 'directory_agents', 'directory_tenants']) {
      await client.query(`delete from "${TEST_SCHEMA}".${table} where tenant_id = $1`, [tenantId]);
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}
