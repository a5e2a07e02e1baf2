// Replica of callback-slots' scheduled callback attempts, reduced to whom each attempt rang and how it
// ended: the "callbacks handled" of agent performance.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'call_log_callback_attempts' })
export class CallbackAttemptEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'booking_id', type: 'uuid' })
  bookingId!: string;

  @PrimaryColumn({ type: 'integer' })
  attempt!: number;

  /** Agents on the attempt's agent side (rung together). */
  @Column({ name: 'agent_ids', type: 'uuid', array: true })
  agentIds!: string[];

  /** Null until CallbackAttemptStarted arrives (the finish may be delivered first). */
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
