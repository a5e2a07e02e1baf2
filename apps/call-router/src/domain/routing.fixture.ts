// Test fixtures for the routing domain: agents, a tenant view built from plain maps, flows and call
// slots, so each spec states only what its rule needs. Used by *.unit.spec.ts only.
import {
  DEFAULT_CALL_FLOW_SETTINGS,
  DEFAULT_CALL_SLOT_SETTINGS,
  defaultDivertRules,
  type AgentView,
  type CallFlowDefinition,
  type CallFlowNode,
  type CallFlowSettings,
  type CallSlotDefinition,
  type DeviceState,
  type DivertRules,
  type DivertTarget,
  type PlanStep,
  type ScheduleDefinitionData,
} from '@cc/contracts';
import type { CallFlowLookup, CallSlotAvailabilityView, RoutingReplicaReader, TenantRoutingView } from './tenant-routing.view';

export const TENANT = 'acme';
export const NUMBER = '+441234567000';
/** Monday 23 Nov 2026, 10:00 in London (GMT). */
export const MONDAY_10 = new Date('2026-11-23T10:00:00.000Z');

/** Agent ids by extension: `agentIdOf('2001')`. */
export const agentIdOf = (extension: string): string => `00000000-0000-4000-8000-00000000${extension.padStart(4, '0')}`;

export function agent(extension: string, overrides: Partial<AgentView> = {}): AgentView {
  return {
    agentId: agentIdOf(extension),
    name: `Agent ${extension}`,
    email: null,
    mobile: `+4477009${extension.padStart(5, '0')}`,
    extension,
    ringPreference: { kind: 'extensionOnly' },
    workingHours: { mode: 'always' },
    afterHours: { kind: 'followCallFlow' },
    role: 'AGENT',
    managerId: null,
    status: 'active',
    ...overrides,
  };
}

export const mobileOf = (extension: string): string => `+4477009${extension.padStart(5, '0')}`;

export function device(extension: string, registration: 'registered' | 'unregistered', activity: 'idle' | 'onCall' = 'idle'): DeviceState {
  return {
    extension,
    registration,
    registrationObservedAt: '2026-11-23T09:00:00.000Z',
    activity,
    activityObservedAt: '2026-11-23T09:00:00.000Z',
  };
}

/** Divert rules with only the given conditions set (others off; no-answer ring time 20 s unless given). */
export function diverts(rules: Partial<Record<'always' | 'noAnswer' | 'busy' | 'unreachable', DivertTarget>>, ringSeconds = 20): DivertRules {
  const base = defaultDivertRules();
  return {
    always: rules.always ? { target: rules.always, validity: null } : base.always,
    noAnswer: rules.noAnswer ? { target: rules.noAnswer, validity: null, ringSeconds } : { ...base.noAnswer, ringSeconds },
    busy: rules.busy ? { target: rules.busy, validity: null } : base.busy,
    unreachable: rules.unreachable ? { target: rules.unreachable, validity: null } : base.unreachable,
  };
}

export const toExtension = (extension: string): DivertTarget => ({ kind: 'extension', extension });
export const toVoicemail: DivertTarget = { kind: 'voicemail' };
export const toNumber = (e164: string): DivertTarget => ({ kind: 'number', e164 });

export function flow(nodes: Record<string, CallFlowNode>, start: string, settings: Partial<CallFlowSettings> = {}): CallFlowDefinition {
  return { number: NUMBER, name: 'Test line', start, nodes, settings: { ...DEFAULT_CALL_FLOW_SETTINGS, ...settings } };
}

/** A ring-agent node whose three fallbacks are distinct voicemail/hangup nodes: `na`, `busy`, `unr`. */
export function ringAgentFlow(extension: string, extra: Partial<Extract<CallFlowNode, { type: 'ringAgent' }>> = {}, settings: Partial<CallFlowSettings> = {}): CallFlowDefinition {
  return flow(
    {
      ring: { type: 'ringAgent', agentId: agentIdOf(extension), onNoAnswer: 'na', onBusy: 'busy', onUnreachable: 'unr', ...extra },
      na: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'no-answer' } },
      busy: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'busy' } },
      unr: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'unreachable' } },
    },
    'ring',
    settings,
  );
}

/** What integration tests PUT to /v1/call-flows/{number}: ring the agent at `extension`, then a voicemail. */
export function ringThenVoicemailInput(
  number: string,
  name: string,
  extension: string,
  mailbox: { kind: 'agent' } | { kind: 'group'; mailboxId: string } = { kind: 'agent' },
): { number: string; name: string; start: string; nodes: Record<string, unknown> } {
  return {
    number,
    name,
    start: 'ring',
    nodes: {
      ring: { type: 'ringAgent', agentId: agentIdOf(extension), onNoAnswer: 'vm' },
      vm: { type: 'voicemail', mailbox: mailbox.kind === 'agent' ? { kind: 'agent', agentId: agentIdOf(extension) } : mailbox },
    },
  };
}

export function callSlot(overrides: Partial<CallSlotDefinition> = {}): CallSlotDefinition {
  return {
    callSlotId: 'support-uk',
    name: 'UK support callbacks',
    zone: 'Europe/London',
    timeSlots: [{ weekday: 'tue', start: '09:00', lengthMinutes: 30, capacity: 2 }],
    settings: DEFAULT_CALL_SLOT_SETTINGS,
    ...overrides,
  };
}

export type CallSlotState = {
  definition: CallSlotDefinition;
  deleted?: boolean;
  closedDates?: string[];
  booked?: Record<string, number>;
  capacity?: Record<string, number>;
};

export type WorldInput = {
  agents?: AgentView[];
  devices?: DeviceState[];
  diverts?: Record<string, DivertRules>;
  schedules?: ScheduleDefinitionData[];
  callSlots?: CallSlotState[];
  /** Versions of the flow of NUMBER, oldest first (version = index + 1). */
  flows?: CallFlowDefinition[];
  retired?: boolean;
};

/** A tenant view over plain maps: what the replicas would hold after their events. */
export function world(input: WorldInput): RoutingReplicaReader & { view: TenantRoutingView } {
  const agents = new Map((input.agents ?? []).map((a) => [a.agentId, a]));
  const devices = new Map((input.devices ?? []).map((d) => [d.extension, d]));
  const schedules = new Map((input.schedules ?? []).map((s) => [s.scheduleId, s]));
  const slots = new Map<string, CallSlotAvailabilityView>(
    (input.callSlots ?? []).map((s) => [
      s.definition.callSlotId,
      {
        status: s.deleted ? 'deleted' : 'active',
        definition: s.definition,
        closedDates: new Set(s.closedDates ?? []),
        bookedAt: (startIso: string) => s.booked?.[startIso] ?? 0,
        capacityOverrideAt: (startIso: string) => s.capacity?.[startIso] ?? null,
      },
    ]),
  );
  const flows = input.flows ?? [];
  const view: TenantRoutingView = {
    tenantId: TENANT,
    callFlow: (number): CallFlowLookup | undefined => {
      if (number !== NUMBER || flows.length === 0) return undefined;
      return input.retired ? { status: 'retired', version: flows.length } : { status: 'published', version: flows.length, flow: flows[flows.length - 1]! };
    },
    callFlowVersion: (number, version) => (number === NUMBER ? flows[version - 1] : undefined),
    agent: (id) => agents.get(id),
    agentByExtension: (extension) => [...agents.values()].find((a) => a.extension === extension && a.status !== 'removed'),
    device: (extension) => devices.get(extension),
    divertRules: (extension) => input.diverts?.[extension],
    schedule: (id) => schedules.get(id),
    callSlot: (id) => slots.get(id),
  };
  return { view, forTenant: (tenantId) => (tenantId === TENANT ? view : EMPTY) };
}

const EMPTY: TenantRoutingView = {
  tenantId: 'other',
  callFlow: () => undefined,
  callFlowVersion: () => undefined,
  agent: () => undefined,
  agentByExtension: () => undefined,
  device: () => undefined,
  divertRules: () => undefined,
  schedule: () => undefined,
  callSlot: () => undefined,
};

/** The extension an agent id of this fixture stands for. */
const extensionOfAgent = (agentId: string | null): string => (agentId === null ? '?' : String(Number(agentId.slice(-4))));

/**
 * One line per step, so a spec can state a whole plan as a table:
 * `s1 ring 2001+mobile(2001)! 30s na=s2 b=s3 u=s4` (`!`: answer confirmation), `s2 vm 2001`,
 * `s3 vm group:busy`, `s4 fwd +447700900999 by 2001 fail=s5`, `s5 menu welcome`, `s6 hangup flow`.
 */
export function describeSteps(steps: readonly PlanStep[]): string[] {
  return steps.map((step) => {
    switch (step.kind) {
      case 'ring': {
        const targets = step.targets
          .map((t) =>
            t.kind === 'extension'
              ? t.extension
              : `${t.role === 'mobile' ? `mobile(${extensionOfAgent(t.agentId)})` : `fwd:${t.e164}`}${t.answerConfirmation ? '!' : ''}`,
          )
          .join('+');
        return `${step.id} ring ${targets} ${step.ringSeconds}s na=${step.on.noAnswer} b=${step.on.busy} u=${step.on.unreachable}`;
      }
      case 'voicemail':
        return `${step.id} vm ${step.mailbox.kind === 'extension' ? step.mailbox.extension : `group:${step.mailbox.mailboxId}`}`;
      case 'forward': {
        const fail = step.on.noAnswer === step.on.busy && step.on.busy === step.on.unreachable ? `fail=${step.on.noAnswer}` : `na=${step.on.noAnswer} b=${step.on.busy} u=${step.on.unreachable}`;
        return `${step.id} fwd ${step.e164}${step.forwardedBy ? ` by ${step.forwardedBy}` : ''} ${fail}`;
      }
      case 'menu':
        return `${step.id} menu ${step.nodeId}${step.attempt > 0 ? ` #${step.attempt}` : ''}`;
      case 'offerCallback':
        return `${step.id} offer ${step.callSlotId}`;
      case 'announcement':
        return `${step.id} announce -> ${step.next}`;
      case 'hangup':
        return `${step.id} hangup ${step.reason}`;
      default: {
        const _exhaustive: never = step;
        return _exhaustive;
      }
    }
  });
}
