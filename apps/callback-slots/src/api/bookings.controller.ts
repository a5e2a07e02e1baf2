// HTTP API of bookings (OpenAPI at /docs): book, list with filters and pagination, get, cancel,
// reschedule. Validate with the contract schemas, call one BookingService / query function, return.
// Licence-gated; `callSlots:read` / `callSlots:write`; the call-slot profile hides other call slots' bookings.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  BookCallbackRequestSchema,
  BookCallbackResponseSchema,
  BookingViewSchema,
  CancelBookingRequestSchema,
  GetBookingRequestSchema,
  ListBookingsRequestSchema,
  ListBookingsResponseSchema,
  RescheduleBookingRequestSchema,
  RescheduleBookingResponseSchema,
  type BookCallbackRequest,
  type BookCallbackResponse,
  type BookingView,
  type ListBookingsRequest,
  type ListBookingsResponse,
  type RescheduleBookingResponse,
} from '@cc/contracts';
import { ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, RequirePrivileges, type Principal, zod } from '@cc/platform';
import { CallSlotsLicenceGuard } from '../access/call-slots-licence.guard';
import { BookingQueries } from '../bookings/booking.queries';
import { BookingService } from '../bookings/booking.service';
import { CALL_SLOTS_READ, CALL_SLOTS_WRITE } from './privileges';

const CancelBodySchema = CancelBookingRequestSchema.omit({ bookingId: true });
const RescheduleBodySchema = RescheduleBookingRequestSchema.omit({ bookingId: true });

@ApiTags('bookings')
@UseGuards(CallSlotsLicenceGuard)
@Controller('v1/bookings')
export class BookingsController {
  constructor(
    private readonly bookings: BookingService,
    private readonly queries: BookingQueries,
  ) {}

  /** 201 with `created: true`; 200 with `created: false` when the idempotency key booked before. */
  @Post()
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: BookCallbackRequestSchema, response: BookCallbackResponseSchema, status: 201, errors: [200, 400, 401, 403, 404, 409, 410, 422] })
  async book(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(BookCallbackRequestSchema)) body: BookCallbackRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookCallbackResponse> {
    const result = await this.bookings.book({ ...body, tenantId: principal.tenantId, actor: principal.subject, profile: principal.callSlotProfile });
    void reply.status(result.created ? 201 : 200);
    return result;
  }

  @Get()
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ query: ListBookingsRequestSchema, response: ListBookingsResponseSchema, errors: [400, 401, 403] })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(zod(ListBookingsRequestSchema, 'query')) query: ListBookingsRequest,
  ): Promise<ListBookingsResponse> {
    return this.queries.list(principal.tenantId, query, principal.callSlotProfile);
  }

  @Get(':bookingId')
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ response: BookingViewSchema, errors: [400, 401, 403, 404] })
  get(@CurrentPrincipal() principal: Principal, @Param('bookingId') bookingId: string): Promise<BookingView> {
    const request = parseOrThrow(GetBookingRequestSchema, { bookingId }, 'params');
    return this.bookings.get(principal.tenantId, request.bookingId, principal.callSlotProfile);
  }

  /** `POST /v1/bookings/{bookingId}/cancel`: cancelling a cancelled booking again changes nothing. */
  @Post(':bookingId/cancel')
  @HttpCode(200)
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: CancelBodySchema, response: BookingViewSchema, errors: [400, 401, 403, 404, 409] })
  cancel(@CurrentPrincipal() principal: Principal, @Param('bookingId') bookingId: string, @Body() body: unknown): Promise<BookingView> {
    const request = parseOrThrow(CancelBookingRequestSchema, httpCommandInput({ body, params: { bookingId } }));
    return this.bookings.cancel({ ...request, tenantId: principal.tenantId, actor: principal.subject, profile: principal.callSlotProfile });
  }

  /** `POST /v1/bookings/{bookingId}/reschedule`: if the new occurrence is full the old booking stays (409 SLOT_FULL). */
  @Post(':bookingId/reschedule')
  @HttpCode(200)
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: RescheduleBodySchema, response: RescheduleBookingResponseSchema, errors: [400, 401, 403, 404, 409, 410] })
  reschedule(@CurrentPrincipal() principal: Principal, @Param('bookingId') bookingId: string, @Body() body: unknown): Promise<RescheduleBookingResponse> {
    const request = parseOrThrow(RescheduleBookingRequestSchema, httpCommandInput({ body, params: { bookingId } }));
    return this.bookings.reschedule({ ...request, tenantId: principal.tenantId, actor: principal.subject, profile: principal.callSlotProfile });
  }
}
