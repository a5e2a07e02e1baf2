// Finds the occurrence a booking id lives in (its stream): bookings this process just made from memory,
// the rest from the bookings read model, waiting for the projection once before answering "not found"
// (a booking made a moment ago by another instance). A booking outside the caller's profile is not found.
import { Injectable } from '@nestjs/common';
import type { BookingRef, CallSlotProfile } from '@cc/contracts';
import { canSee } from '../access/call-slot-profile';
import { callbackSlotsError } from '../domain/callback-slots-error';
import { BookingsRepository } from '../projections/bookings.repository';
import { CallbackSlotsProjectionRunner } from '../projections/callback-slots.projection-runner';

const REMEMBERED_MAX = 50_000;

@Injectable()
export class BookingLocator {
  private readonly recent = new Map<string, BookingRef>();

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly projection: CallbackSlotsProjectionRunner,
  ) {}

  remember(tenantId: string, ref: BookingRef): void {
    if (this.recent.size >= REMEMBERED_MAX) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(`${tenantId}/${ref.bookingId}`, ref);
  }

  async locate(tenantId: string, bookingId: string, profile?: CallSlotProfile): Promise<BookingRef> {
    let ref = this.recent.get(`${tenantId}/${bookingId}`) ?? (await this.bookings.location(tenantId, bookingId));
    if (ref === null) {
      await this.projection.caughtUp();
      ref = await this.bookings.location(tenantId, bookingId);
    }
    if (ref === null || !canSee(profile, ref.callSlotId)) {
      throw callbackSlotsError('BOOKING_NOT_FOUND', `no booking ${bookingId}`, [{ path: 'bookingId', message: 'unknown booking' }]);
    }
    return ref;
  }
}
