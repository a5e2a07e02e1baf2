// HTTP API of scheduled callbacks: the dialer (or an operator) reports attempt outcomes, anyone with
// call-slot access reads where a callback stands, admins choose when a call slot's callbacks fire.
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZod, CurrentPrincipal, RequirePrivileges, Roles, parseOrThrow, zod, type Principal } from '@cc/platform';
import {
  BookingIdSchema,
  CallbackFiringSchema,
  CallbackFiringViewSchema,
  CallbackViewSchema,
  CallSlotIdSchema,
  ReportCallbackOutcomeRequestSchema,
  type CallbackFiringView,
  type CallbackView,
} from '@cc/contracts';
import { z } from 'zod';
import { CallbackDispatcher } from '../application/callback-dispatcher';
import { CallbackFiringService } from '../application/callback-firing.service';
import { CallbackViews } from '../application/callback-views';

const OutcomeBodySchema = ReportCallbackOutcomeRequestSchema.omit({ bookingId: true });
const FiringBodySchema = z.strictObject({ firing: CallbackFiringSchema });

@ApiTags('callbacks')
@Controller('v1')
export class CallbacksController {
  constructor(
    private readonly dispatcher: CallbackDispatcher,
    private readonly views: CallbackViews,
    private readonly firing: CallbackFiringService,
  ) {}

  @Post('callbacks/:bookingId/outcomes')
  @HttpCode(200)
  @Roles('SERVICE', 'ADMIN', 'OPERATOR')
  @ApiZod({ body: OutcomeBodySchema, response: CallbackViewSchema, errors: [400, 404, 409] })
  reportOutcome(@Param('bookingId') bookingId: string, @Body(zod(OutcomeBodySchema)) body: z.infer<typeof OutcomeBodySchema>, @CurrentPrincipal() principal: Principal): Promise<CallbackView> {
    const id = parseOrThrow(BookingIdSchema, bookingId, 'params.bookingId');
    return this.dispatcher.reportOutcome(principal.tenantId, { ...body, bookingId: id }, principal.subject);
  }

  @Get('callbacks/:bookingId')
  @RequirePrivileges('callSlots:read')
  @ApiZod({ response: CallbackViewSchema, errors: [404] })
  get(@Param('bookingId') bookingId: string, @CurrentPrincipal() principal: Principal): Promise<CallbackView> {
    return this.views.get(principal.tenantId, parseOrThrow(BookingIdSchema, bookingId, 'params.bookingId'));
  }

  @Put('call-slots/:callSlotId/callback-firing')
  @Roles('ADMIN', 'OPERATOR')
  @ApiZod({ body: FiringBodySchema, response: CallbackFiringViewSchema, errors: [400] })
  setFiring(@Param('callSlotId') callSlotId: string, @Body(zod(FiringBodySchema)) body: z.infer<typeof FiringBodySchema>, @CurrentPrincipal() principal: Principal): Promise<CallbackFiringView> {
    const id = parseOrThrow(CallSlotIdSchema, callSlotId, 'params.callSlotId');
    return this.firing.set(principal.tenantId, { callSlotId: id, firing: body.firing }, principal.subject);
  }

  @Get('call-slots/:callSlotId/callback-firing')
  @RequirePrivileges('callSlots:read')
  @ApiZod({ response: CallbackFiringViewSchema })
  getFiring(@Param('callSlotId') callSlotId: string, @CurrentPrincipal() principal: Principal): Promise<CallbackFiringView> {
    return this.firing.get(principal.tenantId, parseOrThrow(CallSlotIdSchema, callSlotId, 'params.callSlotId'));
  }
}
