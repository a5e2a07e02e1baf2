// NATS request-reply API of call flows (`call-router.flow-*`): the HTTP operations for internal services,
// which name the tenant and actor in the request. `flow-list` reads the replicas, so it is served by the
// replica-gated responder instead.
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CallFlowRpc, type CallFlowView, type PublishCallFlowResponse } from '@cc/contracts';
import { parseOrThrow } from '@cc/platform';
import { CallFlowsService } from '../flows/call-flows.service';

@Controller()
export class CallFlowsNatsController {
  constructor(private readonly flows: CallFlowsService) {}

  @MessagePattern(CallFlowRpc.publish.subject)
  async publish(@Payload() message: unknown): Promise<PublishCallFlowResponse> {
    const { tenantId, actor, payload } = parseOrThrow(CallFlowRpc.publish.request, message);
    const { view, changed } = await this.flows.publish({ tenantId, actor }, payload.flow.number, payload);
    return { ...view, changed };
  }

  @MessagePattern(CallFlowRpc.get.subject)
  get(@Payload() message: unknown): Promise<CallFlowView> {
    const { tenantId, actor, payload } = parseOrThrow(CallFlowRpc.get.request, message);
    return this.flows.get({ tenantId, actor }, payload.number);
  }

  @MessagePattern(CallFlowRpc.retire.subject)
  retire(@Payload() message: unknown): Promise<CallFlowView> {
    const { tenantId, actor, payload } = parseOrThrow(CallFlowRpc.retire.request, message);
    return this.flows.retire({ tenantId, actor }, payload);
  }
}
