// Call progress drives a call step by step: a ring step's failure follows its planned edge, a menu key
// plans the chosen branch (lazily, with the flow VERSION the call started with), an offer passes DTMF
// through to callback-slots, a hang-up ends the call. Pure: state + event + replicas + `at` in, new state
// and the reply out; a progress event that does not fit the current step is refused with a code.
import {
  CALL_ROUTER_ERRORS,
  DomainError,
  type CallOutcome,
  type CallProgress,
  type CallProgressReply,
  type PlanStep,
  type PlanStepOf,
} from '@cc/contracts';
import type { CallState, ConnectedCall, EndedCall, RoutingCall } from './call-state';
import { stepById } from './call-state';
import { planMenuReplay, planRouterHangup, planSegment, type PlannedSegment, type SegmentInput } from './flow-segment.planner';
import { RoutingTraceRecorder } from './routing-trace.recorder';
import type { RoutingReplicaReader } from './tenant-routing.view';

export type Advance = { readonly state: CallState; readonly reply: CallProgressReply };

const FAILURE_OF = { 'no-answer': 'noAnswer', busy: 'busy', unreachable: 'unreachable' } as const;

export function advance(state: CallState, progress: CallProgress, replicas: RoutingReplicaReader, at: Date): Advance {
  if (state.callId !== progress.callId || state.tenantId !== progress.tenantId) {
    throw error('UNKNOWN_CALL', `call ${progress.callId} is not this call`, 'callId', {});
  }
  if (state.status === 'ended') {
    throw error('CALL_ENDED', `call ${state.callId} has ended (${state.outcome})`, 'callId', { outcome: state.outcome });
  }
  const { current, chain } = currentStep(state);
  if (progress.stepId !== undefined && !chain.includes(progress.stepId)) {
    throw unexpected(state, current, progress, `it is for step ${progress.stepId}, the call is at ${current.id}`, 'stepId');
  }

  if (state.status === 'connected') {
    if (progress.kind === 'hangup') return end(state, current.kind === 'forward' ? 'forwarded' : 'answered', at);
    throw unexpected(state, current, progress, 'the call is connected; only hangup can follow');
  }
  if (progress.kind === 'hangup') return end(state, outcomeOfHangupAt(state, current), at);

  switch (current.kind) {
    case 'ring':
    case 'forward':
      return advanceRinging(state, current, progress, at);
    case 'menu':
      return advanceMenu(state, current, progress, replicas, at);
    case 'offerCallback':
      return advanceOffer(state, current, progress, replicas, at);
    case 'voicemail':
      if (progress.kind === 'no-answer' || progress.kind === 'busy' || progress.kind === 'unreachable') {
        return end(state, 'failed', at); // the voicemail system itself could not take the call
      }
      throw unexpected(state, current, progress, 'a voicemail step only ends');
    case 'hangup':
      throw unexpected(state, current, progress, 'the call is being hung up');
    default: {
      const _exhaustive: never = current;
      return _exhaustive;
    }
  }
}

// ------------------------------------------------------------------------------------------ by step kind

function advanceRinging(state: RoutingCall, current: PlanStepOf<'ring' | 'forward'>, progress: CallProgress, at: Date): Advance {
  switch (progress.kind) {
    case 'answered': {
      const legId = progress.legId ?? null;
      if (legId !== null && (current.kind !== 'ring' || !current.targets.some((t) => t.legId === legId))) {
        throw unexpected(state, current, progress, `leg ${legId} is not a leg of step ${current.id}`, 'legId');
      }
      const connected: ConnectedCall = {
        ...state,
        status: 'connected',
        currentStepId: current.id,
        answeredLegId: legId,
        answeredAt: at.toISOString(),
      };
      return { state: connected, reply: { outcome: 'connected', callId: state.callId, stepId: current.id, legId } };
    }
    case 'no-answer':
    case 'busy':
    case 'unreachable': {
      const failure = FAILURE_OF[progress.kind];
      const nextId = current.on[failure];
      const via = current.via[failure];
      const trace = new RoutingTraceRecorder();
      trace.add('call.progress', current.nodeId, `${current.id} ${failure}: continuing at ${nextId} (${describeVia(via)})`, {
        stepId: current.id,
        failure,
        next: nextId,
        via: via.kind,
        legId: progress.legId ?? null,
      });
      const entered = { ...state, currentStepId: nextId };
      return {
        state: entered,
        reply: {
          outcome: 'continue',
          callId: state.callId,
          decision: { currentStepId: nextId, steps: reachableFrom(state.steps, nextId), trace: trace.entries },
        },
      };
    }
    case 'dtmf':
    case 'input-timeout':
    case 'callback-offer-ended':
    case 'hangup':
      throw unexpected(state, current, progress, 'a ringing step takes answered, no-answer, busy, unreachable or hangup');
    default: {
      const _exhaustive: never = progress;
      return _exhaustive;
    }
  }
}

function advanceMenu(state: RoutingCall, menu: PlanStepOf<'menu'>, progress: CallProgress, replicas: RoutingReplicaReader, at: Date): Advance {
  const trace = new RoutingTraceRecorder();
  const retryOrDefault = (reason: 'invalid' | 'timeout', what: string): Advance => {
    if (menu.attempt < menu.invalidRetries) {
      trace.add(reason === 'invalid' ? 'menu.invalid' : 'menu.timeout', menu.nodeId, `${what}: menu replayed (${menu.attempt + 1} of ${menu.invalidRetries})`, {
        attempt: menu.attempt + 1,
        invalidRetries: menu.invalidRetries,
      });
      return replan(state, replicas, at, trace, (input) => planMenuReplay(input, menu));
    }
    trace.add('menu.default', menu.nodeId, `${what} after ${menu.invalidRetries} replays: default ${menu.defaultNodeId}`, {
      reason,
      next: menu.defaultNodeId,
    });
    return replan(state, replicas, at, trace, (input) => planSegment(input, menu.defaultNodeId));
  };
  switch (progress.kind) {
    case 'dtmf': {
      const digit = progress.digits[0]!;
      const option = menu.options.find((o) => o.digit === digit);
      if (!option) return retryOrDefault('invalid', `key ${digit} is not an option of menu ${menu.nodeId}`);
      trace.add('menu.option', menu.nodeId, `key ${digit}: ${option.nodeId}`, { digit, next: option.nodeId });
      return replan(state, replicas, at, trace, (input) => planSegment(input, option.nodeId));
    }
    case 'input-timeout':
      return retryOrDefault('timeout', `no key within ${menu.timeoutSeconds} s`);
    case 'answered':
    case 'no-answer':
    case 'busy':
    case 'unreachable':
    case 'callback-offer-ended':
    case 'hangup':
      throw unexpected(state, menu, progress, 'a menu takes dtmf, input-timeout or hangup');
    default: {
      const _exhaustive: never = progress;
      return _exhaustive;
    }
  }
}

function advanceOffer(
  state: RoutingCall,
  offer: PlanStepOf<'offerCallback'>,
  progress: CallProgress,
  replicas: RoutingReplicaReader,
  at: Date,
): Advance {
  switch (progress.kind) {
    case 'dtmf':
      return {
        state,
        reply: { outcome: 'passThrough', callId: state.callId, service: 'callback-slots', callSlotId: offer.callSlotId, digits: progress.digits },
      };
    case 'callback-offer-ended': {
      const trace = new RoutingTraceRecorder();
      if (progress.outcome === 'booked') {
        const booked: RoutingCall = { ...state, callbackBooked: true };
        const next = offer.onBookedNodeId;
        trace.add('callback.ended', offer.nodeId, `callback booked${progress.bookingId ? ` (${progress.bookingId})` : ''}: ${next ?? 'hang up'}`, {
          outcome: 'booked',
          bookingId: progress.bookingId,
          next,
        });
        return replan(booked, replicas, at, trace, (input) => (next === null ? planRouterHangup(input, 'callbackBooked') : planSegment(input, next)));
      }
      trace.add('callback.ended', offer.nodeId, `no callback booked: continuing at ${offer.onDeclinedNodeId}`, {
        outcome: 'declined',
        bookingId: null,
        next: offer.onDeclinedNodeId,
      });
      return replan(state, replicas, at, trace, (input) => planSegment(input, offer.onDeclinedNodeId));
    }
    case 'answered':
    case 'no-answer':
    case 'busy':
    case 'unreachable':
    case 'input-timeout':
    case 'hangup':
      throw unexpected(state, offer, progress, 'a callback offer takes dtmf, callback-offer-ended or hangup');
    default: {
      const _exhaustive: never = progress;
      return _exhaustive;
    }
  }
}

// ------------------------------------------------------------------------------------------ helpers

/** Plans a new decision with the call's own flow version; the earlier decision's steps are dropped. */
function replan(
  state: RoutingCall,
  replicas: RoutingReplicaReader,
  at: Date,
  trace: RoutingTraceRecorder,
  plan: (input: SegmentInput) => PlannedSegment,
): Advance {
  const view = replicas.forTenant(state.tenantId);
  const flow = view.callFlowVersion(state.number, state.flowVersion);
  if (!flow) {
    throw new DomainError(
      CALL_ROUTER_ERRORS.FLOW_VERSION_GONE.code,
      CALL_ROUTER_ERRORS.FLOW_VERSION_GONE.kind,
      `version ${state.flowVersion} of the call flow of ${state.number} is no longer held by the router`,
      [],
      { number: state.number, version: state.flowVersion },
    );
  }
  const segment = plan({ view, flow, at, cli: state.cli, firstStepSeq: state.nextStepSeq, trace });
  const next: RoutingCall = { ...state, currentStepId: segment.entryStepId, steps: segment.steps, nextStepSeq: segment.nextStepSeq };
  return {
    state: next,
    reply: { outcome: 'continue', callId: state.callId, decision: { currentStepId: segment.entryStepId, steps: segment.steps, trace: trace.entries } },
  };
}

/**
 * The step the call is really at: announcements get no progress (the edge plays them and moves on), so
 * they are passed through. `chain` lists the announcement ids on the way and the step itself.
 */
function currentStep(state: RoutingCall | ConnectedCall): { current: Exclude<PlanStep, { kind: 'announcement' }>; chain: string[] } {
  const chain: string[] = [];
  let id = state.currentStepId;
  for (;;) {
    const step = stepById(state.steps, id);
    if (!step) throw new Error(`call ${state.callId}: step ${id} is not in its plan`); // corrupted state, not input
    chain.push(step.id);
    if (step.kind !== 'announcement') return { current: step, chain };
    if (chain.includes(step.next)) throw new Error(`call ${state.callId}: announcements loop at ${step.next}`);
    id = step.next;
  }
}

/** The step and every step its failure edges and announcements lead to, in plan order. */
function reachableFrom(steps: readonly PlanStep[], id: string): PlanStep[] {
  const seen = new Set<string>();
  const pending = [id];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const step = stepById(steps, next);
    if (!step) continue;
    if (step.kind === 'ring' || step.kind === 'forward') pending.push(step.on.noAnswer, step.on.busy, step.on.unreachable);
    else if (step.kind === 'announcement') pending.push(step.next);
  }
  const first = stepById(steps, id);
  return [...(first ? [first] : []), ...steps.filter((s) => s.id !== id && seen.has(s.id))];
}

function outcomeOfHangupAt(state: RoutingCall, current: Exclude<PlanStep, { kind: 'announcement' }>): CallOutcome {
  if (state.callbackBooked) return 'callbackBooked';
  switch (current.kind) {
    case 'voicemail':
      return 'voicemail';
    case 'hangup':
      return current.reason === 'flow' ? 'rejected' : current.reason === 'callbackBooked' ? 'callbackBooked' : 'failed';
    case 'ring':
    case 'forward':
    case 'menu':
    case 'offerCallback':
      return 'abandoned';
    default: {
      const _exhaustive: never = current;
      return _exhaustive;
    }
  }
}

function end(state: RoutingCall | ConnectedCall, outcome: CallOutcome, at: Date): Advance {
  const atMs = at.getTime();
  const durationSeconds = Math.max(0, (atMs - Date.parse(state.startedAt)) / 1000);
  const talkSeconds = state.status === 'connected' ? Math.max(0, (atMs - Date.parse(state.answeredAt)) / 1000) : null;
  const ended: EndedCall = {
    status: 'ended',
    callId: state.callId,
    tenantId: state.tenantId,
    number: state.number,
    cli: state.cli,
    flowVersion: state.flowVersion,
    startedAt: state.startedAt,
    nextStepSeq: state.nextStepSeq,
    callbackBooked: state.callbackBooked,
    outcome,
    endedAt: at.toISOString(),
    durationSeconds,
    talkSeconds,
  };
  return { state: ended, reply: { outcome: 'ended', callId: state.callId, callOutcome: outcome, durationSeconds } };
}

function describeVia(via: PlanStepOf<'ring'>['via']['noAnswer']): string {
  switch (via.kind) {
    case 'flow':
      return "the flow's fallback";
    case 'divert':
      return `divert of extension ${via.fromExtension}`;
    case 'sequence':
      return 'next device or member';
    case 'protection':
      return `divert chain stopped: ${via.reason}`;
    case 'fallback':
      return "the forwarding extension's voicemail";
    default: {
      const _exhaustive: never = via;
      return _exhaustive;
    }
  }
}

function error(key: 'UNKNOWN_CALL' | 'CALL_ENDED', message: string, path: string, details: Record<string, unknown>): DomainError {
  const { code, kind } = CALL_ROUTER_ERRORS[key];
  return new DomainError(code, kind, message, [{ path, message }], details);
}

function unexpected(state: RoutingCall | ConnectedCall, current: PlanStep, progress: CallProgress, why: string, path = 'kind'): DomainError {
  const { code, kind } = CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS;
  const message = `${progress.kind} does not fit call ${state.callId} at step ${current.id} (${current.kind}): ${why}`;
  return new DomainError(code, kind, message, [{ path, message: why }], { currentStepId: current.id, stepKind: current.kind, status: state.status });
}
