// What one call meant for one agent it rang (agentCallFactsOf): the rows agent performance adds up.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'call_log_agent_calls' })
export class CallLogAgentCallEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'call_id', type: 'text' })
  callId!: string;

  @PrimaryColumn({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  /** The call's start: performance periods select by it. */
  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'boolean' })
  offered!: boolean;

  @Column({ type: 'boolean' })
  answered!: boolean;

  @Column({ type: 'boolean' })
  missed!: boolean;

  @Column({ name: 'ring_seconds', type: 'double precision', nullable: true })
  ringSeconds!: number | null;

  @Column({ name: 'talk_seconds', type: 'double precision', nullable: true })
  talkSeconds!: number | null;
}
