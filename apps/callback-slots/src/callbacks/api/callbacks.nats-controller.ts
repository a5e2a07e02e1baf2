// NATS request-reply API of scheduled callbacks (`callback-slots.callback-outcome`, queue group
// callback-slots): the dialer reports an attempt's outcome and gets the callback as it is now.
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseOrThrow } from '@cc/platform';
import { CallbackDispatchRpc, type CallbackView } from '@cc/contracts';
import { CallbackDispatcher } from '../application/callback-dispatcher';

@Controller()
export class CallbacksNatsController {
  constructor(private readonly dispatcher: CallbackDispatcher) {}

  @MessagePattern(CallbackDispatchRpc.reportOutcome.subject)
  reportOutcome(@Payload() message: unknown): Promise<CallbackView> {
    const request = parseOrThrow(CallbackDispatchRpc.reportOutcome.request, message);
    return this.dispatcher.reportOutcome(request.tenantId, request.payload, request.actor);
  }
}
