// Read model of the audit trail: one row per divert event (who, when, what, why), so operators can
// page through a tenant's or an extension's history without reading every stream.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DivertCondition, DivertEventType, DivertRules } from '@cc/contracts';

@Entity({ name: 'divert_audit' })
export class DivertAuditEntity {
  /** The event id: inserting the same event twice is a no-op. */
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** Insertion order (bigserial), the tie-break between events with the same `occurredAt`. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text' })
  extension!: string;

  @Column({ name: 'stream_revision', type: 'integer' })
  streamRevision!: number;

  @Column({ type: 'text' })
  type!: DivertEventType;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ type: 'text', array: true })
  conditions!: DivertCondition[];

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The extension's rules after the event; null for DivertExtensionRemoved. */
  @Column({ type: 'jsonb', nullable: true })
  rules!: DivertRules | null;
}
