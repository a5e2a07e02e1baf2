// Call flows as use-cases: publish a new version (validated graph), read one, list a tenant's, retire one.
// Each write is load-decide-append on the number's stream; the instance that wrote it applies the event to
// its own replica at once (read-your-writes for the next `route`), the others get it from JetStream.
import { Inject, Injectable } from '@nestjs/common';
import {
  CALL_ROUTER_ERRORS,
  DomainError,
  toCallFlowStreamId,
  type CallFlowEvent,
  type CallFlowView,
  type PublishCallFlowRequest,
  type RetireCallFlowRequest,
} from '@cc/contracts';
import { CommandExecutor } from '@cc/platform';
import { callFlowDecider, type CallFlowCommand, type CallFlowState } from '../domain/call-flow.decider';
import { RoutingReplicas } from '../domain/replicas';
import { ReplicaSync } from '../replicas/replica-sync';

/** Who asks: the tenant (token or NATS request, never the body) and the actor for the events. */
export type RouterCaller = { readonly tenantId: string; readonly actor: string };

export type PublishCallFlowResult = { readonly view: CallFlowView; readonly changed: boolean };

@Injectable()
export class CallFlowsService {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    private readonly replicas: RoutingReplicas,
    private readonly sync: ReplicaSync,
  ) {}

  async publish(caller: RouterCaller, number: string, request: PublishCallFlowRequest): Promise<PublishCallFlowResult> {
    const command: CallFlowCommand = {
      type: 'PublishCallFlow',
      number,
      flow: request.flow,
      ...(request.expectedVersion === undefined ? {} : { expectedVersion: request.expectedVersion }),
    };
    const result = await this.execute(caller, number, command);
    return { view: viewOf(number, result.state), changed: result.changed };
  }

  async retire(caller: RouterCaller, request: RetireCallFlowRequest): Promise<CallFlowView> {
    const result = await this.execute(caller, request.number, { type: 'RetireCallFlow', number: request.number, reason: request.reason ?? null });
    return viewOf(request.number, result.state);
  }

  /** The number's current flow, read from its stream (never stale). */
  async get(caller: RouterCaller, number: string): Promise<CallFlowView> {
    const { state } = await this.executor.load(toCallFlowStreamId(caller.tenantId, number), callFlowDecider);
    return viewOf(number, state);
  }

  /**
   * Every number of the tenant that has a flow (retired ones included), by number, from this instance's
   * replica: what it routes with (a flow published on another instance appears within milliseconds).
   */
  list(caller: RouterCaller): CallFlowView[] {
    this.sync.assertReady();
    return this.replicas.callFlowsOf(caller.tenantId).sort((a, b) => a.number.localeCompare(b.number));
  }

  private async execute(caller: RouterCaller, number: string, command: CallFlowCommand): Promise<{ state: CallFlowState; changed: boolean }> {
    const streamId = toCallFlowStreamId(caller.tenantId, number);
    const result = await this.executor.execute({ streamId, decider: callFlowDecider, command, tenantId: caller.tenantId, actor: caller.actor });
    if (result.events.length > 0 && result.revision !== null) {
      const first = result.revision - result.events.length + 1;
      result.events.forEach((event, index) =>
        this.replicas.applyCallFlowEvent({ tenantId: caller.tenantId, revision: first + index }, { type: event.type, data: event.data } as CallFlowEvent),
      );
    }
    return { state: result.state, changed: result.events.length > 0 };
  }
}

function viewOf(number: string, state: CallFlowState): CallFlowView {
  if (state.status === 'none') {
    const { code, kind } = CALL_ROUTER_ERRORS.FLOW_NOT_FOUND;
    throw new DomainError(code, kind, `${number} has no call flow`, [{ path: 'number', message: 'no call flow was published for it' }]);
  }
  return { number: state.number, version: state.version, status: state.status, flow: state.flow };
}
