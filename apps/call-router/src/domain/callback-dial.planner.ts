// Who takes a scheduled callback (callback-slots asks at each attempt, `call-router.callback-plan`): the
// team the caller was waiting for when the callback was offered, i.e. the ring nodes of the tenant's flows
// whose no-answer / busy / unreachable edge leads to an offerCallback node of that call slot. The first of
// them that would ring somebody now, by the same rules as a call (working hours, ring preference, device
// state, diverts), gives the devices and the ring time. Pure: replicas in, plan out; `at` is now.
import type { CallFlowDefinition, CallbackDialPlanReply, CallbackAgentTarget } from '@cc/contracts';
import { stepById } from './call-state';
import { planSegment } from './flow-segment.planner';
import { RoutingTraceRecorder } from './routing-trace.recorder';
import type { TenantRoutingView } from './tenant-routing.view';

export type PublishedFlow = { readonly number: string; readonly version: number; readonly flow: CallFlowDefinition };

export type CallbackDialRequest = { readonly callSlotId: string; readonly at: Date };

const RING_LIMITS = { min: 1, max: 600 } as const;
const clampRing = (seconds: number): number => Math.min(RING_LIMITS.max, Math.max(RING_LIMITS.min, Math.round(seconds)));

export function planCallbackDial(flows: readonly PublishedFlow[], view: TenantRoutingView, request: CallbackDialRequest): CallbackDialPlanReply {
  const teams: Array<{ flow: PublishedFlow; nodeId: string }> = [];
  let offeringFlows = 0;
  for (const published of [...flows].sort((a, b) => a.number.localeCompare(b.number))) {
    const { nodes } = published.flow;
    const offers = new Set(Object.keys(nodes).filter((id) => {
      const node = nodes[id]!;
      return node.type === 'offerCallback' && node.callSlotId === request.callSlotId;
    }));
    if (offers.size === 0) continue;
    offeringFlows++;
    for (const [nodeId, node] of Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b))) {
      if (node.type !== 'ringAgent' && node.type !== 'ringGroup') continue;
      const edges = [node.onNoAnswer, node.onBusy, node.onUnreachable];
      if (edges.some((target) => target !== undefined && offers.has(target))) teams.push({ flow: published, nodeId });
    }
  }
  if (offeringFlows === 0) return { outcome: 'no-agent', reason: `no published call flow offers callbacks of call slot ${request.callSlotId}` };
  if (teams.length === 0) {
    return { outcome: 'no-agent', reason: `no ring node leads to the callback offer of call slot ${request.callSlotId}: nobody is known to take its callbacks` };
  }

  const why: string[] = [];
  for (const { flow, nodeId } of teams) {
    const trace = new RoutingTraceRecorder();
    const segment = planSegment({ view, flow: flow.flow, at: request.at, cli: null, firstStepSeq: 1, trace }, nodeId);
    const entry = stepById(segment.steps, segment.entryStepId);
    if (entry?.kind === 'ring') {
      const targets: CallbackAgentTarget[] = entry.targets.map((target) =>
        target.kind === 'extension'
          ? { kind: 'extension', extension: target.extension, agentId: target.agentId }
          : { kind: 'number', e164: target.e164, agentId: target.agentId },
      );
      return {
        outcome: 'planned',
        agent: { targets, ringSeconds: clampRing(entry.ringSeconds) },
        customerRingSeconds: clampRing(flow.flow.settings.defaultRingSeconds),
      };
    }
    const reasons = trace.entries.filter((entry) => !entry.message.startsWith('[if ')).map((entry) => entry.message);
    why.push(`${flow.number} ${nodeId}: ${reasons.length > 0 ? reasons.join('; ') : `nobody rings (${entry?.kind ?? 'no step'})`}`);
  }
  return { outcome: 'no-agent', reason: `nobody can take a callback now: ${why.join(' | ')}`.slice(0, 500) };
}
