// A call as an event-sourced aggregate (stream `call-{tenant}-{hex(callId)}`): the routing events ARE the
// record (CallReceived, RouteDecided, LegRinging/Answered/Failed, Diverted, CallbackOffered/Booked,
// VoicemailReached, CallEnded), and the call's state for the next progress event is folded from them.
// Deciding a progress event runs the domain's `advance` (call-progress.ts) and turns its outcome into
// those events. Pure: the replicas are in-memory reads, time comes from the events and the command.
import {
  CALL_ROUTER_ERRORS,
  DomainError,
  type CallOutcome,
  type CallProgress,
  type CallProgressReply,
  type PlanStep,
  type PlanStepOf,
  type RingTarget,
  type RouteDecision,
  type RoutePlan,
  type RoutingEvent,
} from '@cc/contracts';
import { advance } from './call-progress';
import type { CallState, ConnectedCall, RoutingCall } from './call-state';
import { nextSeqAfter, stepById } from './call-state';
import { agentIdsOf } from './route-planner';
import type { RoutingReplicaReader } from './tenant-routing.view';

/** A stored routing event with what the fold needs from its envelope. */
export type RecordedCallEvent = RoutingEvent & {
  readonly tenantId: string;
  readonly occurredAt: string;
  /** The progress event that caused it (the SIP edge's event id), for de-duplication. */
  readonly causationId: string | null;
};

type Tracking = {
  /** The first decision (the SIP edge's rtjson document was made from it: its `leg` indexes refer to it). */
  readonly firstDecision: RouteDecision;
  /** When the current step was entered (ring time of a leg that answers or fails). */
  readonly stepEnteredAt: string;
  /** Every agent the call concerned so far (CallEnded names them all, for visibility). */
  readonly agentIds: readonly string[];
  readonly divertHops: number;
  readonly answeredBy: string | null;
  /** Ids of the progress events already applied (the edge may send one twice). */
  readonly causations: ReadonlySet<string>;
};

export type CallRecord =
  | { readonly status: 'none' }
  | { readonly status: 'received'; readonly tenantId: string; readonly callId: string; readonly number: string; readonly cli: string | null; readonly flowVersion: number; readonly startedAt: string }
  | { readonly status: 'notRoutable'; readonly tenantId: string; readonly callId: string; readonly number: string }
  | ({ readonly status: 'tracked'; readonly call: CallState } & Tracking);

export const initialCallRecord = (): CallRecord => ({ status: 'none' });

// ------------------------------------------------------------------------------------------ route

/** The events that record a routing decision for a real call (not a dry run). */
export function decideRoute(plan: RoutePlan, cli: string | null): RoutingEvent[] {
  if (plan.dryRun || plan.callId === null) throw new Error('decideRoute: a dry run is not recorded'); // adapter bug
  const base = { callId: plan.callId, number: plan.number };
  if (plan.outcome === 'notRoutable') {
    return [
      { type: 'CallReceived', data: { ...base, flowVersion: null, agentIds: [], cli, notRoutable: plan.reason } },
      { type: 'CallEnded', data: { ...base, flowVersion: null, agentIds: [], outcome: 'rejected', durationSeconds: 0, talkSeconds: null, answeredBy: null } },
    ];
  }
  const withFlow = { ...base, flowVersion: plan.flowVersion };
  const { decision } = plan;
  return [
    { type: 'CallReceived', data: { ...withFlow, agentIds: [], cli, notRoutable: null } },
    { type: 'RouteDecided', data: { ...withFlow, agentIds: agentIdsOf(decision.steps), cause: 'route', decision } },
    ...enteringEvents(withFlow, decision.steps, decision.currentStepId),
  ];
}

// ------------------------------------------------------------------------------------------ progress

export type ProgressDecision =
  | { readonly duplicate: true }
  | { readonly duplicate: false; readonly events: RoutingEvent[]; readonly reply: CallProgressReply };

const FAILURE_OF = { 'no-answer': 'noAnswer', busy: 'busy', unreachable: 'unreachable' } as const;

/**
 * Advances the call by one progress event. `causationId` (the edge's event id) makes a repeated event a
 * no-op. Errors: UNKNOWN_CALL, CALL_ENDED, UNEXPECTED_PROGRESS, FLOW_VERSION_GONE (from `advance`).
 */
export function decideProgress(
  record: CallRecord,
  progress: CallProgress,
  replicas: RoutingReplicaReader,
  at: Date,
  causationId: string | null = null,
): ProgressDecision {
  if (record.status === 'none' || record.status === 'received') {
    throw callError('UNKNOWN_CALL', `the router has no call ${progress.callId}`, 'callId');
  }
  if (record.status === 'notRoutable') {
    throw callError('CALL_ENDED', `call ${record.callId} to ${record.number} was not routable and has ended`, 'callId', { outcome: 'rejected' });
  }
  if (causationId !== null && record.causations.has(causationId)) return { duplicate: true };
  const { call } = record;
  if (call.status !== 'ended') assertAnsweredLegNamed(call, progress);
  if (progress.kind === 'callback-offer-ended' && progress.outcome === 'booked' && progress.bookingId === null) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'a booked callback offer names its booking', [
      { path: 'bookingId', message: 'required when outcome is "booked"' },
    ]);
  }
  const { state, reply } = advance(call, progress, replicas, at);
  if (call.status === 'ended') return { duplicate: false, events: [], reply }; // advance throws CALL_ENDED first
  const current = currentStep(call);
  const base = { callId: call.callId, number: call.number, flowVersion: call.flowVersion };
  const ringSeconds = Math.max(0, (at.getTime() - Date.parse(record.stepEnteredAt)) / 1000);
  const events: RoutingEvent[] = [];

  switch (reply.outcome) {
    case 'connected': {
      const leg = legOf(current, reply.legId);
      if (leg) events.push({ type: 'LegAnswered', data: { ...base, agentIds: agentsOf(leg), stepId: current.id, leg, ringSeconds } });
      break;
    }
    case 'continue': {
      if (progress.kind === 'no-answer' || progress.kind === 'busy' || progress.kind === 'unreachable') {
        const failure = FAILURE_OF[progress.kind];
        const leg = legOf(current, progress.legId ?? null);
        events.push({ type: 'LegFailed', data: { ...base, agentIds: leg ? agentsOf(leg) : targetAgents(current), stepId: current.id, leg, reason: failure, ringSeconds } });
        if (current.kind === 'ring' || current.kind === 'forward') {
          const via = current.via[failure];
          const to = via.kind === 'divert' ? divertTargetOf(call.steps, current.on[failure]) : null;
          if (via.kind === 'divert' && to !== null) {
            const from = replicas.forTenant(call.tenantId).agentByExtension(via.fromExtension);
            events.push({
              type: 'Diverted',
              data: { ...base, agentIds: from ? [from.agentId] : [], fromExtension: via.fromExtension, condition: failure, to, hop: record.divertHops + 1 },
            });
          }
        }
      }
      if (progress.kind === 'callback-offer-ended' && progress.outcome === 'booked' && current.kind === 'offerCallback') {
        events.push({ type: 'CallbackBooked', data: { ...base, agentIds: [], callSlotId: current.callSlotId, bookingId: progress.bookingId! } });
      }
      const cause = progress.kind as Exclude<CallProgress['kind'], 'answered' | 'hangup'>;
      events.push({ type: 'RouteDecided', data: { ...base, agentIds: agentIdsOf(reply.decision.steps), cause, decision: reply.decision } });
      events.push(...enteringEvents(base, reply.decision.steps, reply.decision.currentStepId));
      break;
    }
    case 'passThrough':
      break; // the offer dialogue's own events are callback-slots'
    case 'ended': {
      if (state.status !== 'ended') throw new Error('advance ended the call without an ended state'); // domain bug
      events.push({
        type: 'CallEnded',
        data: {
          ...base,
          agentIds: [...record.agentIds],
          outcome: reply.callOutcome,
          durationSeconds: state.durationSeconds,
          talkSeconds: state.talkSeconds,
          answeredBy: record.answeredBy,
        },
      });
      break;
    }
    default: {
      const _exhaustive: never = reply;
      return _exhaustive;
    }
  }
  return { duplicate: false, events, reply };
}

// ------------------------------------------------------------------------------------------ fold

export function evolveCall(record: CallRecord, event: RecordedCallEvent): CallRecord {
  const tracked = record.status === 'tracked' ? record : null;
  const withCause = <R extends CallRecord>(next: R): R =>
    next.status === 'tracked' && event.causationId !== null && !next.causations.has(event.causationId)
      ? { ...next, causations: new Set([...next.causations, event.causationId]) }
      : next;
  switch (event.type) {
    case 'CallReceived': {
      const { callId, number, cli, flowVersion, notRoutable } = event.data;
      if (notRoutable !== null || flowVersion === null) return { status: 'notRoutable', tenantId: event.tenantId, callId, number };
      return { status: 'received', tenantId: event.tenantId, callId, number, cli, flowVersion, startedAt: event.occurredAt };
    }
    case 'RouteDecided': {
      const { decision } = event.data;
      if (record.status === 'received') {
        const call: RoutingCall = {
          status: 'routing',
          callId: record.callId,
          tenantId: record.tenantId,
          number: record.number,
          cli: record.cli,
          flowVersion: record.flowVersion,
          startedAt: record.startedAt,
          nextStepSeq: nextSeqAfter(decision.steps),
          callbackBooked: false,
          currentStepId: decision.currentStepId,
          steps: decision.steps,
        };
        return withCause({
          status: 'tracked',
          call,
          firstDecision: decision,
          stepEnteredAt: event.occurredAt,
          agentIds: union([], event.data.agentIds),
          divertHops: 0,
          answeredBy: null,
          causations: new Set<string>(),
        });
      }
      if (!tracked || tracked.call.status !== 'routing') return record;
      const call: RoutingCall = {
        ...tracked.call,
        currentStepId: decision.currentStepId,
        steps: decision.steps,
        nextStepSeq: Math.max(tracked.call.nextStepSeq, nextSeqAfter(decision.steps)),
      };
      return withCause({ ...tracked, call, stepEnteredAt: event.occurredAt, agentIds: union(tracked.agentIds, event.data.agentIds) });
    }
    case 'LegAnswered': {
      if (!tracked || tracked.call.status !== 'routing') return record;
      const call: ConnectedCall = {
        ...tracked.call,
        status: 'connected',
        currentStepId: event.data.stepId,
        answeredLegId: event.data.leg.legId,
        answeredAt: event.occurredAt,
      };
      return withCause({ ...tracked, call, answeredBy: event.data.leg.agentId, agentIds: union(tracked.agentIds, event.data.agentIds) });
    }
    case 'Diverted':
      return tracked ? withCause({ ...tracked, divertHops: tracked.divertHops + 1, agentIds: union(tracked.agentIds, event.data.agentIds) }) : record;
    case 'CallbackBooked':
      return tracked && tracked.call.status === 'routing' ? withCause({ ...tracked, call: { ...tracked.call, callbackBooked: true } }) : record;
    case 'CallEnded': {
      if (!tracked || tracked.call.status === 'ended') return record;
      const { call } = tracked;
      return withCause({
        ...tracked,
        call: {
          status: 'ended',
          callId: call.callId,
          tenantId: call.tenantId,
          number: call.number,
          cli: call.cli,
          flowVersion: call.flowVersion,
          startedAt: call.startedAt,
          nextStepSeq: call.nextStepSeq,
          callbackBooked: call.callbackBooked,
          outcome: event.data.outcome,
          endedAt: event.occurredAt,
          durationSeconds: event.data.durationSeconds,
          talkSeconds: event.data.talkSeconds,
        },
      });
    }
    case 'LegRinging':
    case 'LegFailed':
    case 'CallbackOffered':
    case 'VoicemailReached':
      return tracked ? withCause({ ...tracked, agentIds: union(tracked.agentIds, event.data.agentIds) }) : record;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const foldCall = (events: readonly RecordedCallEvent[]): CallRecord => events.reduce(evolveCall, initialCallRecord());

// ------------------------------------------------------------------------------------------ helpers

type RealStep = Exclude<PlanStep, { kind: 'announcement' }>;

/** The step the call really is at: announcements are passed through (the edge plays them by itself). */
export function currentStep(call: Pick<RoutingCall, 'callId' | 'steps' | 'currentStepId'>): RealStep {
  return resolveAnnouncements(call.steps, call.currentStepId);
}

function resolveAnnouncements(steps: readonly PlanStep[], id: string): RealStep {
  const seen = new Set<string>();
  for (let stepId = id; ; ) {
    const step = stepById(steps, stepId);
    if (!step) throw new Error(`step ${stepId} is not in the plan`); // a corrupted record, not input
    if (step.kind !== 'announcement') return step;
    if (seen.has(step.id)) throw new Error(`announcements loop at ${step.id}`);
    seen.add(step.id);
    stepId = step.next;
  }
}

/** What entering a step means for the record: devices ringing, a voicemail box, a callback offer. */
function enteringEvents(base: { callId: string; number: string; flowVersion: number }, steps: readonly PlanStep[], currentStepId: string): RoutingEvent[] {
  const step = resolveAnnouncements(steps, currentStepId);
  switch (step.kind) {
    case 'ring':
      return step.targets.map((leg) => ({ type: 'LegRinging', data: { ...base, agentIds: agentsOf(leg), stepId: step.id, leg } }) as RoutingEvent);
    case 'forward':
      return [{ type: 'LegRinging', data: { ...base, agentIds: [], stepId: step.id, leg: forwardLeg(step) } }];
    case 'voicemail':
      return [
        {
          type: 'VoicemailReached',
          data: { ...base, agentIds: step.mailbox.kind === 'extension' && step.mailbox.agentId !== null ? [step.mailbox.agentId] : [], mailbox: step.mailbox },
        },
      ];
    case 'offerCallback':
      return [{ type: 'CallbackOffered', data: { ...base, agentIds: [], callSlotId: step.callSlotId } }];
    case 'menu':
    case 'hangup':
      return [];
    default: {
      const _exhaustive: never = step;
      return _exhaustive;
    }
  }
}

/** The one outside number a forward step rings, as a leg (`{stepId}.1`). */
export function forwardLeg(step: PlanStepOf<'forward'>): RingTarget {
  return { kind: 'number', legId: `${step.id}.1`, e164: step.e164, agentId: null, role: 'forward', answerConfirmation: false };
}

/** The leg an event names; with no name, the step's only device (null when it has several). */
function legOf(step: RealStep, legId: string | null): RingTarget | null {
  if (step.kind === 'forward') return forwardLeg(step);
  if (step.kind !== 'ring') return null;
  if (legId === null) return step.targets.length === 1 ? step.targets[0]! : null;
  return step.targets.find((t) => t.legId === legId) ?? null;
}

const agentsOf = (leg: RingTarget): string[] => (leg.agentId === null ? [] : [leg.agentId]);

function targetAgents(step: RealStep): string[] {
  return step.kind === 'ring' ? agentIdsOf([step]) : [];
}

/** Where a divert edge leads, as `Diverted.to`; null when it is not one extension, voicemail or number. */
function divertTargetOf(
  steps: readonly PlanStep[],
  nextId: string,
): { kind: 'extension'; extension: string } | { kind: 'voicemail'; extension: string } | { kind: 'number'; e164: string } | null {
  const next = stepById(steps, nextId) ? resolveAnnouncements(steps, nextId) : undefined;
  if (!next) return null;
  switch (next.kind) {
    case 'ring': {
      const extension = next.targets.find((t) => t.kind === 'extension');
      return extension && extension.kind === 'extension' ? { kind: 'extension', extension: extension.extension } : null;
    }
    case 'voicemail':
      return next.mailbox.kind === 'extension' ? { kind: 'voicemail', extension: next.mailbox.extension } : null;
    case 'forward':
      return { kind: 'number', e164: next.e164 };
    case 'menu':
    case 'offerCallback':
    case 'hangup':
      return null;
    default: {
      const _exhaustive: never = next;
      return _exhaustive;
    }
  }
}

/** A ring step with several devices must say which one answered (the record names who took the call). */
function assertAnsweredLegNamed(call: RoutingCall | ConnectedCall, progress: CallProgress): void {
  if (progress.kind !== 'answered' || progress.legId !== undefined || call.status !== 'routing') return;
  const step = currentStep(call);
  if (step.kind === 'ring' && step.targets.length > 1) {
    const { code, kind } = CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS;
    throw new DomainError(code, kind, `step ${step.id} rings ${step.targets.length} devices: say which leg answered`, [
      { path: 'legId', message: `one of ${step.targets.map((t) => t.legId).join(', ')}` },
    ], { currentStepId: step.id, stepKind: step.kind, status: call.status });
  }
}

function callError(key: 'UNKNOWN_CALL' | 'CALL_ENDED', message: string, path: string, details: Record<string, unknown> = {}): DomainError {
  const { code, kind } = CALL_ROUTER_ERRORS[key];
  return new DomainError(code, kind, message, [{ path, message }], details);
}

const union = (a: readonly string[], b: readonly string[]): string[] => (b.every((x) => a.includes(x)) ? [...a] : [...new Set([...a, ...b])]);

/** How a call's record ended, for callers that report it (e.g. the outcome in a CALL_ENDED problem). */
export const outcomeOf = (record: CallRecord): CallOutcome | null =>
  record.status === 'notRoutable' ? 'rejected' : record.status === 'tracked' && record.call.status === 'ended' ? record.call.outcome : null;
