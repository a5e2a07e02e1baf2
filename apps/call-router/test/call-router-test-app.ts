// Starts the call-router in-process for integration tests on the real PostgreSQL and NATS, and plays the
// other services for one tenant: agent-directory, schedule, divert and callback-slots events published to
// their JetStream streams exactly as their relays would (envelope + streamId + revision, Nats-Msg-Id).
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import {
  dbSchemaOf,
  eventSubject,
  toAgentStreamId,
  toCallSlotStreamId,
  toDeviceStreamId,
  toDivertStreamId,
  toScheduleStreamId,
  type AgentView,
  type CallSlotDefinition,
  type DeviceState,
  type DivertRules,
  type ScheduleDefinitionData,
  type ServiceName,
} from '@cc/contracts';
import type { PublishedEvent } from '@cc/messaging';
import type { Clock, Role } from '@cc/platform';
import { bootOneAtATime, eventually, HttpClient, startTestApp, TEST_NATS_URL, type TestApp, testToken } from '@cc/testing';
import { CallRouterModule } from '../src/call-router.module';
import type { OfferDialogue } from '../src/calls/offer-dialogue';
import type { CallRouterConfig } from '../src/config';
import { ReplicaSnapshotRepository } from '../src/replicas/replica-snapshot.repository';
import { CallRecorder } from '../src/routing/call-recorder';

/** All call-router test files share this prefix: their own schema (`it_svc_call_router`) and durable names. */
export const TEST_INSTANCE_PREFIX = 'it_';
export const TEST_SCHEMA = `${TEST_INSTANCE_PREFIX}${dbSchemaOf('call-router')}`;

export type RouterTestApp = TestApp & { nc: NatsConnection; stop: () => Promise<void> };

/** Starts the router and waits until its replicas have caught up (/health 200). */
export async function startRouterTestApp(
  options: { clock?: Clock; config?: Partial<CallRouterConfig>; offerDialogue?: OfferDialogue } = {},
): Promise<RouterTestApp> {
  const app = await bootOneAtATime(TEST_SCHEMA, () =>
    startTestApp({
      service: 'call-router',
      module: (config) =>
        CallRouterModule.forRoot(
          { ...config, ...options.config },
          { ...(options.clock ? { clock: options.clock } : {}), ...(options.offerDialogue ? { offerDialogue: options.offerDialogue } : {}) },
        ),
      config: { INSTANCE_PREFIX: TEST_INSTANCE_PREFIX },
    }),
  );
  await eventually(async () => (await app.http.get('/health')).status === 200, 60_000, 50);
  const nc = await connect({ servers: TEST_NATS_URL, name: 'call-router-int-test' });
  return {
    ...app,
    nc,
    stop: async () => {
      await nc.drain();
      await app.close();
    },
  };
}

export async function httpAs(app: TestApp, tenant: string, role: Role = 'ADMIN', privileges: string[] = []): Promise<HttpClient> {
  return app.http.withToken(await testToken({ tenant, role, privileges, sub: `${role.toLowerCase()}@${tenant}.test` }));
}

/** Deletes the tenant's snapshot rows and SIP call index once its call records are stored (the event log stays). */
export async function cleanUpTenant(app: TestApp, tenantId: string): Promise<void> {
  await app.app.get(CallRecorder).idle();
  await app.app.get(ReplicaSnapshotRepository).deleteTenant(tenantId);
}

/**
 * Plays the other services for one tenant: publishes their events to JetStream as their relays do, with
 * each stream's revision counted here, and returns the published event (its id, time and revision).
 */
export class TenantEvents {
  private readonly revisions = new Map<string, number>();

  constructor(
    private readonly nc: NatsConnection,
    readonly tenantId: string,
  ) {}

  agentRegistered(agent: AgentView): Promise<PublishedEvent> {
    return this.publish('agent-directory', 'AgentRegistered', toAgentStreamId(this.tenantId, agent.agentId), { agent, rosterRevision: 0 });
  }

  /** Any agent event that carries the whole agent (`WorkingHoursSet`, `RingPreferenceChanged`, …). */
  agentChanged(type: 'WorkingHoursSet' | 'RingPreferenceChanged' | 'AfterHoursPolicySet' | 'AgentProfileChanged', agent: AgentView): Promise<PublishedEvent> {
    return this.publish('agent-directory', type, toAgentStreamId(this.tenantId, agent.agentId), { agent });
  }

  deviceChanged(device: DeviceState): Promise<PublishedEvent> {
    return this.publish('agent-directory', 'DeviceStateChanged', toDeviceStreamId(this.tenantId, device.extension), {
      device,
      changed: ['registration', 'activity'],
    });
  }

  divertsReplaced(extension: string, rules: DivertRules): Promise<PublishedEvent> {
    return this.publish('divert', 'DivertRulesReplaced', toDivertStreamId(this.tenantId, extension), {
      extension,
      changedConditions: ['always', 'noAnswer', 'busy', 'unreachable'],
      rules,
      reason: null,
    });
  }

  callSlotCreated(definition: CallSlotDefinition): Promise<PublishedEvent> {
    return this.publish('callback-slots', 'CallSlotCreated', toCallSlotStreamId(this.tenantId, definition.callSlotId), definition);
  }

  scheduleChanged(type: 'ScheduleCreated' | 'ScheduleTemplateRangesSet' | 'ScheduleModeSet', schedule: ScheduleDefinitionData, extra: Record<string, unknown> = {}): Promise<PublishedEvent> {
    return this.publish('schedule', type, toScheduleStreamId(this.tenantId, schedule.scheduleId), { ...extra, schedule });
  }

  /** Publishes one event; the data must satisfy the event's contract (the router refuses it otherwise). */
  async publish(service: ServiceName, type: string, streamId: string, data: unknown): Promise<PublishedEvent> {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    const id = randomUUID();
    const published: PublishedEvent = {
      id,
      type,
      version: 1,
      tenantId: this.tenantId,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      actor: `admin@${this.tenantId}.test`,
      data,
      streamId,
      revision,
      position: `test-${id}`,
    };
    await this.nc.jetstream().publish(eventSubject(service, this.tenantId, type), JSON.stringify(published), { msgID: id });
    return published;
  }
}
