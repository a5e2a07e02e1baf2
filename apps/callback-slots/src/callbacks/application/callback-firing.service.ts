// Sets and reads when a call slot's callbacks fire (at the occurrence start, or spread over its first
// minutes). The scheduler projection applies it to callbacks booked after the change.
import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '@cc/platform';
import { toCallbackFiringStreamId, type CallbackFiringEvent, type CallbackFiringView, type SetCallbackFiringRequest } from '@cc/contracts';
import { callbackFiringDecider, firingOf, type CallbackFiringState, type SetCallbackFiring } from '../domain/callback-firing.decider';

@Injectable()
export class CallbackFiringService {
  constructor(private readonly executor: CommandExecutor) {}

  async set(tenantId: string, request: SetCallbackFiringRequest, actor: string): Promise<CallbackFiringView> {
    const result = await this.executor.execute<CallbackFiringState, SetCallbackFiring, CallbackFiringEvent>({
      streamId: toCallbackFiringStreamId(tenantId, request.callSlotId),
      decider: callbackFiringDecider,
      command: { type: 'SetCallbackFiring', callSlotId: request.callSlotId, firing: request.firing },
      tenantId,
      actor,
    });
    return { callSlotId: request.callSlotId, firing: firingOf(result.state), revision: result.revision ?? -1 };
  }

  async get(tenantId: string, callSlotId: string): Promise<CallbackFiringView> {
    const { state, revision } = await this.executor.load(toCallbackFiringStreamId(tenantId, callSlotId), callbackFiringDecider);
    return { callSlotId, firing: firingOf(state), revision: revision ?? -1 };
  }
}
