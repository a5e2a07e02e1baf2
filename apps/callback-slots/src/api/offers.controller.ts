// The IVR offer dialogue over HTTP (the same steps as the NATS request-reply the router uses):
// start, a DTMF key, a typed callback number, hang-up. Licence-gated; `callSlots:write`.
import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AbandonOfferRequestSchema,
  EnterCallbackNumberRequestSchema,
  OfferDtmfRequestSchema,
  OfferReplySchema,
  StartOfferRequestSchema,
  type OfferReply,
  type StartOfferRequest,
} from '@cc/contracts';
import { ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, RequirePrivileges, type Principal, zod } from '@cc/platform';
import { CallSlotsLicenceGuard } from '../access/call-slots-licence.guard';
import { callerOfPrincipal } from '../call-slots/call-slot-caller';
import { OfferService } from '../offers/offer.service';
import { CALL_SLOTS_WRITE } from './privileges';

const DtmfBodySchema = OfferDtmfRequestSchema.omit({ sessionId: true });
const NumberBodySchema = EnterCallbackNumberRequestSchema.omit({ sessionId: true });

@ApiTags('offers')
@UseGuards(CallSlotsLicenceGuard)
@RequirePrivileges(CALL_SLOTS_WRITE)
@Controller('v1/offers')
export class OffersController {
  constructor(private readonly offers: OfferService) {}

  /** `not-offered` unless a free time slot starts within the offer window; else the first one. */
  @Post()
  @HttpCode(200)
  @ApiZod({ body: StartOfferRequestSchema, response: OfferReplySchema, errors: [400, 401, 403, 404, 410] })
  start(@CurrentPrincipal() principal: Principal, @Body(zod(StartOfferRequestSchema)) body: StartOfferRequest): Promise<OfferReply> {
    return this.offers.start(callerOfPrincipal(principal), body);
  }

  @Post(':sessionId/dtmf')
  @HttpCode(200)
  @ApiZod({ body: DtmfBodySchema, response: OfferReplySchema, errors: [400, 401, 403, 409, 410] })
  dtmf(@CurrentPrincipal() principal: Principal, @Param('sessionId') sessionId: string, @Body() body: unknown): Promise<OfferReply> {
    return this.offers.dtmf(callerOfPrincipal(principal), parseOrThrow(OfferDtmfRequestSchema, httpCommandInput({ body, params: { sessionId } })));
  }

  @Post(':sessionId/number')
  @HttpCode(200)
  @ApiZod({ body: NumberBodySchema, response: OfferReplySchema, errors: [400, 401, 403, 409, 410] })
  enterNumber(@CurrentPrincipal() principal: Principal, @Param('sessionId') sessionId: string, @Body() body: unknown): Promise<OfferReply> {
    const request = parseOrThrow(EnterCallbackNumberRequestSchema, httpCommandInput({ body, params: { sessionId } }));
    return this.offers.enterNumber(callerOfPrincipal(principal), request);
  }

  /** `POST /v1/offers/{sessionId}/abandon`: the caller hung up. */
  @Post(':sessionId/abandon')
  @HttpCode(200)
  @ApiZod({ response: OfferReplySchema, errors: [400, 401, 403, 409, 410] })
  abandon(@CurrentPrincipal() principal: Principal, @Param('sessionId') sessionId: string): Promise<OfferReply> {
    return this.offers.abandon(callerOfPrincipal(principal), parseOrThrow(AbandonOfferRequestSchema, { sessionId }, 'params'));
  }
}
