// A tenant's webhook endpoint: where routing events go, which types, its signing secret and its health.
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'webhook_endpoints' })
@Index(['tenantId', 'createdAt'])
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** null: every routing event type. */
  @Column({ name: 'event_types', type: 'text', array: true, nullable: true })
  eventTypes!: string[] | null;

  /** `whsec_…`: needed in clear to sign; returned to the admin only on creation and rotation. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'text' })
  status!: 'enabled' | 'disabled';

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
