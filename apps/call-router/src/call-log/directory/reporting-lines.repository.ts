// Reads and writes the reporting-line replica. Writes keep, per member, the line of the newest org-stream
// revision (at-least-once, possibly out-of-order delivery converges on the roster's last word).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReportingLine } from '../domain/reporting-tree';
import type { ReportingLineChange } from './reporting-line.adapter';

@Injectable()
export class ReportingLinesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The tenant's current lines of members that report to someone (the edges of the tree). */
  async lines(tenantId: string): Promise<ReportingLine[]> {
    const rows = await this.dataSource.query<{ agent_id: string; manager_id: string }[]>(
      `select agent_id, manager_id from call_log_reporting_lines where tenant_id = $1 and status = 'member' and manager_id is not null`,
      [tenantId],
    );
    return rows.map((row) => ({ agentId: row.agent_id, managerId: row.manager_id }));
  }

  async apply(tenantId: string, change: ReportingLineChange, revision: number): Promise<void> {
    await this.dataSource.query(
      `insert into call_log_reporting_lines (tenant_id, agent_id, manager_id, status, revision) values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, agent_id) do update set manager_id = excluded.manager_id, status = excluded.status, revision = excluded.revision
       where call_log_reporting_lines.revision < excluded.revision`,
      [tenantId, change.agentId, change.managerId, change.status, revision],
    );
  }
}
