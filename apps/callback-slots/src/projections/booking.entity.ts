// Read model of bookings (lists with filters and pagination, the booking-id → occurrence lookup, the
// reschedule reconciler's scan). Written only by CallbackSlotsProjection; the stream stays the truth.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BookingRef } from '@cc/contracts';

@Entity({ name: 'bookings' })
export class BookingEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'booking_id', type: 'uuid' })
  bookingId!: string;

  @Column({ name: 'call_slot_id', type: 'text' })
  callSlotId!: string;

  @Column({ name: 'start_at', type: 'timestamptz' })
  startAt!: Date;

  @Column({ name: 'start_iso', type: 'text' })
  startIso!: string;

  @Column({ name: 'end_iso', type: 'text' })
  endIso!: string;

  @Column({ type: 'text' })
  status!: 'booked' | 'cancelled';

  @Column({ name: 'callback_number', type: 'text' })
  callbackNumber!: string;

  @Column({ name: 'caller_cli', type: 'text', nullable: true })
  callerCli!: string | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'campaign_id', type: 'text', nullable: true })
  campaignId!: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'offer_session_id', type: 'uuid', nullable: true })
  offerSessionId!: string | null;

  @Column({ name: 'call_id', type: 'text', nullable: true })
  callId!: string | null;

  @Column({ name: 'rescheduled_from', type: 'jsonb', nullable: true })
  rescheduledFrom!: BookingRef | null;

  @Column({ name: 'rescheduled_to', type: 'jsonb', nullable: true })
  rescheduledTo!: BookingRef | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;

  @Column({ name: 'booked_at', type: 'timestamptz' })
  bookedAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}
