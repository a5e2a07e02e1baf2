// The call-router as a SIP edge / IVR / operator console uses it: publish a number's call flow, route a
// call (or simulate one with dryRun at any instant), report call progress, read the call log. Plus
// small readers of a plan (the step a call is in, what it rings, the trace codes).
import type {
  CallFlowDefinitionInput,
  CallProgressReply,
  PlanStep,
  RouteDecision,
  RoutePlan,
  TraceCode,
} from '@cc/contracts';
import type { TenantSession } from './platform-client';

export type { CallFlowDefinitionInput, CallProgressReply, PlanStep, RouteDecision, RoutePlan };

export type CallFlowView = { number: string; version: number; status: 'published' | 'retired' };

export const publishFlow = (session: TenantSession, flow: CallFlowDefinitionInput): Promise<CallFlowView> =>
  session.router.put<CallFlowView>(`/v1/call-flows/${encodeURIComponent(flow.number)}`, { flow });

export const getFlow = (session: TenantSession, number: string): Promise<CallFlowView> =>
  session.router.get<CallFlowView>(`/v1/call-flows/${encodeURIComponent(number)}`);

export type RouteCall = { number: string; cli: string | null; at?: string; callId?: string; dryRun?: boolean };

/** `POST /v1/route`: a real call when `callId` is given, else a simulation (dryRun). */
export const route = (session: TenantSession, call: RouteCall): Promise<RoutePlan> =>
  session.router.post<RoutePlan>('/v1/route', {
    number: call.number,
    cli: call.cli,
    ...(call.at ? { at: call.at } : {}),
    ...(call.callId ? { callId: call.callId, dryRun: call.dryRun ?? false } : { dryRun: true }),
  });

export type ProgressEvent =
  | { kind: 'answered' | 'no-answer' | 'busy' | 'unreachable'; legId?: string }
  | { kind: 'dtmf'; digits: string }
  | { kind: 'input-timeout' | 'hangup' }
  | { kind: 'callback-offer-ended'; outcome: 'booked' | 'declined'; bookingId: string | null };

/** `POST /v1/calls/{callId}/events`: what happened on the call; the reply is what to do next. */
export const progress = (session: TenantSession, callId: string, event: ProgressEvent & { stepId?: string; at?: string }): Promise<CallProgressReply> =>
  session.router.post<CallProgressReply>(`/v1/calls/${encodeURIComponent(callId)}/events`, event);

/** One call in the call log (the fields the stories read). */
export type CallLogEntry = { callId: string; number: string; cli: string | null; status: string; outcome: string | null; agentIds: string[]; answeredBy: string | null };
export type CallLogPage = { items: CallLogEntry[]; nextCursor: string | null };

export const callLogs = (session: TenantSession, query: { agentId?: string; number?: string; from?: string; to?: string } = {}): Promise<CallLogPage> =>
  session.router.get<CallLogPage>('/v1/call-logs', query);

// ------------------------------------------------------------------------------------- plan readers

export const decisionOf = (plan: RoutePlan): RouteDecision => {
  if (plan.outcome !== 'routed') throw new Error(`the call was not routed: ${plan.reason} (${plan.trace.map((t) => t.message).join('; ')})`);
  return plan.decision;
};

export const stepOf = (decision: RouteDecision, id: string = decision.currentStepId): PlanStep => {
  const step = decision.steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} in the decision (steps ${decision.steps.map((s) => s.id).join(', ')})`);
  return step;
};

/** The step the call is in now. */
export const currentStep = (plan: RoutePlan): PlanStep => stepOf(decisionOf(plan));

export const traceCodes = (decision: RouteDecision): TraceCode[] => decision.trace.map((t) => t.code);

/** What a step dials, in words tests compare: `ext:2001`, `mobile:+447911123001`, `forward:+441234567890`, `voicemail:2001`. */
export function dialled(step: PlanStep): string[] {
  switch (step.kind) {
    case 'ring':
      return step.targets.map((t) => (t.kind === 'extension' ? `ext:${t.extension}` : `${t.role}:${t.e164}`));
    case 'forward':
      return [`forward:${step.e164}`];
    case 'voicemail':
      return [step.mailbox.kind === 'extension' ? `voicemail:${step.mailbox.extension}` : `voicemail:group:${step.mailbox.mailboxId}`];
    case 'menu':
      return [`menu:${step.nodeId}`];
    case 'offerCallback':
      return [`offer:${step.callSlotId}`];
    case 'announcement':
      return ['announcement'];
    case 'hangup':
      return [`hangup:${step.reason}`];
    default: {
      const _exhaustive: never = step;
      return _exhaustive;
    }
  }
}
