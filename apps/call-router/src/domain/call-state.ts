// A call the router is driving: the flow version it started with, the steps of its current decision
// and where it is. Plain data (the adapter keeps it in memory or Redis); a union on `status` so an
// ended call cannot carry a current step.
import type { CallOutcome, PlanStep, RoutePlan } from '@cc/contracts';

type CallBase = {
  readonly callId: string;
  readonly tenantId: string;
  readonly number: string;
  readonly cli: string | null;
  /** The flow version the call started with: every later decision plans with it. */
  readonly flowVersion: number;
  readonly startedAt: string;
  /** Number of the next step id (`s{n}`); ids never repeat within a call. */
  readonly nextStepSeq: number;
  readonly callbackBooked: boolean;
};

export type RoutingCall = CallBase & {
  readonly status: 'routing';
  readonly currentStepId: string;
  /** The steps of the current decision (the current step and its planned failure edges). */
  readonly steps: readonly PlanStep[];
};

export type ConnectedCall = CallBase & {
  readonly status: 'connected';
  readonly currentStepId: string;
  readonly steps: readonly PlanStep[];
  readonly answeredLegId: string | null;
  readonly answeredAt: string;
};

export type EndedCall = CallBase & {
  readonly status: 'ended';
  readonly outcome: CallOutcome;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly talkSeconds: number | null;
};

export type CallState = RoutingCall | ConnectedCall | EndedCall;

type RoutedPlan = Extract<RoutePlan, { outcome: 'routed' }>;

/**
 * The state of a call after its first routing decision; `cli` as in the route request. A dry run has no
 * call to follow: asking for one is an adapter bug, not bad input.
 */
export function startCall(plan: RoutedPlan, cli: string | null): RoutingCall {
  if (plan.dryRun || plan.callId === null) throw new Error('startCall: a dry run (or a plan without call id) does not start a call');
  return {
    status: 'routing',
    callId: plan.callId,
    tenantId: plan.tenantId,
    number: plan.number,
    cli,
    flowVersion: plan.flowVersion,
    startedAt: plan.at,
    nextStepSeq: nextSeqAfter(plan.decision.steps),
    callbackBooked: false,
    currentStepId: plan.decision.currentStepId,
    steps: plan.decision.steps,
  };
}

export function nextSeqAfter(steps: readonly PlanStep[]): number {
  let max = 0;
  for (const step of steps) max = Math.max(max, Number(step.id.slice(1)));
  return max + 1;
}

export function stepById(steps: readonly PlanStep[], id: string): PlanStep | undefined {
  for (const step of steps) if (step.id === id) return step;
  return undefined;
}
