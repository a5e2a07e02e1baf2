// Test support: writes the routing events of a simulated call, as the router records them on the call's
// stream (envelopes validated against the contracts), with time advancing by the seconds each step takes.
import { randomUUID } from 'node:crypto';
import { ROUTING_EVENTS, type EventEnvelope, type RoutingEvent, type RoutingEventType } from '@cc/contracts';

type DataOfType<T extends RoutingEventType> = Extract<RoutingEvent, { type: T }>['data'];
/** Event data without the fields every routing event repeats (the script fills them in). */
type StepData<T extends RoutingEventType> = Omit<DataOfType<T>, 'callId' | 'number' | 'flowVersion' | 'agentIds'>;

export type ScriptedAgent = { agentId: string; extension: string };

/**
 * A call told step by step: `script.received().decided([ada, bob]).ringing(ada).ringing(bob).answered(ada, 7)
 * .ended('answered', { talkSeconds: 120, answeredBy: ada })`. `events` are envelopes to append in order.
 */
export class RoutingCallScript {
  readonly events: EventEnvelope[] = [];
  private at: number;
  private stepSeq = 0;
  private currentStepId = 's1';
  private readonly correlationId = randomUUID();

  constructor(
    readonly tenantId: string,
    readonly callId: string,
    readonly number = '+441234567000',
    startAt: string | Date = new Date(),
    private readonly flowVersion = 1,
  ) {
    this.at = new Date(startAt).getTime();
  }

  get startedAt(): string {
    return this.events[0]?.occurredAt ?? new Date(this.at).toISOString();
  }

  /** Moves the clock on before the next event. */
  after(seconds: number): this {
    this.at += seconds * 1000;
    return this;
  }

  received(cli: string | null = '+447700900123'): this {
    return this.push('CallReceived', [], { cli, notRoutable: null });
  }

  /** A ring step for `agents` rung together, with voicemail as its failure edge. */
  decided(agents: readonly ScriptedAgent[], cause: DataOfType<'RouteDecided'>['cause'] = 'route'): this {
    const ringId = `s${++this.stepSeq}`;
    const voicemailId = `s${++this.stepSeq}`;
    this.currentStepId = ringId;
    const targets = agents.map((agent, index) => ({ kind: 'extension' as const, legId: `${ringId}.${index + 1}`, extension: agent.extension, agentId: agent.agentId }));
    return this.push('RouteDecided', agents.map((a) => a.agentId), {
      cause,
      decision: {
        currentStepId: ringId,
        steps: [
          {
            kind: 'ring',
            id: ringId,
            nodeId: 'sales',
            targets,
            ringSeconds: 30,
            on: { noAnswer: voicemailId, busy: voicemailId, unreachable: voicemailId },
            via: { noAnswer: { kind: 'flow' }, busy: { kind: 'flow' }, unreachable: { kind: 'flow' } },
          },
          { kind: 'voicemail', id: voicemailId, nodeId: 'sales-vm', mailbox: { kind: 'group', mailboxId: 'sales' }, greeting: null },
        ],
        trace: [{ code: 'flow.selected', message: 'call flow version 1 starts at sales', nodeId: 'sales', facts: { version: 1 } }],
      },
    } as StepData<'RouteDecided'>);
  }

  /** A decision that sends the call to `agent`'s voicemail (no ring step). */
  decidedVoicemail(agent: ScriptedAgent, cause: DataOfType<'RouteDecided'>['cause']): this {
    const id = `s${++this.stepSeq}`;
    this.currentStepId = id;
    const mailbox = { kind: 'extension' as const, extension: agent.extension, agentId: agent.agentId };
    return this.push('RouteDecided', [agent.agentId], {
      cause,
      decision: {
        currentStepId: id,
        steps: [{ kind: 'voicemail', id, nodeId: 'sales-vm', mailbox, greeting: null }],
        trace: [{ code: 'call.progress', message: `continuing at ${id}`, nodeId: 'sales', facts: {} }],
      },
    } as StepData<'RouteDecided'>);
  }

  ringing(agent: ScriptedAgent): this {
    return this.push('LegRinging', [agent.agentId], { stepId: this.currentStepId, leg: this.leg(agent) });
  }

  answered(agent: ScriptedAgent, ringSeconds: number): this {
    this.after(ringSeconds);
    return this.push('LegAnswered', [agent.agentId], { stepId: this.currentStepId, leg: this.leg(agent), ringSeconds });
  }

  /** The current ring step failed as a whole after `ringSeconds` (`decidedBy`: the leg whose final answer decided it). */
  stepFailed(agents: readonly ScriptedAgent[], reason: DataOfType<'LegFailed'>['reason'], ringSeconds: number, decidedBy?: ScriptedAgent): this {
    this.after(ringSeconds);
    const leg = decidedBy ? this.leg(decidedBy) : null;
    return this.push('LegFailed', decidedBy ? [decidedBy.agentId] : agents.map((a) => a.agentId), { stepId: this.currentStepId, leg, reason, ringSeconds });
  }

  diverted(from: ScriptedAgent, toExtension: string): this {
    return this.push('Diverted', [from.agentId], {
      fromExtension: from.extension,
      condition: 'noAnswer',
      to: { kind: 'extension', extension: toExtension },
      hop: 1,
    });
  }

  voicemail(agent: ScriptedAgent): this {
    return this.push('VoicemailReached', [agent.agentId], { mailbox: { kind: 'extension', extension: agent.extension, agentId: agent.agentId } });
  }

  callbackOffered(callSlotId = 'support-uk'): this {
    return this.push('CallbackOffered', [], { callSlotId });
  }

  callbackBooked(callSlotId = 'support-uk', bookingId: string = randomUUID()): this {
    return this.push('CallbackBooked', [], { callSlotId, bookingId });
  }

  ended(outcome: DataOfType<'CallEnded'>['outcome'], options: { afterSeconds?: number; talkSeconds?: number | null; answeredBy?: ScriptedAgent | null } = {}): this {
    this.after(options.afterSeconds ?? options.talkSeconds ?? 0);
    const durationSeconds = (this.at - Date.parse(this.startedAt)) / 1000;
    const answeredBy = options.answeredBy ?? null;
    return this.push('CallEnded', answeredBy ? [answeredBy.agentId] : [], {
      outcome,
      durationSeconds,
      talkSeconds: options.talkSeconds ?? null,
      answeredBy: answeredBy?.agentId ?? null,
    });
  }

  private leg(agent: ScriptedAgent) {
    const index = Math.max(1, this.agentIndex(agent));
    return { kind: 'extension' as const, legId: `${this.currentStepId}.${index}`, extension: agent.extension, agentId: agent.agentId };
  }

  private agentIndex(agent: ScriptedAgent): number {
    const decided = [...this.events].reverse().find((e) => e.type === 'RouteDecided');
    const steps = (decided?.data as DataOfType<'RouteDecided'> | undefined)?.decision.steps ?? [];
    const ring = steps.find((s) => s.id === this.currentStepId);
    return ring?.kind === 'ring' ? ring.targets.findIndex((t) => t.agentId === agent.agentId) + 1 : 1;
  }

  private push<T extends RoutingEventType>(type: T, agentIds: string[], data: StepData<T>): this {
    const definition = ROUTING_EVENTS.find((d) => d.type === type)!;
    const full = { callId: this.callId, number: this.number, flowVersion: this.flowVersion, agentIds, ...data };
    const previous = this.events[this.events.length - 1];
    this.events.push({
      id: randomUUID(),
      type,
      version: definition.version,
      tenantId: this.tenantId,
      occurredAt: new Date(this.at).toISOString(),
      correlationId: this.correlationId,
      causationId: previous?.id ?? null,
      actor: 'service:sip-edge',
      // Fails here, not in the code under test, when the script drifts from the contracts.
      data: definition.schema.parse(full),
    });
    return this;
  }
}

/** Envelopes as the store gives them back to a projection: with their stream revision. */
export const recordedOf = (events: readonly EventEnvelope[]) => events.map((event, revision) => ({ ...event, revision }));
