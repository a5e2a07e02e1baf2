// The callback offer dialogue of callback-slots (seed 003), as the router drives it for a call: start it,
// pass the caller's keys or typed number, abandon it on hang-up. One port, and its NATS request-reply
// implementation on CallbackSlotsRpc (the replies are validated against the contract).
import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  CallbackSlotsRpc,
  OfferReplySchema,
  type AbandonOfferRequest,
  type EnterCallbackNumberRequest,
  type OfferDtmfRequest,
  type OfferReply,
  type StartOfferRequest,
} from '@cc/contracts';
import { NATS_CONNECTION } from '@cc/messaging';
import { rpcRequest } from '@cc/platform';

export interface OfferDialogue {
  start(tenantId: string, request: StartOfferRequest): Promise<OfferReply>;
  dtmf(tenantId: string, request: OfferDtmfRequest): Promise<OfferReply>;
  enterNumber(tenantId: string, request: EnterCallbackNumberRequest): Promise<OfferReply>;
  abandon(tenantId: string, request: AbandonOfferRequest): Promise<OfferReply>;
}

export const OFFER_DIALOGUE = Symbol('OFFER_DIALOGUE');

/** The actor callback-slots records for the offers the router runs. */
export const ROUTER_OFFER_ACTOR = 'service:call-router';
const TIMEOUT_MS = 3_000;

@Injectable()
export class NatsOfferDialogue implements OfferDialogue {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  start(tenantId: string, request: StartOfferRequest): Promise<OfferReply> {
    return this.call(CallbackSlotsRpc.startOffer.subject, tenantId, request);
  }
  dtmf(tenantId: string, request: OfferDtmfRequest): Promise<OfferReply> {
    return this.call(CallbackSlotsRpc.offerDtmf.subject, tenantId, request);
  }
  enterNumber(tenantId: string, request: EnterCallbackNumberRequest): Promise<OfferReply> {
    return this.call(CallbackSlotsRpc.enterCallbackNumber.subject, tenantId, request);
  }
  abandon(tenantId: string, request: AbandonOfferRequest): Promise<OfferReply> {
    return this.call(CallbackSlotsRpc.abandonOffer.subject, tenantId, request);
  }

  private async call(subject: string, tenantId: string, payload: unknown): Promise<OfferReply> {
    const reply = await rpcRequest<unknown>(this.nc, subject, { tenantId, actor: ROUTER_OFFER_ACTOR, payload }, { timeoutMs: TIMEOUT_MS });
    return OfferReplySchema.parse(reply);
  }
}
