// Read side of bookings: filtered, paginated lists from the read model, limited to the call slots the
// caller's profile shows. (A single booking is read from its stream by BookingService.get.)
import { Injectable } from '@nestjs/common';
import type { CallSlotProfile, ListBookingsRequest, ListBookingsResponse } from '@cc/contracts';
import { visibleIds } from '../access/call-slot-profile';
import { BookingsRepository } from '../projections/bookings.repository';

@Injectable()
export class BookingQueries {
  constructor(private readonly bookings: BookingsRepository) {}

  list(tenantId: string, request: ListBookingsRequest, profile?: CallSlotProfile): Promise<ListBookingsResponse> {
    return this.bookings.list(tenantId, request, visibleIds(profile));
  }
}
