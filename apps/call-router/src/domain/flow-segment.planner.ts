// Plans a call from one flow node on, up to the points where the caller must act (a menu, a callback
// offer) or the call ends (voicemail, hang up): ring steps with their devices, timeouts and failure
// edges, diverts followed with hop-limit and loop protection, and a trace of every choice. Pure: the
// replicas are read through TenantRoutingView and `at` is the only notion of now.
import type {
  AgentView,
  CallFlowDefinition,
  CallFlowNode,
  CallFlowNodeOf,
  CallFlowPrompt,
  DivertCondition,
  DivertRules,
  EdgeVia,
  PlanMailbox,
  PlanStep,
  PlanStepOf,
  RingTarget,
  StepFailureEdges,
  StepFailureVia,
  TraceCode,
} from '@cc/contracts';
import type { ScheduleEvaluation } from '@cc/scheduling';
import { callbackAvailability } from './callback-availability.query';
import { activeDivertTarget, UNCONFIGURED_DIVERT_RULES, type ActiveDivertTarget } from './divert-rule.query';
import type { RoutingTraceRecorder } from './routing-trace.recorder';
import { scheduleStateAt } from './schedule-state.query';
import type { TenantRoutingView } from './tenant-routing.view';
import { describeRange, workingHoursAt } from './working-hours.query';

/** Steps one decision may plan before the rest of a runaway configuration is cut off (traced). */
export const MAX_STEPS_PER_DECISION = 200;

export type SegmentInput = {
  readonly view: TenantRoutingView;
  readonly flow: CallFlowDefinition;
  readonly at: Date;
  /** The caller's CLI (E.164), null when withheld: handed to a callback offer. */
  readonly cli: string | null;
  /** Number of the first step id of this segment (`s{n}`): ids keep counting across a call's decisions. */
  readonly firstStepSeq: number;
  readonly trace: RoutingTraceRecorder;
};

export type PlannedSegment = {
  readonly entryStepId: string;
  /** The entry step first, then the others in planning order. */
  readonly steps: PlanStep[];
  readonly nextStepSeq: number;
};

/** Plans the call from `nodeId` of the flow. */
export function planSegment(input: SegmentInput, nodeId: string): PlannedSegment {
  const planner = new SegmentPlanner(input);
  return planner.finish(planner.planNode(nodeId));
}

/** A segment of one step the router adds by itself (a hang-up after a booked callback). */
export function planRouterHangup(input: SegmentInput, reason: PlanStepOf<'hangup'>['reason']): PlannedSegment {
  const planner = new SegmentPlanner(input);
  return planner.finish(planner.hangup(null, null, reason));
}

/** Replays a menu (after an invalid key or a timeout) as a new step, so a late key for the old one is refused. */
export function planMenuReplay(input: SegmentInput, menu: PlanStepOf<'menu'>): PlannedSegment {
  const planner = new SegmentPlanner(input);
  return planner.finish(planner.menuReplay(menu));
}

type Edge = { readonly step: string; readonly via: EdgeVia };
type FlowEdges = { noAnswer(): Edge; busy(): Edge; unreachable(): Edge };
type Failure = 'noAnswer' | 'busy' | 'unreachable';

/** Where a chain of extensions started and what it has visited: the unit of loop and hop-limit protection. */
type Chain = {
  readonly nodeId: string;
  /** The first extension of the chain: a loop or the hop limit ends at its voicemail. */
  readonly origin: string;
  readonly originAgentId: string;
  readonly visited: readonly string[];
  readonly hops: number;
  readonly edges: FlowEdges;
  /** The ring node's own ring time: applies to the first agent only, not to divert targets. */
  readonly ringOverride: number | null;
};

/** A device a group member contributes (after dedupe); `sequentialAfter`: extension first, mobile after N s. */
type GroupMember =
  | { kind: 'ring'; agent: AgentView; extension: string | null; number: { e164: string; role: 'mobile' | 'forward' } | null; sequentialAfter: number | null }
  | { kind: 'skip'; reason: GroupSkipReason; agentId: string; detail: string };
type GroupSkipReason =
  | 'notFound'
  | 'disabled'
  | 'outsideWorkingHours'
  | 'busy'
  | 'unreachable'
  | 'alwaysDivertedToVoicemail'
  | 'alreadyRinging'
  | 'divertLoop'
  | 'hopLimit'
  | 'targetRemoved';

const FLOW: EdgeVia = Object.freeze({ kind: 'flow' });
const SEQUENCE: EdgeVia = Object.freeze({ kind: 'sequence' });
const FALLBACK: EdgeVia = Object.freeze({ kind: 'fallback' });
const DIVERT_TRACE: Record<DivertCondition | 'afterHours', TraceCode> = {
  always: 'divert.always',
  noAnswer: 'divert.noAnswer',
  busy: 'divert.busy',
  unreachable: 'divert.unreachable',
  afterHours: 'agent.afterHours',
};
const CONDITION_WORDS: Record<DivertCondition | 'afterHours', string> = {
  always: 'forward-always divert',
  noAnswer: 'no-answer divert',
  busy: 'busy divert',
  unreachable: 'unreachable divert',
  afterHours: 'after-hours policy',
};

const agentLabel = (agent: AgentView): string => `${agent.name} (${agent.extension})`;
const allEdges = (step: string): StepFailureEdges => ({ noAnswer: step, busy: step, unreachable: step });
const allVia = (via: EdgeVia): StepFailureVia => ({ noAnswer: via, busy: via, unreachable: via });

class SegmentPlanner {
  /** Indexed by step number minus firstStepSeq; a slot is reserved before its failure edges are planned. */
  private readonly slots: Array<PlanStep | undefined> = [];
  private seq: number;
  private readonly atMs: number;
  private readonly nodeSteps = new Map<string, string>();
  private readonly voicemailSteps = new Map<string, string>();
  private readonly inProgress = new Set<string>();
  private readonly flowEdgesOf = new Map<string, FlowEdges>();
  private limitStep: string | null = null;
  private errorStep: string | null = null;

  constructor(private readonly input: SegmentInput) {
    this.seq = input.firstStepSeq;
    this.atMs = input.at.getTime();
  }

  finish(entryStepId: string): PlannedSegment {
    const steps: PlanStep[] = [];
    for (const step of this.slots) {
      if (step === undefined) throw new Error('route planner left a reserved step unfilled'); // a bug, never input
      if (step.id === entryStepId) steps.unshift(step);
      else steps.push(step);
    }
    return { entryStepId, steps, nextStepSeq: this.seq };
  }

  // ------------------------------------------------------------------------------------ bookkeeping

  private reserve(): string {
    this.slots.push(undefined);
    return `s${this.seq++}`;
  }

  private fill(step: PlanStep): void {
    this.slots[Number(step.id.slice(1)) - this.input.firstStepSeq] = step;
  }

  private get trace(): RoutingTraceRecorder {
    return this.input.trace;
  }

  private overLimit(nodeId: string | null): string | null {
    if (this.seq - this.input.firstStepSeq < MAX_STEPS_PER_DECISION) return null;
    if (this.limitStep === null) {
      this.trace.add('plan.limit', nodeId, `more than ${MAX_STEPS_PER_DECISION} steps: the rest of this branch hangs up`, {
        maxSteps: MAX_STEPS_PER_DECISION,
      });
      this.limitStep = this.hangup(nodeId, null, 'flowError');
    }
    return this.limitStep;
  }

  // ------------------------------------------------------------------------------------ flow nodes

  planNode(nodeId: string): string {
    const known = this.nodeSteps.get(nodeId);
    if (known !== undefined) return known;
    const nodes = this.input.flow.nodes;
    const node = Object.hasOwn(nodes, nodeId) ? nodes[nodeId] : undefined;
    if (node === undefined || this.inProgress.has(nodeId)) {
      // The validator refuses both; a flow published before a rule existed must still not crash a call.
      this.trace.add('flow.error', nodeId, node ? `node ${nodeId} loops back to itself without input` : `node ${nodeId} does not exist`, {
        problem: node ? 'cycle' : 'missingNode',
      });
      this.errorStep ??= this.hangup(nodeId, null, 'flowError');
      return this.errorStep;
    }
    const limited = this.overLimit(nodeId);
    if (limited !== null) return limited;
    this.inProgress.add(nodeId);
    const step = this.planNodeOfType(nodeId, node);
    this.inProgress.delete(nodeId);
    this.nodeSteps.set(nodeId, step);
    return step;
  }

  private planNodeOfType(nodeId: string, node: CallFlowNode): string {
    switch (node.type) {
      case 'schedule':
        return this.planNode(this.scheduleBranch(nodeId, node));
      case 'menu': {
        const id = this.reserve();
        this.trace.add('menu.entered', nodeId, `menu ${nodeId}: waiting ${node.timeoutSeconds} s for a key`, {
          options: Object.keys(node.options).sort().join(','),
        });
        this.fill({
          kind: 'menu',
          id,
          nodeId,
          prompt: node.prompt,
          invalidPrompt: node.invalidPrompt ?? null,
          options: Object.entries(node.options)
            .filter((entry): entry is [string, string] => entry[1] !== undefined)
            .map(([digit, next]) => ({ digit, nodeId: next }))
            .sort((a, b) => a.digit.localeCompare(b.digit)),
          timeoutSeconds: node.timeoutSeconds,
          invalidRetries: node.invalidRetries,
          attempt: 0,
          defaultNodeId: node.default,
        });
        return id;
      }
      case 'ringAgent':
        return this.planRingAgentNode(nodeId, node);
      case 'ringGroup':
        return this.planRingGroupNode(nodeId, node);
      case 'offerCallback':
        return this.planOfferCallbackNode(nodeId, node);
      case 'voicemail':
        return this.planVoicemailNode(nodeId, node);
      case 'forward': {
        const onFailure = node.onFailure;
        return this.forward(nodeId, node.e164, null, () =>
          onFailure !== undefined
            ? { step: this.planNode(onFailure), via: FLOW }
            : { step: this.hangup(nodeId, null, 'forwardFailed'), via: FLOW },
        );
      }
      case 'announcement': {
        const id = this.reserve();
        this.fill({ kind: 'announcement', id, nodeId, prompt: node.prompt, next: this.planNode(node.next) });
        return id;
      }
      case 'hangup':
        return this.hangup(nodeId, node.prompt ?? null, 'flow');
      default: {
        const _exhaustive: never = node;
        return _exhaustive;
      }
    }
  }

  private scheduleBranch(nodeId: string, node: CallFlowNodeOf<'schedule'>): string {
    const { branches, scheduleId } = node;
    const definition = this.input.view.schedule(scheduleId);
    if (!definition) {
      this.trace.add('schedule.unknown', nodeId, `schedule ${scheduleId} is unknown to the router: closed branch`, {
        scheduleId,
        branch: 'closed',
      });
      return branches.closed;
    }
    let evaluation: ScheduleEvaluation;
    try {
      evaluation = scheduleStateAt(definition, this.input.at);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.trace.add('schedule.unknown', nodeId, `schedule ${scheduleId} cannot be evaluated (${error.message}): closed branch`, {
        scheduleId,
        branch: 'closed',
      });
      return branches.closed;
    }
    const decided = evaluation.decidedBy;
    const facts: Record<string, string | number | boolean | null> = { scheduleId, open: evaluation.open, decidedBy: decided.kind };
    if (evaluation.week) {
      facts['rotationWeek'] = evaluation.week.index;
      facts['templateId'] = evaluation.week.templateId;
    }
    let why: string;
    switch (decided.kind) {
      case 'emergency':
        why = `emergency override "${decided.label}" (${decided.state})`;
        facts['label'] = decided.label;
        facts['expiresAt'] = decided.expiresAt;
        break;
      case 'exception':
        why = `exception "${decided.label}" (${decided.effect})`;
        facts['exceptionId'] = decided.exceptionId;
        facts['label'] = decided.label;
        break;
      case '24/7':
        why = 'mode 24/7';
        break;
      case 'rule':
        why = `rule ${describeRange(decided.range)} of template "${decided.templateName}"`;
        facts['templateId'] = decided.templateId;
        facts['rule'] = describeRange(decided.range);
        break;
      case 'no-rule':
        why = decided.templateName === null ? 'no template in effect' : `no rule of template "${decided.templateName}" covers this time`;
        facts['templateId'] = decided.templateId;
        break;
      default: {
        const _exhaustive: never = decided;
        return _exhaustive;
      }
    }
    if (evaluation.open) {
      this.trace.add('schedule.open', nodeId, `schedule ${scheduleId} is open by ${why}: open branch`, { ...facts, branch: 'open' });
      return branches.open;
    }
    if (decided.kind === 'emergency') {
      const branch = branches.emergency === undefined ? 'closed' : 'emergency';
      this.trace.add('schedule.emergency', nodeId, `schedule ${scheduleId} is closed by ${why}: ${branch} branch`, { ...facts, branch });
      return branches.emergency ?? branches.closed;
    }
    this.trace.add('schedule.closed', nodeId, `schedule ${scheduleId} is closed by ${why}: closed branch`, { ...facts, branch: 'closed' });
    return branches.closed;
  }

  private flowEdges(nodeId: string, node: CallFlowNodeOf<'ringAgent' | 'ringGroup'>): FlowEdges {
    let edges = this.flowEdgesOf.get(nodeId);
    if (!edges) {
      const take = (failure: Failure, field: string, target: string): Edge => {
        this.trace.add('flow.edge', nodeId, `${failure}: the flow continues at ${target} (${field})`, { failure, target });
        return { step: this.planNode(target), via: FLOW };
      };
      edges = {
        noAnswer: () => take('noAnswer', 'onNoAnswer', node.onNoAnswer),
        busy: () => take('busy', node.onBusy ? 'onBusy' : 'onNoAnswer', node.onBusy ?? node.onNoAnswer),
        unreachable: () => take('unreachable', node.onUnreachable ? 'onUnreachable' : 'onNoAnswer', node.onUnreachable ?? node.onNoAnswer),
      };
      this.flowEdgesOf.set(nodeId, edges);
    }
    return edges;
  }

  // ------------------------------------------------------------------------------------ one agent

  private planRingAgentNode(nodeId: string, node: CallFlowNodeOf<'ringAgent'>): string {
    const edges = this.flowEdges(nodeId, node);
    const agent = this.input.view.agent(node.agentId);
    if (!agent || agent.status === 'removed') {
      this.trace.add('agent.notFound', nodeId, `agent ${node.agentId} does not exist (any more)`, { agentId: node.agentId });
      return edges.unreachable().step;
    }
    if (agent.status === 'disabled') {
      this.trace.add('agent.disabled', nodeId, `${agentLabel(agent)} is disabled and is not rung`, {
        agentId: agent.agentId,
        extension: agent.extension,
      });
      return edges.unreachable().step;
    }
    return this.planAgent(agent, {
      nodeId,
      origin: agent.extension,
      originAgentId: agent.agentId,
      visited: [],
      hops: 0,
      edges,
      ringOverride: node.ringSeconds ?? null,
    });
  }

  /**
   * Rings an active agent reached by a ring node or a divert: forward-always first (the agent does not
   * ring), then working hours (after-hours policy), then the ring preference's devices, where a busy or
   * unregistered extension takes its busy / unreachable divert or drops out of the ring.
   */
  private planAgent(agent: AgentView, chain: Chain): string {
    const limited = this.overLimit(chain.nodeId);
    if (limited !== null) return limited;
    const { view, flow } = this.input;
    const nodeId = chain.nodeId;
    const extension = agent.extension;
    const here: Chain = { ...chain, visited: [...chain.visited, extension] };
    const rules = view.divertRules(extension) ?? UNCONFIGURED_DIVERT_RULES;

    const always = activeDivertTarget(rules.always, this.atMs);
    if (always) return this.divert(here, agent, 'always', always).step;

    const hours = workingHoursAt(agent.workingHours, this.input.at);
    const who = agentLabel(agent);
    const agentFacts = { agentId: agent.agentId, extension };
    switch (hours.mode) {
      case 'always':
        this.trace.add('agent.withinHours', nodeId, `${who} has no working hours set: always working`, { ...agentFacts, mode: 'always' });
        break;
      case 'weekly':
        if (!hours.working) {
          this.trace.add('agent.outsideHours', nodeId, `${who} is outside working hours (${hours.zone})`, { ...agentFacts, zone: hours.zone });
          return this.afterHours(here, agent).step;
        }
        this.trace.add('agent.withinHours', nodeId, `${who} is within working hours (${describeRange(hours.range)}, ${hours.zone})`, {
          ...agentFacts,
          range: describeRange(hours.range),
          zone: hours.zone,
        });
        break;
      case 'invalidZone':
        this.trace.add('flow.error', nodeId, `${who} has working hours in unknown zone "${hours.zone}": treated as working`, {
          ...agentFacts,
          zone: hours.zone,
        });
        break;
      default: {
        const _exhaustive: never = hours;
        return _exhaustive;
      }
    }

    const preference = agent.ringPreference;
    let ringExtension = preference.kind !== 'mobileOnly';
    const mobile = preference.kind === 'extensionOnly' ? null : agent.mobile;
    let blockedBy: 'busy' | 'unreachable' | null = null;
    if (ringExtension) {
      const condition = this.extensionCondition(nodeId, extension, agent);
      if (condition !== null) {
        const target = activeDivertTarget(rules[condition], this.atMs);
        if (target) return this.divert(here, agent, condition, target).step;
        ringExtension = false;
        blockedBy = condition;
      }
    }
    if (!ringExtension && mobile === null) {
      const failure: Failure = blockedBy ?? 'unreachable';
      this.trace.add('agent.ringPreference', nodeId, `${who}: no device left to ring (${preference.kind})`, {
        ...agentFacts,
        preference: preference.kind,
        devices: 'none',
      });
      return (failure === 'busy' ? chain.edges.busy() : chain.edges.unreachable()).step;
    }

    const noAnswerTarget = activeDivertTarget(rules.noAnswer, this.atMs);
    const [ringSeconds, ringSecondsFrom] =
      chain.ringOverride !== null
        ? [chain.ringOverride, 'node']
        : noAnswerTarget
          ? [rules.noAnswer.ringSeconds, 'noAnswerDivert']
          : [flow.settings.defaultRingSeconds, 'flowDefault'];
    const sequential = ringExtension && mobile !== null && preference.kind === 'extensionThenMobile';
    const devices = sequential ? `extension ${extension}, then mobile after ${preference.mobileAfterSeconds} s` : [
      ringExtension ? `extension ${extension}` : null,
      mobile !== null ? 'mobile' : null,
    ]
      .filter((d) => d !== null)
      .join(' and ');
    this.trace.add('agent.ringPreference', nodeId, `${who} prefers ${preference.kind}: ringing ${devices} for ${ringSeconds} s`, {
      ...agentFacts,
      preference: preference.kind,
      devices: [ringExtension ? 'extension' : null, mobile !== null ? 'mobile' : null].filter((d) => d !== null).join('+'),
      ringSeconds,
      ringSecondsFrom,
    });

    const first = this.reserve();
    const second = sequential ? this.reserve() : null;
    const last = second ?? first;
    const failures = this.agentFailures(here, agent, rules, noAnswerTarget, last);
    if (second !== null && mobile !== null && preference.kind === 'extensionThenMobile') {
      this.fill(this.ringStep(first, nodeId, [this.extensionTarget(first, 1, extension, agent.agentId)], preference.mobileAfterSeconds, allEdges(second), allVia(SEQUENCE)));
      this.fill(this.ringStep(second, nodeId, [this.numberTarget(second, 1, mobile, agent.agentId, 'mobile')], ringSeconds, failures.on, failures.via));
      return first;
    }
    const targets: RingTarget[] = [];
    if (ringExtension) targets.push(this.extensionTarget(first, targets.length + 1, extension, agent.agentId));
    if (mobile !== null) targets.push(this.numberTarget(first, targets.length + 1, mobile, agent.agentId, 'mobile'));
    this.fill(this.ringStep(first, nodeId, targets, ringSeconds, failures.on, failures.via));
    return first;
  }

  /** `busy` / `unreachable` when the extension's device says so now; null when it can be rung. */
  private extensionCondition(nodeId: string, extension: string, agent: AgentView): 'busy' | 'unreachable' | null {
    const device = this.input.view.device(extension);
    const facts = { agentId: agent.agentId, extension };
    if (!device) {
      this.trace.add('device.unknown', nodeId, `extension ${extension} never reported its device state: rung anyway`, facts);
      return null;
    }
    if (device.registration === 'unregistered') {
      this.trace.add('device.unregistered', nodeId, `extension ${extension} is not registered: unreachable`, {
        ...facts,
        observedAt: device.registrationObservedAt,
      });
      return 'unreachable';
    }
    if (device.activity === 'onCall') {
      this.trace.add('device.onCall', nodeId, `extension ${extension} is on a call: busy`, { ...facts, observedAt: device.activityObservedAt });
      return 'busy';
    }
    return null;
  }

  /** What happens when the agent's last ring step fails: the extension's divert for that condition, else the flow's edge. */
  private agentFailures(
    chain: Chain,
    agent: AgentView,
    rules: DivertRules,
    noAnswerTarget: ActiveDivertTarget | null,
    stepId: string,
  ): { on: StepFailureEdges; via: StepFailureVia } {
    const during = (failure: Failure, plan: () => Edge): Edge => this.trace.during(`${stepId} ${failure}`, plan);
    const noAnswer = during('noAnswer', () => (noAnswerTarget ? this.divert(chain, agent, 'noAnswer', noAnswerTarget) : chain.edges.noAnswer()));
    const busyTarget = activeDivertTarget(rules.busy, this.atMs);
    const busy = during('busy', () => (busyTarget ? this.divert(chain, agent, 'busy', busyTarget) : chain.edges.busy()));
    const unreachableTarget = activeDivertTarget(rules.unreachable, this.atMs);
    const unreachable = during('unreachable', () =>
      unreachableTarget ? this.divert(chain, agent, 'unreachable', unreachableTarget) : chain.edges.unreachable(),
    );
    return {
      on: { noAnswer: noAnswer.step, busy: busy.step, unreachable: unreachable.step },
      via: { noAnswer: noAnswer.via, busy: busy.via, unreachable: unreachable.via },
    };
  }

  private afterHours(chain: Chain, agent: AgentView): Edge {
    const policy = agent.afterHours;
    const nodeId = chain.nodeId;
    const who = agentLabel(agent);
    const facts = { agentId: agent.agentId, extension: agent.extension, policy: policy.kind };
    switch (policy.kind) {
      case 'voicemail':
        this.trace.add('agent.afterHours', nodeId, `${who}'s after-hours policy: voicemail`, facts);
        return { step: this.voicemail(nodeId, agent.extension, agent.agentId), via: FALLBACK };
      case 'forwardExtension':
        return this.hop(chain, agent, 'afterHours', policy.extension);
      case 'forwardNumber':
        this.trace.add('agent.afterHours', nodeId, `${who}'s after-hours policy: forward to ${policy.e164}`, { ...facts, e164: policy.e164 });
        return {
          step: this.forward(nodeId, policy.e164, agent.extension, () => ({
            step: this.voicemail(nodeId, agent.extension, agent.agentId),
            via: FALLBACK,
          })),
          via: FALLBACK,
        };
      case 'followCallFlow':
        this.trace.add('agent.afterHours', nodeId, `${who}'s after-hours policy: follow the call flow (its no-answer edge)`, facts);
        return chain.edges.noAnswer();
      default: {
        const _exhaustive: never = policy;
        return _exhaustive;
      }
    }
  }

  // ------------------------------------------------------------------------------------ diverts

  private divert(chain: Chain, from: AgentView, condition: DivertCondition, target: ActiveDivertTarget): Edge {
    const nodeId = chain.nodeId;
    const fromExtension = from.extension;
    const via: EdgeVia = { kind: 'divert', fromExtension };
    switch (target.kind) {
      case 'voicemail':
        this.trace.add(DIVERT_TRACE[condition], nodeId, `extension ${fromExtension}'s ${CONDITION_WORDS[condition]}: its voicemail`, {
          extension: fromExtension,
          condition,
          target: 'voicemail',
          hop: chain.hops,
        });
        return { step: this.voicemail(nodeId, fromExtension, from.agentId), via };
      case 'number':
        this.trace.add(DIVERT_TRACE[condition], nodeId, `extension ${fromExtension}'s ${CONDITION_WORDS[condition]}: forward to ${target.e164}`, {
          extension: fromExtension,
          condition,
          target: 'number',
          e164: target.e164,
          hop: chain.hops,
        });
        return {
          step: this.forward(nodeId, target.e164, fromExtension, () => ({ step: this.voicemail(nodeId, fromExtension, from.agentId), via: FALLBACK })),
          via,
        };
      case 'extension':
        return this.hop(chain, from, condition, target.extension);
      default: {
        const _exhaustive: never = target;
        return _exhaustive;
      }
    }
  }

  /**
   * One extension-to-extension hop (a divert or an after-hours forward). Stops at the voicemail of the
   * chain's FIRST extension on a loop or past the hop limit (the caller dialled for that person), and at
   * the diverting extension's voicemail when the target no longer has an active agent.
   */
  private hop(chain: Chain, from: AgentView, condition: DivertCondition | 'afterHours', to: string): Edge {
    const nodeId = chain.nodeId;
    const hopLimit = this.input.flow.settings.divertHopLimit;
    const facts = { extension: from.extension, condition, to, hop: chain.hops + 1 };
    if (chain.hops + 1 > hopLimit) {
      this.trace.add('divert.hopLimit', nodeId, `${CONDITION_WORDS[condition]} of ${from.extension} to ${to} would be hop ${chain.hops + 1} of at most ${hopLimit}: voicemail of ${chain.origin}`, {
        ...facts,
        hopLimit,
        chain: [...chain.visited, to].join('>'),
      });
      return { step: this.voicemail(nodeId, chain.origin, chain.originAgentId), via: { kind: 'protection', reason: 'hopLimit' } };
    }
    if (chain.visited.includes(to)) {
      this.trace.add('divert.loop', nodeId, `${CONDITION_WORDS[condition]} of ${from.extension} to ${to} closes a loop (${[...chain.visited, to].join(' > ')}): voicemail of ${chain.origin}`, {
        ...facts,
        chain: [...chain.visited, to].join('>'),
      });
      return { step: this.voicemail(nodeId, chain.origin, chain.originAgentId), via: { kind: 'protection', reason: 'loop' } };
    }
    const target = this.input.view.agentByExtension(to);
    if (!target || target.status !== 'active') {
      const state = target ? target.status : 'removed';
      this.trace.add('divert.targetRemoved', nodeId, `${CONDITION_WORDS[condition]} of ${from.extension} points at extension ${to}, which is ${state}: voicemail of ${from.extension}`, {
        ...facts,
        targetState: state,
      });
      return { step: this.voicemail(nodeId, from.extension, from.agentId), via: { kind: 'protection', reason: 'targetRemoved' } };
    }
    this.trace.add(DIVERT_TRACE[condition], nodeId, `${CONDITION_WORDS[condition]} of ${from.extension}: extension ${to}, ${target.name} (hop ${chain.hops + 1})`, {
      ...facts,
      target: 'extension',
      toAgentId: target.agentId,
    });
    const step = this.planAgent(target, { ...chain, hops: chain.hops + 1, ringOverride: null });
    return { step, via: condition === 'afterHours' ? FALLBACK : { kind: 'divert', fromExtension: from.extension } };
  }

  // ------------------------------------------------------------------------------------ groups

  private planRingGroupNode(nodeId: string, node: CallFlowNodeOf<'ringGroup'>): string {
    const edges = this.flowEdges(nodeId, node);
    const ringing = new Set<string>();
    const members: Array<Extract<GroupMember, { kind: 'ring' }>> = [];
    let skippedBusy = 0;
    for (const agentId of node.agentIds) {
      const member = this.groupMember(nodeId, agentId, 0, [], ringing);
      if (member.kind === 'skip') {
        if (member.reason === 'busy') skippedBusy++;
        this.trace.add('group.memberSkipped', nodeId, `group member ${member.detail} skipped: ${member.reason}`, {
          agentId: member.agentId,
          reason: member.reason,
        });
        continue;
      }
      this.trace.add('group.member', nodeId, `group member ${agentLabel(member.agent)} rings ${this.memberDevices(member)}`, {
        agentId: member.agent.agentId,
        extension: member.extension,
        number: member.number?.e164 ?? null,
      });
      members.push(member);
    }
    if (members.length === 0) {
      const allBusy = skippedBusy === node.agentIds.length;
      this.trace.add('group.empty', nodeId, `no member of the group can be rung${allBusy ? ' (all busy)' : ''}`, { members: node.agentIds.length });
      return (allBusy ? edges.busy() : edges.unreachable()).step;
    }
    const ringSeconds = node.memberRingSeconds;
    switch (node.strategy) {
      case 'simultaneous': {
        const id = this.reserve();
        const targets: RingTarget[] = [];
        for (const member of members) {
          // All of a member's devices ring at once: the group's ring time, not the member's delay, governs.
          if (member.extension !== null) targets.push(this.extensionTarget(id, targets.length + 1, member.extension, member.agent.agentId));
          if (member.number !== null) targets.push(this.numberTarget(id, targets.length + 1, member.number.e164, member.agent.agentId, member.number.role));
        }
        const failures = this.flowFailures(id, edges);
        this.fill(this.ringStep(id, nodeId, targets, ringSeconds, failures.on, failures.via));
        return id;
      }
      case 'inOrder': {
        // Every member's step ids first, so member i can point at member i + 1.
        const plans = members.map((member) => {
          const sequential = member.sequentialAfter !== null && member.extension !== null && member.number !== null;
          const first = this.reserve();
          return { member, first, second: sequential ? this.reserve() : null };
        });
        const lastPlan = plans[plans.length - 1]!;
        const failures = this.flowFailures(lastPlan.second ?? lastPlan.first, edges);
        plans.forEach(({ member, first, second }, index) => {
          const next = plans[index + 1];
          const on = next ? allEdges(next.first) : failures.on;
          const via = next ? allVia(SEQUENCE) : failures.via;
          const agentId = member.agent.agentId;
          if (second !== null && member.extension !== null && member.number !== null && member.sequentialAfter !== null) {
            this.fill(this.ringStep(first, nodeId, [this.extensionTarget(first, 1, member.extension, agentId)], member.sequentialAfter, allEdges(second), allVia(SEQUENCE)));
            this.fill(this.ringStep(second, nodeId, [this.numberTarget(second, 1, member.number.e164, agentId, member.number.role)], ringSeconds, on, via));
            return;
          }
          const targets: RingTarget[] = [];
          if (member.extension !== null) targets.push(this.extensionTarget(first, 1, member.extension, agentId));
          if (member.number !== null) targets.push(this.numberTarget(first, targets.length + 1, member.number.e164, agentId, member.number.role));
          this.fill(this.ringStep(first, nodeId, targets, ringSeconds, on, via));
        });
        return plans[0]!.first;
      }
      default: {
        const _exhaustive: never = node.strategy;
        return _exhaustive;
      }
    }
  }

  private flowFailures(stepId: string, edges: FlowEdges): { on: StepFailureEdges; via: StepFailureVia } {
    const noAnswer = this.trace.during(`${stepId} noAnswer`, () => edges.noAnswer());
    const busy = this.trace.during(`${stepId} busy`, () => edges.busy());
    const unreachable = this.trace.during(`${stepId} unreachable`, () => edges.unreachable());
    return {
      on: { noAnswer: noAnswer.step, busy: busy.step, unreachable: unreachable.step },
      via: { noAnswer: noAnswer.via, busy: busy.via, unreachable: unreachable.via },
    };
  }

  private memberDevices(member: Extract<GroupMember, { kind: 'ring' }>): string {
    const parts: string[] = [];
    if (member.extension !== null) parts.push(`extension ${member.extension}`);
    if (member.number !== null) parts.push(`${member.number.role} ${member.number.e164}`);
    return parts.join(' and ');
  }

  /**
   * Which devices a group member adds. In a group only forward-always is followed (to another extension
   * with the same protection, or an outside number as a leg); busy / unreachable / no-answer diverts
   * and after-hours policies are personal and do not take the group's call: such members are skipped.
   */
  private groupMember(nodeId: string, agentId: string, hops: number, visited: readonly string[], ringing: Set<string>): GroupMember {
    const view = this.input.view;
    const agent = view.agent(agentId);
    if (!agent || agent.status === 'removed') return { kind: 'skip', reason: 'notFound', agentId, detail: agentId };
    const who = agentLabel(agent);
    if (agent.status === 'disabled') return { kind: 'skip', reason: 'disabled', agentId, detail: who };
    const extension = agent.extension;
    if (visited.includes(extension)) return { kind: 'skip', reason: 'divertLoop', agentId, detail: `${who} via ${visited.join(' > ')}` };
    const rules = view.divertRules(extension) ?? UNCONFIGURED_DIVERT_RULES;
    const always = activeDivertTarget(rules.always, this.atMs);
    if (always) {
      switch (always.kind) {
        case 'voicemail':
          return { kind: 'skip', reason: 'alwaysDivertedToVoicemail', agentId, detail: who };
        case 'number': {
          const key = `n:${always.e164}`;
          if (ringing.has(key)) return { kind: 'skip', reason: 'alreadyRinging', agentId, detail: `${who} (forwarded to ${always.e164})` };
          ringing.add(key);
          this.trace.add('divert.always', nodeId, `group member ${who} forwards always to ${always.e164}`, {
            agentId,
            extension,
            target: 'number',
            e164: always.e164,
          });
          return { kind: 'ring', agent, extension: null, number: { e164: always.e164, role: 'forward' }, sequentialAfter: null };
        }
        case 'extension': {
          if (hops + 1 > this.input.flow.settings.divertHopLimit) return { kind: 'skip', reason: 'hopLimit', agentId, detail: who };
          const to = view.agentByExtension(always.extension);
          if (!to || to.status !== 'active') return { kind: 'skip', reason: 'targetRemoved', agentId, detail: `${who} (forwards to ${always.extension})` };
          this.trace.add('divert.always', nodeId, `group member ${who} forwards always to extension ${always.extension}`, {
            agentId,
            extension,
            target: 'extension',
            to: always.extension,
            hop: hops + 1,
          });
          return this.groupMember(nodeId, to.agentId, hops + 1, [...visited, extension], ringing);
        }
        default: {
          const _exhaustive: never = always;
          return _exhaustive;
        }
      }
    }
    const hours = workingHoursAt(agent.workingHours, this.input.at);
    if (!hours.working) return { kind: 'skip', reason: 'outsideWorkingHours', agentId, detail: `${who} (${hours.zone})` };

    const preference = agent.ringPreference;
    let ringExtension: string | null = preference.kind === 'mobileOnly' ? null : extension;
    let blockedBy: 'busy' | 'unreachable' | null = null;
    if (ringExtension !== null) {
      const condition = this.extensionCondition(nodeId, extension, agent);
      if (condition !== null) {
        ringExtension = null;
        blockedBy = condition;
      } else if (ringing.has(`e:${extension}`)) {
        ringExtension = null;
      }
    }
    let mobile = preference.kind === 'extensionOnly' ? null : agent.mobile;
    if (mobile !== null && ringing.has(`n:${mobile}`)) mobile = null;
    if (ringExtension === null && mobile === null) {
      return { kind: 'skip', reason: blockedBy ?? 'alreadyRinging', agentId, detail: who };
    }
    if (ringExtension !== null) ringing.add(`e:${ringExtension}`);
    if (mobile !== null) ringing.add(`n:${mobile}`);
    return {
      kind: 'ring',
      agent,
      extension: ringExtension,
      number: mobile === null ? null : { e164: mobile, role: 'mobile' },
      sequentialAfter: preference.kind === 'extensionThenMobile' ? preference.mobileAfterSeconds : null,
    };
  }

  // ------------------------------------------------------------------------------------ other nodes

  private planOfferCallbackNode(nodeId: string, node: CallFlowNodeOf<'offerCallback'>): string {
    const availability = callbackAvailability(this.input.view.callSlot(node.callSlotId), this.input.at);
    if (!availability.offerable) {
      const why =
        availability.reason === 'noFreeTimeSlot'
          ? `no free time slot within ${availability.windowDays} days`
          : availability.reason === 'deleted'
            ? 'the call slot was deleted'
            : 'the call slot is unknown to the router';
      this.trace.add('callback.notOfferable', nodeId, `callbacks in ${node.callSlotId} are not offered: ${why}; continuing at ${node.fallback}`, {
        callSlotId: node.callSlotId,
        reason: availability.reason,
        fallback: node.fallback,
      });
      return this.planNode(node.fallback);
    }
    this.trace.add('callback.offerable', nodeId, `callbacks in ${node.callSlotId} are offered: next free time slot ${availability.nextFreeStartIso}`, {
      callSlotId: node.callSlotId,
      nextFreeStart: availability.nextFreeStartIso,
      free: availability.free,
    });
    const id = this.reserve();
    this.fill({
      kind: 'offerCallback',
      id,
      nodeId,
      callSlotId: node.callSlotId,
      callerCli: this.input.cli,
      onBookedNodeId: node.onBooked ?? null,
      onDeclinedNodeId: node.onDeclined ?? node.fallback,
    });
    return id;
  }

  private planVoicemailNode(nodeId: string, node: CallFlowNodeOf<'voicemail'>): string {
    const mailbox = node.mailbox;
    const greeting = node.greeting ?? null;
    switch (mailbox.kind) {
      case 'agent': {
        const agent = this.input.view.agent(mailbox.agentId);
        if (!agent || agent.status === 'removed') {
          this.trace.add('agent.notFound', nodeId, `voicemail box of agent ${mailbox.agentId}: the agent does not exist (any more)`, {
            agentId: mailbox.agentId,
          });
          return this.hangup(nodeId, null, 'noMailbox');
        }
        return this.voicemailStep(nodeId, { kind: 'extension', extension: agent.extension, agentId: agent.agentId }, greeting);
      }
      case 'extension':
        return this.voicemailStep(
          nodeId,
          { kind: 'extension', extension: mailbox.extension, agentId: this.input.view.agentByExtension(mailbox.extension)?.agentId ?? null },
          greeting,
        );
      case 'group':
        return this.voicemailStep(nodeId, { kind: 'group', mailboxId: mailbox.mailboxId }, greeting);
      default: {
        const _exhaustive: never = mailbox;
        return _exhaustive;
      }
    }
  }

  // ------------------------------------------------------------------------------------ step builders

  /** The voicemail box of an extension (one step per box and decision). */
  private voicemail(nodeId: string, extension: string, agentId: string | null): string {
    const known = this.voicemailSteps.get(extension);
    if (known !== undefined) return known;
    const id = this.voicemailStep(nodeId, { kind: 'extension', extension, agentId }, null);
    this.voicemailSteps.set(extension, id);
    return id;
  }

  private voicemailStep(nodeId: string, mailbox: PlanMailbox, greeting: CallFlowPrompt | null): string {
    const id = this.reserve();
    this.fill({ kind: 'voicemail', id, nodeId, mailbox, greeting });
    return id;
  }

  private forward(nodeId: string, e164: string, forwardedBy: string | null, failure: () => Edge): string {
    const id = this.reserve();
    const failed = this.trace.during(`${id} failed`, failure);
    this.fill({ kind: 'forward', id, nodeId, e164, forwardedBy, ringSeconds: null, on: allEdges(failed.step), via: allVia(failed.via) });
    return id;
  }

  hangup(nodeId: string | null, prompt: CallFlowPrompt | null, reason: PlanStepOf<'hangup'>['reason']): string {
    const id = this.reserve();
    this.fill({ kind: 'hangup', id, nodeId, prompt, reason });
    return id;
  }

  menuReplay(menu: PlanStepOf<'menu'>): string {
    const id = this.reserve();
    this.fill({ ...menu, id, attempt: menu.attempt + 1 });
    return id;
  }

  private ringStep(
    id: string,
    nodeId: string,
    targets: RingTarget[],
    ringSeconds: number,
    on: StepFailureEdges,
    via: StepFailureVia,
  ): PlanStepOf<'ring'> {
    return { kind: 'ring', id, nodeId, targets, ringSeconds, on, via };
  }

  private extensionTarget(stepId: string, n: number, extension: string, agentId: string | null): RingTarget {
    return { kind: 'extension', legId: `${stepId}.${n}`, extension, agentId };
  }

  private numberTarget(stepId: string, n: number, e164: string, agentId: string | null, role: 'mobile' | 'forward'): RingTarget {
    return {
      kind: 'number',
      legId: `${stepId}.${n}`,
      e164,
      agentId,
      role,
      answerConfirmation: this.input.flow.settings.mobileAnswerConfirmation,
    };
  }
}
