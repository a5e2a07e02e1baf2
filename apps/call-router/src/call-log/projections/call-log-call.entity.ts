// One call in the call log: its summary for lists and filters, plus the folded state (call-log.evolve)
// the projection continues from when the call's next event arrives.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'call_log_calls' })
export class CallLogCallEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'call_id', type: 'text' })
  callId!: string;

  /** The call's stream in the router's store (`call-{tenant}-{hex}`). */
  @Column({ name: 'stream_id', type: 'text', unique: true })
  streamId!: string;

  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text', nullable: true })
  cli!: string | null;

  @Column({ name: 'flow_version', type: 'integer', nullable: true })
  flowVersion!: number | null;

  @Column({ type: 'text' })
  status!: 'inProgress' | 'ended';

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'not_routable', type: 'text', nullable: true })
  notRoutable!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'duration_seconds', type: 'double precision', nullable: true })
  durationSeconds!: number | null;

  @Column({ name: 'talk_seconds', type: 'double precision', nullable: true })
  talkSeconds!: number | null;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy!: string | null;

  /** Every agent the call concerned: the visibility filter (GIN-indexed). */
  @Column({ name: 'agent_ids', type: 'uuid', array: true })
  agentIds!: string[];

  @Column({ name: 'step_count', type: 'integer' })
  stepCount!: number;

  /** Last stream revision seen (routing or not): the next event must be revision + 1. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'jsonb' })
  state!: unknown;
}
