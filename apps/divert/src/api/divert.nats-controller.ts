// NATS request-reply API of the divert service (`divert.<verb>`, queue group "divert"): the same
// operations as HTTP for internal services, which name the tenant and actor in the request.
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DivertRpc,
  type BulkReplaceDivertRulesResponse,
  type DivertAuditResponse,
  type DivertChangeResult,
  type DivertRulesView,
  type EffectiveDivertResponse,
  type ListDivertRulesResponse,
} from '@cc/contracts';
import { parseOrThrow } from '@cc/platform';
import { callerOfRpc } from '../application/divert-caller';
import { DivertRulesService } from '../application/divert-rules.service';

@Controller()
export class DivertNatsController {
  constructor(private readonly diverts: DivertRulesService) {}

  @MessagePattern(DivertRpc.getRules.subject)
  getRules(@Payload() message: unknown): Promise<DivertRulesView> {
    const request = parseOrThrow(DivertRpc.getRules.request, message);
    return this.diverts.getRules(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.setRule.subject)
  setRule(@Payload() message: unknown): Promise<DivertChangeResult> {
    const request = parseOrThrow(DivertRpc.setRule.request, message);
    return this.diverts.setRule(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.clearRule.subject)
  clearRule(@Payload() message: unknown): Promise<DivertChangeResult> {
    const request = parseOrThrow(DivertRpc.clearRule.request, message);
    return this.diverts.clearRule(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.replaceRules.subject)
  replaceRules(@Payload() message: unknown): Promise<DivertChangeResult> {
    const request = parseOrThrow(DivertRpc.replaceRules.request, message);
    return this.diverts.replaceRules(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.bulkReplaceRules.subject)
  bulkReplaceRules(@Payload() message: unknown): Promise<BulkReplaceDivertRulesResponse> {
    const request = parseOrThrow(DivertRpc.bulkReplaceRules.request, message);
    return this.diverts.bulkReplaceRules(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.effectiveDivert.subject)
  effectiveDivert(@Payload() message: unknown): Promise<EffectiveDivertResponse> {
    const request = parseOrThrow(DivertRpc.effectiveDivert.request, message);
    return this.diverts.effectiveDivert(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.listRules.subject)
  listRules(@Payload() message: unknown): Promise<ListDivertRulesResponse> {
    const request = parseOrThrow(DivertRpc.listRules.request, message);
    return this.diverts.listRules(callerOfRpc(request), request.payload);
  }

  @MessagePattern(DivertRpc.audit.subject)
  audit(@Payload() message: unknown): Promise<DivertAuditResponse> {
    const request = parseOrThrow(DivertRpc.audit.request, message);
    return this.diverts.audit(callerOfRpc(request), request.payload);
  }
}
