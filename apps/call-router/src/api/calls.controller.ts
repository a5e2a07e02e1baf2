// HTTP call progress, `POST /v1/calls/{callId}/events`, for two reporters: the Kamailio SIP edge (its event
// format, tenant found from the Call-ID, deduplicated by event id, deploy/kamailio/README.md §4) and a
// tenant's own telephony or IVR (the contract's CallProgress, tenant from the token). Both answer 202.
// `GET /v1/calls/{callId}` shows where a call is (flow version, current step, outcome).
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  CallOfferResponseSchema,
  CallProgressReplySchema,
  CallProgressSchema,
  CallIdSchema,
  SipEdgeEventAckSchema,
  SipEdgeEventSchema,
  type CallOfferResponse,
  type CallProgressReply,
  type SipEdgeEventAck,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, currentContext, parseOrThrow, Roles, type Principal } from '@cc/platform';
import { z } from 'zod';
import { CallProgressService } from '../calls/call-progress.service';
import { CallViewService, CallViewSchema, type CallView } from '../calls/call-view.service';
import { SipEdgeService } from '../sip/sip-edge.service';
import { isSipEdge } from './sip-edge.principal';
import { tenantScopedInput } from './tenant-scoped-input';

const ProgressBodySchema = z.union([SipEdgeEventSchema, CallProgressSchema]);

@ApiTags('calls')
@Controller('v1/calls')
export class CallsController {
  constructor(
    private readonly progress: CallProgressService,
    private readonly sip: SipEdgeService,
    private readonly calls: CallViewService,
  ) {}

  @Post(':callId/events')
  @HttpCode(202)
  @Roles('OPERATOR', 'ADMIN', 'SERVICE')
  @ApiZod({ body: ProgressBodySchema, response: z.union([SipEdgeEventAckSchema, CallProgressReplySchema]), status: 202, errors: [400, 401, 403, 404, 409, 410] })
  async event(
    @CurrentPrincipal() principal: Principal,
    @Param('callId') callId: string,
    @Body() body: unknown,
  ): Promise<SipEdgeEventAck | CallProgressReply | { duplicate: true }> {
    parseOrThrow(CallIdSchema, callId, 'params.callId');
    const context = { correlationId: currentContext()?.correlationId ?? randomUUID(), actor: principal.subject };
    if (isSipEdge(principal)) return this.sip.event(callId, parseOrThrow(SipEdgeEventSchema, body), context);
    const progress = parseOrThrow(CallProgressSchema, tenantScopedInput(body, principal, { callId }));
    const result = await this.progress.progress(progress, context);
    return result.duplicate ? { duplicate: true } : result.reply;
  }

  /** The callback offer of a call at an offerCallback step: callback-slots' current prompt (started on the first ask). */
  @Get(':callId/offer')
  @Roles('OPERATOR', 'ADMIN', 'SERVICE')
  @ApiZod({ response: CallOfferResponseSchema, errors: [401, 403, 404, 409, 410] })
  offer(@CurrentPrincipal() principal: Principal, @Param('callId') callId: string): Promise<CallOfferResponse> {
    const context = { correlationId: currentContext()?.correlationId ?? randomUUID(), actor: principal.subject };
    return this.progress.offer(principal.tenantId, parseOrThrow(CallIdSchema, callId, 'params.callId'), context);
  }

  @Get(':callId')
  @Roles('OPERATOR', 'ADMIN', 'MANAGER', 'SERVICE')
  @ApiZod({ response: CallViewSchema, errors: [401, 403, 404] })
  get(@CurrentPrincipal() principal: Principal, @Param('callId') callId: string): Promise<CallView> {
    return this.calls.get(principal.tenantId, parseOrThrow(CallIdSchema, callId, 'params.callId'));
  }
}
