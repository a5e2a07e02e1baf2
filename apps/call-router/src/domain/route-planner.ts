// `route(call)`: finds the dialled number's call flow in the replicas and plans the call from its start
// node. An unknown or retired number is a "not routable" answer, not an error: the SIP edge plays
// "number not in service". Pure: replicas in, plan out; `at` is the only notion of now.
import type { PlanStep, RoutePlan } from '@cc/contracts';
import { planSegment } from './flow-segment.planner';
import { RoutingTraceRecorder } from './routing-trace.recorder';
import type { RoutingReplicaReader } from './tenant-routing.view';

export type RouteInput = {
  readonly tenantId: string;
  /** The telephony side's call id; null for a dry run. */
  readonly callId: string | null;
  /** The dialled number (DID), E.164. */
  readonly number: string;
  /** The caller's CLI, E.164; null when withheld. */
  readonly cli: string | null;
  readonly dryRun: boolean;
};

export function planRoute(input: RouteInput, replicas: RoutingReplicaReader, at: Date): RoutePlan {
  const view = replicas.forTenant(input.tenantId);
  const trace = new RoutingTraceRecorder();
  const common = { callId: input.callId, tenantId: input.tenantId, number: input.number, dryRun: input.dryRun, at: at.toISOString() };
  const lookup = view.callFlow(input.number);
  if (!lookup || lookup.status === 'retired') {
    const reason = lookup ? 'retired' : 'unknownNumber';
    trace.add(
      'flow.notRoutable',
      null,
      lookup ? `${input.number} had a call flow (version ${lookup.version}); it was retired` : `${input.number} has no call flow`,
      { number: input.number, reason },
    );
    return { outcome: 'notRoutable', ...common, reason, trace: trace.entries };
  }
  const { flow, version } = lookup;
  trace.add('flow.selected', flow.start, `${input.number} runs call flow "${flow.name}" version ${version}`, {
    number: input.number,
    version,
  });
  const segment = planSegment({ view, flow, at, cli: input.cli, firstStepSeq: 1, trace }, flow.start);
  return {
    outcome: 'routed',
    ...common,
    flowVersion: version,
    decision: { currentStepId: segment.entryStepId, steps: segment.steps, trace: trace.entries },
  };
}

/** The agents a set of steps concerns (rung, or whose voicemail it is): the `agentIds` of routing events. */
export function agentIdsOf(steps: readonly PlanStep[]): string[] {
  const ids = new Set<string>();
  for (const step of steps) {
    switch (step.kind) {
      case 'ring':
        for (const target of step.targets) if (target.agentId !== null) ids.add(target.agentId);
        break;
      case 'voicemail':
        if (step.mailbox.kind === 'extension' && step.mailbox.agentId !== null) ids.add(step.mailbox.agentId);
        break;
      case 'menu':
      case 'offerCallback':
      case 'forward':
      case 'announcement':
      case 'hangup':
        break;
      default: {
        const _exhaustive: never = step;
        return _exhaustive;
      }
    }
  }
  return [...ids];
}
