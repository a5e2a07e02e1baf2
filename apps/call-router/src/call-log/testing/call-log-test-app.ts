// Test support: starts the call-log, routing-publication and webhooks modules in-process on the real
// PostgreSQL and NATS (their own DB schema and durable names), and plays the services they listen to:
// the router's call streams, agent-directory's roster, callback-slots' callback attempts.
import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dbSchemaOf, eventSubject, toCallStreamId, toOrgStreamId, type EventEnvelope } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import type { PublishedEvent } from '@cc/messaging';
import { EVENT_STORE, EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Role } from '@cc/platform';
import { bootOneAtATime, HttpClient, startTestApp, TEST_DATABASE_URL, TEST_NATS_URL, type TestApp, testToken } from '@cc/testing';
import { WEBHOOK_ENTITIES, WEBHOOK_MIGRATIONS } from '../../webhooks/webhooks.read-models';
import type { WebhooksConfig } from '../../webhooks/webhooks.config';
import { WebhooksModule } from '../../webhooks/webhooks.module';
import { CALL_LOG_ENTITIES, CALL_LOG_MIGRATIONS } from '../call-log.read-models';
import { CallLogModule } from '../call-log.module';
import { callLogLockKey } from '../projections/call-log.projection';
import { CallLogProjectionRunner } from '../projections/call-log.projection-runner';
import { RoutingEventRelay } from '../publication/routing-event.relay';
import { RoutingPublicationModule } from '../publication/routing-publication.module';
import type { RoutingCallScript } from './routing-call.script';

/** Every call-log/webhooks test file shares this prefix: schema `itcl_svc_call_router`, durables `itcl_…`. */
export const TEST_INSTANCE_PREFIX = 'itcl_';
export const TEST_SCHEMA = `${TEST_INSTANCE_PREFIX}${dbSchemaOf('call-router')}`;

/** Fast retries and a low disable threshold so webhook tests see the whole policy quickly (no timing asserted). */
export const TEST_WEBHOOKS_CONFIG: Partial<WebhooksConfig> = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: true,
  // Long enough that a test holding a request open decides when it ends.
  WEBHOOK_TIMEOUT_MS: 30_000,
  WEBHOOK_MAX_ATTEMPTS: 3,
  WEBHOOK_BACKOFF_BASE_MS: 20,
  WEBHOOK_BACKOFF_MAX_MS: 100,
  WEBHOOK_BACKOFF_JITTER: 0,
  WEBHOOK_DISABLE_AFTER_FAILURES: 4,
  WEBHOOK_POLL_INTERVAL_MS: 50,
};

/** The modules of issue 10 on the platform, as the call-router's composition root wires them. */
@Module({})
class CallLogTestRootModule {
  static forRoot(config: BaseConfig): DynamicModule {
    const service = 'call-router';
    return {
      module: CallLogTestRootModule,
      imports: [
        PlatformModule.forRoot({ service, config }),
        EventSourcingModule.forRoot({ service, config, relay: false }),
        ReadModelsModule.forRoot({ service, config, entities: [...CALL_LOG_ENTITIES, ...WEBHOOK_ENTITIES], migrations: [...CALL_LOG_MIGRATIONS, ...WEBHOOK_MIGRATIONS] }),
        RoutingPublicationModule,
        CallLogModule,
        WebhooksModule.forRoot(TEST_WEBHOOKS_CONFIG),
      ],
    };
  }
}

export type CallLogTestApp = TestApp & {
  nc: NatsConnection;
  store: EventStore;
  dataSource: DataSource;
  stop: () => Promise<void>;
};

export async function startCallLogTestApp(): Promise<CallLogTestApp> {
  const app = await bootOneAtATime(TEST_SCHEMA, () =>
    startTestApp({ service: 'call-router', module: (config) => CallLogTestRootModule.forRoot(config), config: { INSTANCE_PREFIX: TEST_INSTANCE_PREFIX } }),
  );
  const nc = await connect({ servers: TEST_NATS_URL, name: 'call-log-int-test' });
  return {
    ...app,
    nc,
    store: app.app.get<EventStore>(EVENT_STORE),
    dataSource: app.app.get<DataSource>(getDataSourceToken()),
    stop: async () => {
      await nc.drain();
      await app.close();
    },
  };
}

/** Appends the call's events to its stream in the router's store, as the router records them. */
export async function appendCall(app: CallLogTestApp, script: RoutingCallScript): Promise<void> {
  await app.store.append(toCallStreamId(script.tenantId, script.callId), script.events, 'no_stream');
}

/** Waits until the call log (and the JetStream publication) hold everything appended so far. */
export async function settled(app: CallLogTestApp): Promise<void> {
  await app.app.get(CallLogProjectionRunner).caughtUp();
  await app.app.get(RoutingEventRelay).caughtUp();
}

export async function httpAs(
  app: TestApp,
  tenant: string,
  role: Role,
  agentId: string | null = null,
  privileges: string[] = ['callLogs:read', 'performance:read'],
): Promise<HttpClient> {
  return app.http.withToken(await testToken({ tenant, role, agentId, privileges, sub: `${role.toLowerCase()}-${agentId ?? 'x'}@${tenant}.test` }));
}

/** Plays agent-directory's org stream for one tenant: publishes roster events as its relay would. */
export class RosterFixture {
  private revision = -1;
  constructor(
    private readonly nc: NatsConnection,
    readonly tenantId: string,
  ) {}

  enrol(agentId: string, managerId: string | null, role: 'AGENT' | 'MANAGER' = 'AGENT'): Promise<PublishedEvent> {
    return this.publish('OrgMemberEnrolled', { agentId, role, managerId });
  }

  setLine(agentId: string, managerId: string, previousManagerId: string | null): Promise<PublishedEvent> {
    return this.publish('ReportingLineSet', { agentId, managerId, previousManagerId });
  }

  clearLine(agentId: string, previousManagerId: string): Promise<PublishedEvent> {
    return this.publish('ReportingLineCleared', { agentId, previousManagerId });
  }

  private async publish(type: string, data: unknown): Promise<PublishedEvent> {
    this.revision++;
    return publishAs(this.nc, 'agent-directory', { tenantId: this.tenantId, type, data, streamId: toOrgStreamId(this.tenantId), revision: this.revision });
  }
}

/** Plays callback-slots: a callback attempt that rang `agentIds` and ended with `outcome`. */
export async function publishCallbackAttempt(
  nc: NatsConnection,
  tenantId: string,
  attempt: { bookingId: string; agentIds: string[]; startedAt: string; outcome: 'answered' | 'no-answer' },
): Promise<void> {
  const streamId = `callback-${tenantId}-${attempt.bookingId}`;
  const finishedAt = new Date(Date.parse(attempt.startedAt) + 60_000).toISOString();
  await publishAs(nc, 'callback-slots', {
    tenantId,
    type: 'CallbackAttemptStarted',
    streamId,
    revision: 1,
    data: {
      bookingId: attempt.bookingId,
      attempt: 1,
      startedAt: attempt.startedAt,
      timeoutAt: new Date(Date.parse(attempt.startedAt) + 300_000).toISOString(),
      dialOrder: 'agent-first',
      legs: [
        { kind: 'agent', targets: attempt.agentIds.map((agentId, i) => ({ kind: 'extension', extension: `20${10 + i}`, agentId })), ringSeconds: 30 },
        { kind: 'customer', number: '+441234567890', ringSeconds: 45 },
      ],
    },
  });
  await publishAs(nc, 'callback-slots', {
    tenantId,
    type: 'CallbackAttemptFinished',
    streamId,
    revision: 2,
    data: { bookingId: attempt.bookingId, attempt: 1, outcome: attempt.outcome, detail: null, reportedBy: 'dialer', finishedAt, nextAttemptAt: null },
  });
}

async function publishAs(
  nc: NatsConnection,
  service: 'agent-directory' | 'callback-slots',
  event: { tenantId: string; type: string; data: unknown; streamId: string; revision: number },
): Promise<PublishedEvent> {
  const id = randomUUID();
  const published: PublishedEvent = {
    id,
    type: event.type,
    version: 1,
    tenantId: event.tenantId,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: `admin@${event.tenantId}.test`,
    data: event.data,
    streamId: event.streamId,
    revision: event.revision,
    position: `test-${id}`,
  };
  await nc.jetstream().publish(eventSubject(service, event.tenantId, event.type), JSON.stringify(published), { msgID: id });
  return published;
}

/**
 * Deletes the tenant's rows once the projection applied everything (the event log stays: it is append-only,
 * and the tenant id is never reused). Under the projection's lock: other test processes may be writing.
 */
export async function cleanUpTenant(app: CallLogTestApp, tenantId: string): Promise<void> {
  await app.app.get(CallLogProjectionRunner).caughtUp();
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [callLogLockKey(TEST_SCHEMA)]);
    for (const table of ['call_log_calls', 'call_log_steps', 'call_log_agent_calls', 'call_log_reporting_lines', 'call_log_callback_attempts', 'webhook_endpoints']) {
      await client.query(`delete from "${TEST_SCHEMA}".${table} where tenant_id = $1`, [tenantId]);
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/** Scripted envelopes as they are stored (for assertions on ids and order). */
export const idsOf = (events: readonly EventEnvelope[]): string[] => events.map((event) => event.id);
