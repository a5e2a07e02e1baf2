// Local replica of agent-directory's agents, reduced to what diverts need: which extensions exist in a
// tenant (targets must exist) and which extension an agent holds (an AGENT edits only their own).
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'directory_agents' })
export class DirectoryAgentEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ type: 'text' })
  extension!: string;

  /** agent-directory's status: `active`, `disabled` (extension kept) or `removed` (extension released). */
  @Column({ type: 'text' })
  status!: string;

  /** Revision of the agent's stream in agent-directory this row reflects (older deliveries are ignored). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
