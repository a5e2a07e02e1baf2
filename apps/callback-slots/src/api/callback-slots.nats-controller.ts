// NATS request-reply API of callback-slots (`callback-slots.<verb>`, queue group "callback-slots"): the
// router's availability query and IVR offer dialogue, bookings for internal services. Validate with the
// contract schema, call one application function, return; errors go back as problem objects (`err`).
import { Controller, UseGuards } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CallbackSlotsRpc, type BookCallbackResponse, type BookingView, type CallbackAvailabilityResponse, type OfferReply } from '@cc/contracts';
import { parseOrThrow } from '@cc/platform';
import { CallSlotsLicenceGuard } from '../access/call-slots-licence.guard';
import { BookingService } from '../bookings/booking.service';
import { AvailabilityService } from '../call-slots/availability.service';
import { callerOfRpc } from '../call-slots/call-slot-caller';
import { OfferService } from '../offers/offer.service';

@UseGuards(CallSlotsLicenceGuard)
@Controller()
export class CallbackSlotsNatsController {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly offers: OfferService,
    private readonly bookings: BookingService,
  ) {}

  @MessagePattern(CallbackSlotsRpc.availability.subject)
  availabilityOf(@Payload() message: unknown): Promise<CallbackAvailabilityResponse> {
    const request = parseOrThrow(CallbackSlotsRpc.availability.request, message);
    return this.availability.availability(request.tenantId, request.payload.callSlotId);
  }

  @MessagePattern(CallbackSlotsRpc.startOffer.subject)
  startOffer(@Payload() message: unknown): Promise<OfferReply> {
    const request = parseOrThrow(CallbackSlotsRpc.startOffer.request, message);
    return this.offers.start(callerOfRpc(request), request.payload);
  }

  @MessagePattern(CallbackSlotsRpc.offerDtmf.subject)
  offerDtmf(@Payload() message: unknown): Promise<OfferReply> {
    const request = parseOrThrow(CallbackSlotsRpc.offerDtmf.request, message);
    return this.offers.dtmf(callerOfRpc(request), request.payload);
  }

  @MessagePattern(CallbackSlotsRpc.enterCallbackNumber.subject)
  enterCallbackNumber(@Payload() message: unknown): Promise<OfferReply> {
    const request = parseOrThrow(CallbackSlotsRpc.enterCallbackNumber.request, message);
    return this.offers.enterNumber(callerOfRpc(request), request.payload);
  }

  @MessagePattern(CallbackSlotsRpc.abandonOffer.subject)
  abandonOffer(@Payload() message: unknown): Promise<OfferReply> {
    const request = parseOrThrow(CallbackSlotsRpc.abandonOffer.request, message);
    return this.offers.abandon(callerOfRpc(request), request.payload);
  }

  @MessagePattern(CallbackSlotsRpc.bookCallback.subject)
  bookCallback(@Payload() message: unknown): Promise<BookCallbackResponse> {
    const request = parseOrThrow(CallbackSlotsRpc.bookCallback.request, message);
    return this.bookings.book({ ...request.payload, tenantId: request.tenantId, actor: request.actor });
  }

  @MessagePattern(CallbackSlotsRpc.cancelBooking.subject)
  cancelBooking(@Payload() message: unknown): Promise<BookingView> {
    const request = parseOrThrow(CallbackSlotsRpc.cancelBooking.request, message);
    return this.bookings.cancel({ ...request.payload, tenantId: request.tenantId, actor: request.actor });
  }
}
