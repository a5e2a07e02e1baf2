// Read model of call slots (GET /call-slots lists it): the definition as the last event carried it,
// closed dates, and the call slot stream's revision. Written only by CallbackSlotsProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CallSlotDefinition } from '@cc/contracts';

@Entity({ name: 'call_slots' })
export class CallSlotEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'call_slot_id', type: 'text' })
  callSlotId!: string;

  @Column({ type: 'text' })
  status!: 'active' | 'deleted';

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  zone!: string;

  @Column({ type: 'jsonb' })
  definition!: CallSlotDefinition;

  @Column({ name: 'closed_dates', type: 'text', array: true })
  closedDates!: string[];

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
