// HTTP API of call slots (OpenAPI at /docs): definitions, grid generator, closed dates, one occurrence's
// capacity, the calendar and availability. Validate with the contract schemas, call one application
// function, return. Licence-gated; `callSlots:read` / `callSlots:write`; the caller's call-slot profile
// filters every read and write (a call slot outside it is 404).
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CalendarRequestSchema,
  CalendarResponseSchema,
  CallbackAvailabilityResponseSchema,
  CallSlotViewSchema,
  ChangeOccurrenceCapacityRequestSchema,
  CloseDateRequestSchema,
  CreateCallSlotRequestSchema,
  DeleteCallSlotRequestSchema,
  GenerateTimeSlotsRequestSchema,
  ListCallSlotsResponseSchema,
  OccurrenceViewSchema,
  ReopenDateRequestSchema,
  UpdateCallSlotRequestSchema,
  CallSlotIdSchema,
  LocalDateSchema,
  type CalendarResponse,
  type CallbackAvailabilityResponse,
  type CallSlotView,
  type CreateCallSlotRequest,
  type ListCallSlotsResponse,
  type OccurrenceView,
} from '@cc/contracts';
import { etagOfRevision, ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, RequirePrivileges, type Principal, zod } from '@cc/platform';
import { z } from 'zod';
import { CallSlotsLicenceGuard } from '../access/call-slots-licence.guard';
import { BookingService } from '../bookings/booking.service';
import { AvailabilityService } from '../call-slots/availability.service';
import { callerOfPrincipal } from '../call-slots/call-slot-caller';
import { CallSlotService } from '../call-slots/call-slot.service';
import { CALL_SLOTS_READ, CALL_SLOTS_WRITE } from './privileges';

/** For the OpenAPI document; CalendarRequestSchema (with the range rules) validates. */
const CalendarQuerySchema = z.strictObject({ from: LocalDateSchema, to: LocalDateSchema });
const UpdateBodySchema = UpdateCallSlotRequestSchema.omit({ callSlotId: true });
const GenerateBodySchema = GenerateTimeSlotsRequestSchema.omit({ callSlotId: true });
const DeleteBodySchema = DeleteCallSlotRequestSchema.omit({ callSlotId: true });
const CloseDateBodySchema = CloseDateRequestSchema.omit({ callSlotId: true, date: true });
const CapacityBodySchema = ChangeOccurrenceCapacityRequestSchema.omit({ callSlotId: true, startIso: true });

@ApiTags('call slots')
@UseGuards(CallSlotsLicenceGuard)
@Controller('v1/call-slots')
export class CallSlotsController {
  constructor(
    private readonly callSlots: CallSlotService,
    private readonly availability: AvailabilityService,
    private readonly bookings: BookingService,
  ) {}

  @Get()
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ response: ListCallSlotsResponseSchema, errors: [401, 403] })
  list(@CurrentPrincipal() principal: Principal): Promise<ListCallSlotsResponse> {
    return this.callSlots.list(callerOfPrincipal(principal));
  }

  @Post()
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: CreateCallSlotRequestSchema, response: CallSlotViewSchema, status: 201, errors: [400, 401, 403, 409, 410] })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(CreateCallSlotRequestSchema)) body: CreateCallSlotRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    return withEtag(reply, await this.callSlots.create(callerOfPrincipal(principal), body));
  }

  @Get(':callSlotId')
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ response: CallSlotViewSchema, errors: [400, 401, 403, 404] })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    return withEtag(reply, await this.callSlots.get(callerOfPrincipal(principal), parseOrThrow(CallSlotIdSchema, callSlotId, 'params.callSlotId')));
  }

  @Put(':callSlotId')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: UpdateBodySchema, response: CallSlotViewSchema, errors: [400, 401, 403, 404, 409, 410] })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    const request = parseOrThrow(UpdateCallSlotRequestSchema, httpCommandInput({ body, params: { callSlotId }, ifMatch }));
    return withEtag(reply, await this.callSlots.update(callerOfPrincipal(principal), request));
  }

  @Delete(':callSlotId')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: DeleteBodySchema, response: CallSlotViewSchema, errors: [400, 401, 403, 404, 409] })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    const request = parseOrThrow(DeleteCallSlotRequestSchema, httpCommandInput({ body, params: { callSlotId }, ifMatch }));
    return withEtag(reply, await this.callSlots.delete(callerOfPrincipal(principal), request));
  }

  /** Fill weekdays with a grid of equal time slots (`POST /v1/call-slots/{id}/time-slots/generate`). */
  @Post(':callSlotId/time-slots/generate')
  @HttpCode(200)
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: GenerateBodySchema, response: CallSlotViewSchema, errors: [400, 401, 403, 404, 409, 410] })
  async generate(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    const request = parseOrThrow(GenerateTimeSlotsRequestSchema, httpCommandInput({ body, params: { callSlotId }, ifMatch }));
    return withEtag(reply, await this.callSlots.generate(callerOfPrincipal(principal), request));
  }

  @Put(':callSlotId/closed-dates/:date')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: CloseDateBodySchema, response: CallSlotViewSchema, errors: [400, 401, 403, 404, 410] })
  async closeDate(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Param('date') date: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    const request = parseOrThrow(CloseDateRequestSchema, httpCommandInput({ body, params: { callSlotId, date } }));
    return withEtag(reply, await this.callSlots.closeDate(callerOfPrincipal(principal), request));
  }

  @Delete(':callSlotId/closed-dates/:date')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ response: CallSlotViewSchema, errors: [400, 401, 403, 404, 410] })
  async reopenDate(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Param('date') date: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallSlotView> {
    const request = parseOrThrow(ReopenDateRequestSchema, { callSlotId, date });
    return withEtag(reply, await this.callSlots.reopenDate(callerOfPrincipal(principal), request));
  }

  /** One occurrence's own capacity (`null`: back to its time slot's). Lowering it keeps existing bookings. */
  @Put(':callSlotId/occurrences/:startIso/capacity')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: CapacityBodySchema, response: OccurrenceViewSchema, errors: [400, 401, 403, 404, 409, 410] })
  changeOccurrenceCapacity(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Param('startIso') startIso: string,
    @Body() body: unknown,
  ): Promise<OccurrenceView> {
    const request = parseOrThrow(ChangeOccurrenceCapacityRequestSchema, httpCommandInput({ body, params: { callSlotId, startIso } }));
    return this.bookings.changeOccurrenceCapacity({ ...request, tenantId: principal.tenantId, actor: principal.subject, profile: principal.callSlotProfile });
  }

  /** Calendar: every local date of the range with each occurrence's capacity, bookings and free places. */
  @Get(':callSlotId/calendar')
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ query: CalendarQuerySchema, response: CalendarResponseSchema, errors: [400, 401, 403, 404] })
  calendar(
    @CurrentPrincipal() principal: Principal,
    @Param('callSlotId') callSlotId: string,
    @Query() query: unknown,
  ): Promise<CalendarResponse> {
    const request = parseOrThrow(CalendarRequestSchema, { ...(query as Record<string, unknown>), callSlotId }, 'query');
    return this.availability.calendar(principal.tenantId, request.callSlotId, request.from, request.to, principal.callSlotProfile);
  }

  /** Whether callbacks would be offered on a call now, and the first free occurrence (what the router asks over NATS). */
  @Get(':callSlotId/availability')
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ response: CallbackAvailabilityResponseSchema, errors: [400, 401, 403, 404] })
  availabilityOf(@CurrentPrincipal() principal: Principal, @Param('callSlotId') callSlotId: string): Promise<CallbackAvailabilityResponse> {
    const id = parseOrThrow(CallSlotIdSchema, callSlotId, 'params.callSlotId');
    return this.availability.availability(principal.tenantId, id, principal.callSlotProfile);
  }
}

function withEtag(reply: FastifyReply, view: CallSlotView): CallSlotView {
  void reply.header('etag', etagOfRevision(view.revision));
  return view;
}
