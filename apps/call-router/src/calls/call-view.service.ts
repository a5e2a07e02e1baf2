// Where one call is now, folded from its stream (not a read model, so never stale): the flow version it
// runs on, its current step, and how it ended. The call log with history and visibility is issue 10's.
import { Injectable } from '@nestjs/common';
import { CALL_ROUTER_ERRORS, CallOutcomeSchema, DomainError, E164Schema, PlanStepSchema, toCallStreamId } from '@cc/contracts';
import { z } from 'zod';
import { currentStep } from '../domain/call.decider';
import { CallProgressService } from './call-progress.service';

export const CallViewSchema = z.strictObject({
  callId: z.string(),
  number: E164Schema,
  status: z.enum(['routing', 'connected', 'ended', 'notRoutable']),
  flowVersion: z.number().int().positive().nullable(),
  /** The step the call is at (announcements passed through); null once it ended. */
  currentStep: PlanStepSchema.nullable(),
  outcome: CallOutcomeSchema.nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type CallView = z.infer<typeof CallViewSchema>;

@Injectable()
export class CallViewService {
  constructor(private readonly calls: CallProgressService) {}

  async get(tenantId: string, callId: string): Promise<CallView> {
    const { record } = await this.calls.load(toCallStreamId(tenantId, callId));
    switch (record.status) {
      case 'none':
      case 'received': {
        const { code, kind } = CALL_ROUTER_ERRORS.UNKNOWN_CALL;
        throw new DomainError(code, kind, `the router has no call ${callId}`, [{ path: 'callId', message: 'unknown call' }]);
      }
      case 'notRoutable':
        return { callId, number: record.number, status: 'notRoutable', flowVersion: null, currentStep: null, outcome: 'rejected', startedAt: null, endedAt: null };
      case 'tracked': {
        const { call } = record;
        if (call.status === 'ended') {
          return { callId, number: call.number, status: 'ended', flowVersion: call.flowVersion, currentStep: null, outcome: call.outcome, startedAt: call.startedAt, endedAt: call.endedAt };
        }
        return { callId, number: call.number, status: call.status, flowVersion: call.flowVersion, currentStep: currentStep(call), outcome: null, startedAt: call.startedAt, endedAt: null };
      }
      default: {
        const _exhaustive: never = record;
        return _exhaustive;
      }
    }
  }
}
