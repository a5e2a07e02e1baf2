// Projects agent-directory's event store into its read models: tenants, agents, logins and device states.
// Every projected event carries the whole resulting view, so a row is the view of the stream's newest
// event: upserted only when the event's revision is newer, so redelivered or replayed batches change nothing.
import type { EntityManager } from 'typeorm';
import {
  AGENT_DIRECTORY_STREAM_PREFIXES as PREFIX,
  parseAgentDirectoryEvent,
  type AgentDirectoryEvent,
  type AgentView,
  type DeviceState,
  type LoginView,
  type TenantView,
} from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';

export class DirectoryReadModelsProjection implements Projection {
  readonly name = 'agent-directory-read-models-v1';
  readonly streamPrefixes = [PREFIX.tenant, PREFIX.agent, PREFIX.login, PREFIX.device].map((prefix) => `${prefix}-`);

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    // Every instance of the service runs this projection into the same tables. One batch at a time across
    // them: the duplicates are no-ops anyway, and overlapping batches would otherwise deadlock on shared rows.
    await manager.query('select pg_advisory_xact_lock(hashtext($1))', [readModelsLockKey(await currentSchema(manager))]);
    // Only the newest event of each stream in the batch decides its row.
    const latest = new Map<string, { recorded: RecordedEvent; event: AgentDirectoryEvent }>();
    for (const recorded of events) {
      // Our own events: one that does not parse is a bug to fix, not something to skip (the batch is retried).
      latest.set(recorded.streamId, { recorded, event: parseAgentDirectoryEvent(recorded) });
    }
    for (const { recorded, event } of latest.values()) await this.project(manager, recorded, event);
  }

  private async project(manager: EntityManager, recorded: RecordedEvent, event: AgentDirectoryEvent): Promise<void> {
    switch (event.type) {
      case 'TenantRegistered':
      case 'TenantLicenceChanged':
      case 'TenantSettingsChanged':
        return upsertTenant(manager, recorded, event.data.tenant);
      case 'AgentRegistered':
      case 'AgentProfileChanged':
      case 'AgentExtensionChanged':
      case 'RingPreferenceChanged':
      case 'WorkingHoursSet':
      case 'AfterHoursPolicySet':
      case 'AgentRoleChanged':
      case 'ReportingManagerAssigned':
      case 'ReportingManagerCleared':
      case 'AgentDisabled':
      case 'AgentEnabled':
      case 'AgentRemoved':
        return upsertAgent(manager, recorded, event.data.agent);
      case 'LoginCreated':
      case 'LoginRoleChanged':
      case 'LoginPrivilegesChanged':
      case 'CallSlotProfileAssigned':
      case 'LoginDisabled':
      case 'LoginEnabled':
        return upsertLogin(manager, recorded, event.data.login);
      case 'DeviceStateChanged':
        return upsertDevice(manager, recorded, event.data.device);
      // Consistency records (roster, extension claims): outside this projection's stream prefixes.
      case 'OrgMemberEnrolled':
      case 'OrgMemberRoleChanged':
      case 'ReportingLineSet':
      case 'ReportingLineCleared':
      case 'OrgMemberWithdrawn':
      case 'ExtensionClaimed':
      case 'ExtensionReleased':
        return;
      default: {
        const _exhaustive: never = event;
        throw new Error(`unhandled agent-directory event ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}

async function upsertTenant(manager: EntityManager, recorded: RecordedEvent, tenant: TenantView): Promise<void> {
  await manager.query(
    `insert into tenants (tenant_id, tenant, revision, updated_at) values ($1, $2, $3, $4)
     on conflict (tenant_id) do update set tenant = excluded.tenant, revision = excluded.revision, updated_at = excluded.updated_at
     where tenants.revision < excluded.revision`,
    [tenant.tenantId, JSON.stringify(tenant), recorded.revision, recorded.occurredAt],
  );
}

async function upsertAgent(manager: EntityManager, recorded: RecordedEvent, agent: AgentView): Promise<void> {
  await manager.query(
    `insert into agents (tenant_id, agent_id, name, name_key, extension, role, manager_id, status, agent, revision, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (tenant_id, agent_id) do update set
       name = excluded.name, name_key = excluded.name_key, extension = excluded.extension, role = excluded.role, manager_id = excluded.manager_id,
       status = excluded.status, agent = excluded.agent, revision = excluded.revision, updated_at = excluded.updated_at
     where agents.revision < excluded.revision`,
    [
      recorded.tenantId,
      agent.agentId,
      agent.name,
      agentNameKey(agent.name),
      agent.extension,
      agent.role,
      agent.managerId,
      agent.status,
      JSON.stringify(agent),
      recorded.revision,
      recorded.occurredAt,
    ],
  );
}

async function upsertLogin(manager: EntityManager, recorded: RecordedEvent, login: LoginView): Promise<void> {
  await manager.query(
    `insert into logins (tenant_id, login_id, role, agent_id, status, login, revision, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (tenant_id, login_id) do update set
       role = excluded.role, agent_id = excluded.agent_id, status = excluded.status, login = excluded.login,
       revision = excluded.revision, updated_at = excluded.updated_at
     where logins.revision < excluded.revision`,
    [recorded.tenantId, login.loginId, login.role, login.agentId, login.status, JSON.stringify(login), recorded.revision, recorded.occurredAt],
  );
}

async function upsertDevice(manager: EntityManager, recorded: RecordedEvent, device: DeviceState): Promise<void> {
  await manager.query(
    `insert into device_states (tenant_id, extension, registration, activity, device, revision, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (tenant_id, extension) do update set
       registration = excluded.registration, activity = excluded.activity, device = excluded.device,
       revision = excluded.revision, updated_at = excluded.updated_at
     where device_states.revision < excluded.revision`,
    [recorded.tenantId, device.extension, device.registration, device.activity, JSON.stringify(device), recorded.revision, recorded.occurredAt],
  );
}

/** How the agents list sorts names: case-insensitively (the key is compared byte by byte). */
export const agentNameKey = (name: string): string => name.toLowerCase();

/** The advisory lock that serialises this projection's batches (and anything else writing its tables). */
export const readModelsLockKey = (schema: string): string => `${schema}.agent-directory-read-models-projection`;

async function currentSchema(manager: EntityManager): Promise<string> {
  const [row] = await manager.query<{ schema: string }[]>('select current_schema() as schema');
  return row?.schema ?? 'public';
}
