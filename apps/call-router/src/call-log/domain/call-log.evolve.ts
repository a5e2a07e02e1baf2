// The call log of one call, folded from its routing events: the summary row (who, when, outcome), and
// per agent what the call meant for them (offered, answered, missed, ring and talk time). Pure and
// JSON-serialisable: the projection keeps this state in the read model and folds each new event into it.
import type { CallOutcome, NotRoutableReason, RoutingEvent } from '@cc/contracts';

/** A routing event as stored on the call's stream. */
export type CallLogEvent = RoutingEvent & { readonly id: string; readonly revision: number; readonly occurredAt: string };

/** A ring (or forward) step as far as agents are concerned. */
type RingStepTrack = {
  /** Agents whose devices this step rang, in order of appearance. */
  readonly agents: readonly string[];
  readonly answered: boolean;
  /** The step is over: it failed as a whole (LegFailed without a leg), or a later decision replaced it. */
  readonly over: boolean;
  /** Order of first appearance among the call's ring steps. */
  readonly seq: number;
};

type CallLogBase = {
  readonly callId: string;
  readonly number: string;
  readonly cli: string | null;
  readonly flowVersion: number | null;
  readonly notRoutable: NotRoutableReason | null;
  readonly startedAt: string;
  /** Stream revision of the last event folded in. */
  readonly revision: number;
  readonly stepCount: number;
  /** Every agent the call concerned, in order of first appearance. */
  readonly agentIds: readonly string[];
  readonly ringSteps: Readonly<Record<string, RingStepTrack>>;
  /** Ring seconds of each agent's first answer. */
  readonly answers: Readonly<Record<string, number>>;
  readonly callbackBooked: boolean;
};

export type InProgressCall = CallLogBase & { readonly status: 'inProgress' };
export type EndedCall = CallLogBase & {
  readonly status: 'ended';
  readonly outcome: CallOutcome;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly talkSeconds: number | null;
  readonly answeredBy: string | null;
};
export type CallLogState = InProgressCall | EndedCall;

/** What one call meant for one agent (a row of agent performance). */
export type AgentCallFacts = {
  readonly agentId: string;
  readonly offered: boolean;
  readonly answered: boolean;
  readonly missed: boolean;
  /** Seconds it rang before the agent answered; null unless answered. */
  readonly ringSeconds: number | null;
  /** Seconds talking, when the agent answered a call that has ended. */
  readonly talkSeconds: number | null;
};

/**
 * Folds one event into the call. `state` null: the call's first event (normally CallReceived; any routing
 * event can start a call so a log never loses one). Events must come in revision order; the caller
 * skips those already folded in.
 */
export function evolveCallLog(state: CallLogState | null, event: CallLogEvent): CallLogState {
  const base = touch(state ?? startFrom(event), event);
  switch (event.type) {
    case 'CallReceived':
      return { ...base, cli: event.data.cli, notRoutable: event.data.notRoutable, startedAt: state === null ? event.occurredAt : base.startedAt };
    case 'RouteDecided':
      // A new decision (after a failure, a key, an offer) means the steps before it are over.
      return { ...base, ringSteps: Object.fromEntries(Object.entries(base.ringSteps).map(([id, step]) => [id, { ...step, over: true }])) };
    case 'Diverted':
    case 'CallbackOffered':
    case 'VoicemailReached':
      return base;
    case 'CallbackBooked':
      return { ...base, callbackBooked: true };
    case 'LegRinging':
      return withRingStep(base, event.data.stepId, (step) => ({ ...step, agents: withAgent(step.agents, event.data.leg.agentId) }));
    case 'LegAnswered': {
      const agentId = event.data.leg.agentId;
      const rung = withRingStep(base, event.data.stepId, (step) => ({ ...step, agents: withAgent(step.agents, agentId), answered: true }));
      if (agentId === null || agentId in rung.answers) return rung;
      return { ...rung, answers: { ...rung.answers, [agentId]: event.data.ringSeconds } };
    }
    case 'LegFailed': {
      const leg = event.data.leg;
      // A leg failing (a busy mobile) does not end its step: another leg may still answer.
      return withRingStep(base, event.data.stepId, (step) => ({
        ...step,
        agents: leg === null ? step.agents : withAgent(step.agents, leg.agentId),
        over: step.over || leg === null,
      }));
    }
    case 'CallEnded': {
      const { outcome, durationSeconds, talkSeconds, answeredBy } = event.data;
      return { ...base, status: 'ended', outcome, endedAt: event.occurredAt, durationSeconds, talkSeconds, answeredBy };
    }
    default: {
      const _exhaustive: never = event;
      throw new Error(`unhandled routing event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** Folds a call's events in order (a rebuild, or recovering a call the read model lost). */
export const foldCallLog = (events: readonly CallLogEvent[]): CallLogState | null =>
  events.reduce<CallLogState | null>((state, event) => evolveCallLog(state, event), null);

/**
 * Per agent rung or answering: offered, answered, missed, ring and talk time.
 * - missed: rung on a step that is over without anyone answering it (failed, replaced by a later
 *   decision or step, or the call ended), and never answered the call themself;
 * - a colleague answering the same group ring is not a miss for the others.
 */
export function agentCallFactsOf(state: CallLogState): AgentCallFacts[] {
  const steps = Object.values(state.ringSteps);
  const lastSeq = steps.reduce((max, step) => Math.max(max, step.seq), -1);
  const over = (step: RingStepTrack): boolean => step.over || step.seq < lastSeq || state.status === 'ended';
  const agents: string[] = [];
  for (const step of [...steps].sort((a, b) => a.seq - b.seq)) for (const agentId of step.agents) if (!agents.includes(agentId)) agents.push(agentId);
  return agents.map((agentId) => {
    const answered = agentId in state.answers;
    const missed = !answered && steps.some((step) => step.agents.includes(agentId) && !step.answered && over(step));
    const talked = answered && state.status === 'ended' && state.answeredBy === agentId;
    return {
      agentId,
      offered: true,
      answered,
      missed,
      ringSeconds: answered ? state.answers[agentId]! : null,
      talkSeconds: talked && state.status === 'ended' ? state.talkSeconds : null,
    };
  });
}

function startFrom(event: CallLogEvent): InProgressCall {
  return {
    status: 'inProgress',
    callId: event.data.callId,
    number: event.data.number,
    cli: null,
    flowVersion: null,
    notRoutable: null,
    startedAt: event.occurredAt,
    revision: -1,
    stepCount: 0,
    agentIds: [],
    ringSteps: {},
    answers: {},
    callbackBooked: false,
  };
}

/** What every event does: its revision, one more step, its flow version and the agents it names. */
function touch<S extends CallLogState>(state: S, event: CallLogEvent): S {
  let agentIds = state.agentIds;
  for (const agentId of [...event.data.agentIds, ...legAgentOf(event)]) agentIds = withAgent(agentIds, agentId);
  return { ...state, revision: event.revision, stepCount: state.stepCount + 1, flowVersion: event.data.flowVersion ?? state.flowVersion, agentIds };
}

function legAgentOf(event: CallLogEvent): string[] {
  switch (event.type) {
    case 'LegRinging':
    case 'LegAnswered':
      return event.data.leg.agentId === null ? [] : [event.data.leg.agentId];
    case 'LegFailed':
      return event.data.leg?.agentId ? [event.data.leg.agentId] : [];
    default:
      return [];
  }
}

function withRingStep<S extends CallLogState>(state: S, stepId: string, change: (step: RingStepTrack) => RingStepTrack): S {
  const current = state.ringSteps[stepId] ?? { agents: [], answered: false, over: false, seq: Object.keys(state.ringSteps).length };
  return { ...state, ringSteps: { ...state.ringSteps, [stepId]: change(current) } };
}

const withAgent = (agents: readonly string[], agentId: string | null): readonly string[] =>
  agentId === null || agents.includes(agentId) ? agents : [...agents, agentId];
