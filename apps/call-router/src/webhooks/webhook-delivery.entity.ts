// One routing event for one endpoint: the dispatcher's work item (due time, lease) and the delivery log.
import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

@Entity({ name: 'webhook_deliveries' })
@Unique(['endpointId', 'eventId'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  /** The exact body sent (and signed) on every attempt. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'text' })
  status!: 'pending' | 'delivered' | 'failed' | 'abandoned';

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** While an instance is attempting it: others leave it alone until then (a crashed instance's claim expires). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
