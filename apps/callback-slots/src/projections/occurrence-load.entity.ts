// The load table availability is answered from: live bookings and the occurrence's own capacity per
// occurrence, kept current from CallbackBooked / CallbackCancelled / OccurrenceCapacityChanged. A row
// exists only for occurrences that had one of those events (the rest are empty).
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'occurrence_loads' })
export class OccurrenceLoadEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'call_slot_id', type: 'text' })
  callSlotId!: string;

  @PrimaryColumn({ name: 'start_at', type: 'timestamptz' })
  startAt!: Date;

  @Column({ name: 'start_iso', type: 'text' })
  startIso!: string;

  @Column({ type: 'integer' })
  booked!: number;

  @Column({ name: 'capacity_override', type: 'integer', nullable: true })
  capacityOverride!: number | null;

  /** Revision of the occurrence stream this row reflects (events at or below it are not applied again). */
  @Column({ name: 'stream_revision', type: 'integer' })
  streamRevision!: number;
}
