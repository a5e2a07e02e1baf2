// Reads and writes of the agent-directory replica tables: which extensions exist, who holds which,
// and the tenant's default country. Upserts apply only newer stream revisions (at-least-once delivery).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CountryCodeSchema, type CountryCode } from '@cc/contracts';

export type DirectoryAgentRow = { agentId: string; extension: string; status: string; revision: number };

@Injectable()
export class DirectoryReplicaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Those of `extensions` that an agent of the tenant holds (active or disabled; not removed). */
  async existing(tenantId: string, extensions: readonly string[]): Promise<Set<string>> {
    if (extensions.length === 0) return new Set();
    const rows = await this.dataSource.query<{ extension: string }[]>(
      `select distinct extension from directory_agents where tenant_id = $1 and status <> 'removed' and extension = any($2)`,
      [tenantId, [...new Set(extensions)]],
    );
    return new Set(rows.map((row) => row.extension));
  }

  /** The extension the agent holds, or null (unknown agent, or removed). */
  async extensionOfAgent(tenantId: string, agentId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ extension: string }[]>(
      `select extension from directory_agents where tenant_id = $1 and agent_id = $2 and status <> 'removed'`,
      [tenantId, agentId],
    );
    return rows[0]?.extension ?? null;
  }

  async agent(tenantId: string, agentId: string): Promise<DirectoryAgentRow | null> {
    const rows = await this.dataSource.query<{ agent_id: string; extension: string; status: string; revision: number }[]>(
      `select agent_id, extension, status, revision from directory_agents where tenant_id = $1 and agent_id = $2`,
      [tenantId, agentId],
    );
    const row = rows[0];
    return row ? { agentId: row.agent_id, extension: row.extension, status: row.status, revision: row.revision } : null;
  }

  /** True when an agent other than `exceptAgentId` holds `extension` (a reused number seen before the release). */
  async heldByAnotherAgent(tenantId: string, extension: string, exceptAgentId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `select 1 from directory_agents where tenant_id = $1 and extension = $2 and status <> 'removed' and agent_id <> $3 limit 1`,
      [tenantId, extension, exceptAgentId],
    );
    return rows.length > 0;
  }

  async upsertAgent(tenantId: string, agent: DirectoryAgentRow): Promise<void> {
    await this.dataSource.query(
      `insert into directory_agents (tenant_id, agent_id, extension, status, revision, updated_at)
       values ($1, $2, $3, $4, $5, now())
       on conflict (tenant_id, agent_id) do update set
         extension = excluded.extension, status = excluded.status, revision = excluded.revision, updated_at = now()
       where directory_agents.revision < excluded.revision`,
      [tenantId, agent.agentId, agent.extension, agent.status, agent.revision],
    );
  }

  async defaultCountry(tenantId: string): Promise<CountryCode | null> {
    const rows = await this.dataSource.query<{ default_country: string }[]>(
      `select default_country from directory_tenants where tenant_id = $1`,
      [tenantId],
    );
    const parsed = CountryCodeSchema.safeParse(rows[0]?.default_country);
    return parsed.success ? parsed.data : null;
  }

  async upsertTenant(tenantId: string, defaultCountry: CountryCode, revision: number): Promise<void> {
    await this.dataSource.query(
      `insert into directory_tenants (tenant_id, default_country, revision) values ($1, $2, $3)
       on conflict (tenant_id) do update set default_country = excluded.default_country, revision = excluded.revision
       where directory_tenants.revision < excluded.revision`,
      [tenantId, defaultCountry, revision],
    );
  }
}
