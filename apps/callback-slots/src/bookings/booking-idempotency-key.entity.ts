// One row per client idempotency key of a tenant: which booking (in which occurrence) the key made.
// Written only by BookingIdempotencyIndex, under an advisory lock per key.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'booking_idempotency_keys' })
export class BookingIdempotencyKeyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ name: 'booking_id', type: 'uuid' })
  bookingId!: string;

  @Column({ name: 'call_slot_id', type: 'text' })
  callSlotId!: string;

  @Column({ name: 'start_iso', type: 'text' })
  startIso!: string;

  @Column({ name: 'reserved_at', type: 'timestamptz' })
  reservedAt!: Date;
}
