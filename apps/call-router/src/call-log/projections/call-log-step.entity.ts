// One step of a call in the call log: a routing event as recorded, for the call's detail view.
import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

@Entity({ name: 'call_log_steps' })
@Unique(['tenantId', 'callId', 'revision'])
export class CallLogStepEntity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'call_id', type: 'text' })
  callId!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'jsonb' })
  data!: unknown;
}
