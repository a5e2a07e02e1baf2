// Issue 10's modules beside the router's own (issue 9) on real PostgreSQL and NATS: a call driven through
// the router's API (route, then call progress) is published on `routing.<tenant>.>` in order, lands in the
// call log with its steps, and counts in the agent's performance. Wired like the composition root does.
import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { dbSchemaOf, ROUTING_STREAM, routingEventFilter, type CallLogDetail, type PerformanceReport, type RoutePlan } from '@cc/contracts';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig } from '@cc/platform';
import { eventually, startTestApp, testToken, TEST_DATABASE_URL, TEST_NATS_URL, uniqueTenant, type TestApp } from '@cc/testing';
import { cleanUpTenant as cleanUpRouterTenant, TenantEvents } from '../../test/call-router-test-app';
import { callRouterConfigOf } from '../config';
import { agent, agentIdOf, device } from '../domain/routing.fixture';
import { RoutingModule } from '../routing.module';
import { ROUTING_MIGRATIONS } from '../routing.read-models';
import { WEBHOOK_ENTITIES, WEBHOOK_MIGRATIONS } from '../webhooks/webhooks.read-models';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CALL_LOG_ENTITIES, CALL_LOG_MIGRATIONS } from './call-log.read-models';
import { CallLogModule } from './call-log.module';
import { callLogLockKey } from './projections/call-log.projection';
import { CallLogProjectionRunner } from './projections/call-log.projection-runner';
import { RoutingEventRelay } from './publication/routing-event.relay';
import { RoutingPublicationModule } from './publication/routing-publication.module';
import { CALL_FLOW_STREAM_PREFIX } from '../replicas/call-flow-snapshot.projection';

jest.setTimeout(90_000);

/** Own schema and durables: the router's replicas and read models next to the call log's. */
const PREFIX = 'itclr_';
const NUMBER = '+442071838200';

@Module({})
class RouterWithCallLogModule {
  static forRoot(config: BaseConfig): DynamicModule {
    const service = 'call-router';
    const full = callRouterConfigOf(config);
    return {
      module: RouterWithCallLogModule,
      imports: [
        PlatformModule.forRoot({ service, config: full }),
        EventSourcingModule.forRoot({
          service,
          config: full,
          // EVT_CALL_ROUTER carries call flows; calls' routing events are published on ROUTING (RoutingEventRelay).
          relayStreamPrefixes: [CALL_FLOW_STREAM_PREFIX],
        }),
        ReadModelsModule.forRoot({
          service,
          config: full,
          entities: [...CALL_LOG_ENTITIES, ...WEBHOOK_ENTITIES],
          migrations: [...ROUTING_MIGRATIONS, ...CALL_LOG_MIGRATIONS, ...WEBHOOK_MIGRATIONS],
        }),
        RoutingModule.forRoot(full),
        RoutingPublicationModule,
        CallLogModule,
        WebhooksModule.forRoot(full),
      ],
    };
  }
}

describe('a call routed by the router, in the call log and on JetStream', () => {
  let app: TestApp;
  let nc: NatsConnection;
  let tenant: string;

  beforeAll(async () => {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [`${PREFIX}.test-boot`]);
      await client.query(`create schema if not exists "${PREFIX}${dbSchemaOf('call-router')}"`);
      app = await startTestApp({ service: 'call-router', module: (config) => RouterWithCallLogModule.forRoot(config), config: { INSTANCE_PREFIX: PREFIX } });
    } finally {
      await client.end();
    }
    nc = await connect({ servers: TEST_NATS_URL, name: 'call-log-routing-int-test' });
  });
  afterAll(async () => {
    await nc?.drain();
    await app?.close();
  });
  beforeEach(() => {
    tenant = uniqueTenant();
  });
  afterEach(async () => {
    if (!app) return;
    await cleanUpRouterTenant(app, tenant);
    await app.app.get(CallLogProjectionRunner).caughtUp();
    await app.app.get<DataSource>(getDataSourceToken()).transaction(async (manager) => {
      await manager.query('select pg_advisory_xact_lock(hashtext($1))', [callLogLockKey(`${PREFIX}${dbSchemaOf('call-router')}`)]);
      for (const table of ['call_log_calls', 'call_log_steps', 'call_log_agent_calls']) await manager.query(`delete from ${table} where tenant_id = $1`, [tenant]);
    });
  });

  it('route, no answer, voicemail, hang-up: every event in order, the call log and the miss', async () => {
    const ada = agentIdOf('2001');
    const events = new TenantEvents(nc, tenant);
    await events.agentRegistered(agent('2001'));
    await events.deviceChanged(device('2001', 'registered'));
    const admin = app.http.withToken(await testToken({ tenant, role: 'ADMIN' }));
    const flow = {
      number: NUMBER,
      name: 'Sales',
      start: 'sales',
      nodes: { sales: { type: 'ringAgent', agentId: ada, onNoAnswer: 'vm' }, vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: ada } } },
    };
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow })).status).toBe(200);
    // The router's replicas learn the agent and its device from JetStream.
    await eventually(async () => {
      const plan = (await admin.post<RoutePlan>('/v1/route', { number: NUMBER, cli: null, dryRun: true, at: '2026-11-23T10:00:00Z' })).body;
      return plan.outcome === 'routed' && plan.decision.steps[0]?.kind === 'ring';
    }, 30_000);

    const callId = `call-${randomUUID()}@carrier.test`;
    expect((await admin.post('/v1/route', { callId, number: NUMBER, cli: '+447700900123', at: '2026-11-23T10:00:00Z' })).status).toBe(200);
    const progress = `/v1/calls/${encodeURIComponent(callId)}/events`;
    expect((await admin.post(progress, { kind: 'no-answer', legId: 's1.1', at: '2026-11-23T10:00:30Z' })).status).toBe(202);
    expect((await admin.post(progress, { kind: 'hangup', at: '2026-11-23T10:01:00Z' })).status).toBe(202);

    const detail = await eventually(async () => {
      await app.app.get(CallLogProjectionRunner).caughtUp();
      const res = await admin.get<CallLogDetail>(`/v1/call-logs/${encodeURIComponent(callId)}`);
      return res.body.call?.status === 'ended' ? res.body : undefined;
    }, 30_000);
    expect(detail.call).toMatchObject({ outcome: 'voicemail', durationSeconds: 60, startedAt: '2026-11-23T10:00:00.000Z', agentIds: [ada] });
    const types = detail.steps.map((s) => s.type);
    expect(types[0]).toBe('CallReceived');
    expect(types).toEqual(expect.arrayContaining(['RouteDecided', 'LegRinging', 'LegFailed', 'VoicemailReached']));
    expect(types[types.length - 1]).toBe('CallEnded');

    await app.app.get(RoutingEventRelay).caughtUp();
    const consumer = await nc.jetstream().consumers.get(ROUTING_STREAM, { filterSubjects: routingEventFilter(tenant) });
    const published: string[] = [];
    const iterator = await consumer.consume();
    for await (const message of iterator) {
      published.push(message.headers?.get('Nats-Msg-Id') ?? '');
      if (published.length === detail.steps.length) break;
    }
    await iterator.close();
    expect(published).toEqual(detail.steps.map((s) => s.eventId));

    const performance = (await admin.get<PerformanceReport>(`/v1/performance?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&agentId=${ada}`)).body;
    expect(performance.agents).toEqual([expect.objectContaining({ agentId: ada, callsOffered: 1, callsAnswered: 0, callsMissed: 1 })]);
  });
});
