// Replica of agent-directory's roster reduced to reporting lines (who reports to whom), from its org
// events: the tree manager visibility walks (ADR 0003).
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'call_log_reporting_lines' })
export class ReportingLineEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId!: string | null;

  /** `withdrawn`: the agent left the roster (removed); kept so an older event cannot bring it back. */
  @Column({ type: 'text' })
  status!: 'member' | 'withdrawn';

  /** Revision of the tenant's org stream (`org-{tenant}`) this row reflects: older deliveries are ignored. */
  @Column({ type: 'integer' })
  revision!: number;
}
