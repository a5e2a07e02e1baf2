// Data the services under test need, put where they read it from: agent-directory events on JetStream
// exactly as its relay publishes them (envelope + streamId/revision/position, Nats-Msg-Id = event id),
// and JetStream clean-up of this run's tenant when the bench shares a NATS server.
import { randomUUID } from 'node:crypto';
import { AgentRegisteredEvent, eventStreamName, eventSubject, exampleAgentView, exampleTenantView, SERVICES, TenantRegisteredEvent } from '@cc/contracts';
import { ensureJetStreamStreams, type PublishedEvent } from '@cc/messaging';
import type { NatsConnection } from 'nats';
import { signToken } from '@cc/platform';
import type { BenchContext } from './bench-kit';

export type BenchAgent = { agentId: string; extension: string };

/** Publishes `AgentRegistered` for each extension (an always-working, extension-only agent). */
export async function publishAgents(nc: NatsConnection, tenantId: string, extensions: string[]): Promise<BenchAgent[]> {
  await ensureJetStreamStreams(nc, SERVICES); // as every service does at boot (idempotent)
  const agents: BenchAgent[] = [];
  for (const extension of extensions) {
    const agentId = randomUUID();
    const data = AgentRegisteredEvent.schema.parse({
      agent: {
        ...exampleAgentView,
        agentId,
        name: `Bench agent ${extension}`,
        email: null,
        mobile: null,
        extension,
        ringPreference: { kind: 'extensionOnly' },
        workingHours: { mode: 'always' },
        afterHours: { kind: 'followCallFlow' },
        role: 'AGENT',
        managerId: null,
        status: 'active',
      },
      rosterRevision: agents.length,
    });
    await publishEvent(nc, { tenantId, type: 'AgentRegistered', streamId: `agent-${tenantId}-${agentId}`, revision: 0, data });
    agents.push({ agentId, extension });
  }
  return agents;
}

/** Publishes `TenantRegistered` for the tenant with these licensed features (e.g. `callSlots`). */
export async function publishTenant(nc: NatsConnection, tenantId: string, features: string[]): Promise<void> {
  const data = TenantRegisteredEvent.schema.parse({
    tenant: { ...exampleTenantView, tenantId, name: `Bench ${tenantId}`, licence: { ...exampleTenantView.licence, features } },
  });
  await publishEvent(nc, { tenantId, type: 'TenantRegistered', streamId: `tenant-${tenantId}`, revision: 0, data });
}

async function publishEvent(nc: NatsConnection, e: { tenantId: string; type: string; streamId: string; revision: number; data: unknown }): Promise<void> {
  const id = randomUUID();
  const event: PublishedEvent = {
    id,
    type: e.type,
    version: 1,
    tenantId: e.tenantId,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: 'bench',
    data: e.data,
    streamId: e.streamId,
    revision: e.revision,
    position: `bench-${id}`,
  };
  await nc.jetstream().publish(eventSubject('agent-directory', e.tenantId, e.type), JSON.stringify(event), { msgID: id });
}

/** On a shared NATS: removes this run's tenant's messages from every event stream (a private server just goes away). */
export async function purgeTenantMessages(ctx: BenchContext, nc: NatsConnection): Promise<void> {
  if (ctx.privateNats) return;
  const jsm = await nc.jetstreamManager();
  for (const service of SERVICES) {
    await jsm.streams.purge(eventStreamName(service), { filter: `evt.${service}.${ctx.tenant}.>` }).catch(() => undefined);
  }
}

export function adminToken(ctx: BenchContext): Promise<string> {
  return signToken({ sub: `admin@${ctx.tenant}.bench`, tenant: ctx.tenant, role: 'ADMIN', privileges: [] }, { secret: ctx.jwtSecret, issuer: 'call-control' });
}
