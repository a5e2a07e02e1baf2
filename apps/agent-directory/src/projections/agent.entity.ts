// Read model row of one agent: the whole view its last event carried, plus the columns the list filters
// and sorts on (extension, manager, name, role, status). Written only by DirectoryReadModelsProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgentRole, AgentStatus, AgentView } from '@cc/contracts';

@Entity({ name: 'agents' })
export class AgentEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The list's sort key: `name` in lower case (compared byte by byte, collation "C"). */
  @Column({ name: 'name_key', type: 'text' })
  nameKey!: string;

  @Column({ type: 'text' })
  extension!: string;

  @Column({ type: 'text' })
  role!: AgentRole;

  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId!: string | null;

  @Column({ type: 'text' })
  status!: AgentStatus;

  @Column({ type: 'jsonb' })
  agent!: AgentView;

  /** Revision of `agent-{tenant}-{agentId}` this row reflects. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
