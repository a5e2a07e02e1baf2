// One agent (`agent-{tenant}-{agentId}`): profile, extension, ring preference, working hours, after-hours
// policy, enabled/disabled, plus a mirror of its roster facts (role, manager, removal) decided on the org
// stream. Every event carries the whole resulting agent, so replicas (router, divert) just replace it.
import { isDeepStrictEqual } from 'node:util';
import {
  AGENT_DIRECTORY_ERRORS as E,
  type AfterHoursPolicyInput,
  type AgentEvent,
  type AgentProfileField,
  type AgentRole,
  type AgentView,
  type Decider,
  type RingPreferenceInput,
  type TenantSettings,
  type WorkingHoursInput,
} from '@cc/contracts';
import {
  checkExtension,
  checkNotOwnExtension,
  normaliseNumber,
  requireMobileFor,
  resolveAfterHours,
  resolveRingPreference,
  resolveWorkingHours,
} from './agent-input.normaliser';
import { directoryError } from './directory-error';

type Registered<S extends AgentView['status']> = {
  status: S;
  agent: AgentView & { status: S };
  /** The org stream revision the mirrored role/manager/removal reflect (-1: none applied since registration). */
  rosterRevision: number;
};
export type AgentState = { status: 'unregistered' } | Registered<'active'> | Registered<'disabled'> | Registered<'removed'>;

/** Roster facts decided on the org stream at `revision` (the adapter passes the org append's revision). */
export type RosterFacts = { role: AgentRole; managerId: string | null; revision: number };

export type RegisterAgent = {
  type: 'RegisterAgent';
  agentId: string;
  name: string;
  email: string | null;
  /** As typed; normalised to E.164 with the tenant's default country. */
  mobile: string | null;
  extension: string;
  ringPreference: RingPreferenceInput | null;
  workingHours: WorkingHoursInput | null;
  afterHours: AfterHoursPolicyInput | null;
  roster: RosterFacts;
  settings: TenantSettings;
};
/** `undefined` leaves a field as it is; `null` clears email or mobile. */
export type ChangeAgentProfile = {
  type: 'ChangeAgentProfile';
  name?: string;
  email?: string | null;
  mobile?: string | null;
  settings: TenantSettings;
};
export type ChangeAgentExtension = { type: 'ChangeAgentExtension'; extension: string; settings: TenantSettings };
export type SetRingPreference = { type: 'SetRingPreference'; ringPreference: RingPreferenceInput };
export type SetWorkingHours = { type: 'SetWorkingHours'; workingHours: WorkingHoursInput; settings: TenantSettings };
export type SetAfterHoursPolicy = { type: 'SetAfterHoursPolicy'; afterHours: AfterHoursPolicyInput; settings: TenantSettings };
export type DisableAgent = { type: 'DisableAgent'; reason: string | null };
export type EnableAgent = { type: 'EnableAgent' };
/**
 * Brings the agent's mirror of its roster facts up to the org stream (after an org change, and from the
 * process manager that heals a crash between the org append and the agent append). Idempotent and only
 * forward: facts at a revision the agent already reflects are ignored, so racing syncs cannot go back.
 */
export type SyncRoster = {
  type: 'SyncRoster';
  revision: number;
  roster: { withdrawn: false; role: AgentRole; managerId: string | null } | { withdrawn: true };
};
export type AgentCommand =
  | RegisterAgent
  | ChangeAgentProfile
  | ChangeAgentExtension
  | SetRingPreference
  | SetWorkingHours
  | SetAfterHoursPolicy
  | DisableAgent
  | EnableAgent
  | SyncRoster;

export const initialAgentState = (): AgentState => ({ status: 'unregistered' });

export function evolveAgent(state: AgentState, event: AgentEvent): AgentState {
  const previousRevision = state.status === 'unregistered' ? -1 : state.rosterRevision;
  switch (event.type) {
    case 'AgentRegistered':
    case 'AgentRoleChanged':
    case 'ReportingManagerAssigned':
    case 'ReportingManagerCleared':
    case 'AgentRemoved':
      return stateOf(event.data.agent, event.data.rosterRevision);
    case 'AgentProfileChanged':
    case 'AgentExtensionChanged':
    case 'RingPreferenceChanged':
    case 'WorkingHoursSet':
    case 'AfterHoursPolicySet':
    case 'AgentDisabled':
    case 'AgentEnabled':
      return stateOf(event.data.agent, previousRevision);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function stateOf(agent: AgentView, rosterRevision: number): AgentState {
  switch (agent.status) {
    case 'active':
      return { status: 'active', agent: { ...agent, status: 'active' }, rosterRevision };
    case 'disabled':
      return { status: 'disabled', agent: { ...agent, status: 'disabled' }, rosterRevision };
    case 'removed':
      return { status: 'removed', agent: { ...agent, status: 'removed' }, rosterRevision };
    default: {
      const _exhaustive: never = agent.status;
      return _exhaustive;
    }
  }
}

export function decideAgent(command: AgentCommand, state: AgentState): AgentEvent[] {
  if (command.type === 'RegisterAgent') return register(command, state);
  if (command.type === 'SyncRoster') return syncRoster(command, state);
  if (state.status === 'unregistered') throw directoryError(E.AGENT_NOT_FOUND, 'No such agent');
  if (state.status === 'removed') {
    throw directoryError(E.AGENT_REMOVED, `Agent ${state.agent.agentId} was removed`, [], { agentId: state.agent.agentId });
  }
  const agent = state.agent;
  switch (command.type) {
    case 'ChangeAgentProfile': {
      const next: AgentView = { ...agent };
      if (command.name !== undefined) next.name = command.name.trim();
      if (command.email !== undefined) next.email = command.email;
      if (command.mobile !== undefined) {
        next.mobile = command.mobile === null ? null : normaliseNumber(command.mobile, command.settings.defaultCountry, 'mobile');
        requireMobileFor(agent.ringPreference, next.mobile, 'mobile');
      }
      const changed = (['name', 'email', 'mobile'] as const).filter((f: AgentProfileField) => next[f] !== agent[f]);
      if (changed.length === 0) return [];
      return [{ type: 'AgentProfileChanged', data: { agent: next, changed } }];
    }
    case 'ChangeAgentExtension': {
      if (command.extension === agent.extension) return [];
      checkExtension(command.extension, command.settings.extensionDigits);
      if (agent.afterHours.kind === 'forwardExtension') checkNotOwnExtension(agent.afterHours.extension, command.extension, 'extension');
      return [
        { type: 'AgentExtensionChanged', data: { agent: { ...agent, extension: command.extension }, previousExtension: agent.extension } },
      ];
    }
    case 'SetRingPreference': {
      const ringPreference = resolveRingPreference(command.ringPreference);
      requireMobileFor(ringPreference, agent.mobile, 'ringPreference.kind');
      if (isDeepStrictEqual(ringPreference, agent.ringPreference)) return [];
      return [{ type: 'RingPreferenceChanged', data: { agent: { ...agent, ringPreference } } }];
    }
    case 'SetWorkingHours': {
      const workingHours = resolveWorkingHours(command.workingHours, command.settings.defaultTimezone);
      if (isDeepStrictEqual(workingHours, agent.workingHours)) return [];
      return [{ type: 'WorkingHoursSet', data: { agent: { ...agent, workingHours } } }];
    }
    case 'SetAfterHoursPolicy': {
      const afterHours = resolveAfterHours(command.afterHours, agent.extension, command.settings.defaultCountry);
      if (isDeepStrictEqual(afterHours, agent.afterHours)) return [];
      return [{ type: 'AfterHoursPolicySet', data: { agent: { ...agent, afterHours } } }];
    }
    case 'DisableAgent':
      if (agent.status === 'disabled') return [];
      return [{ type: 'AgentDisabled', data: { agent: { ...agent, status: 'disabled' }, reason: command.reason } }];
    case 'EnableAgent':
      if (agent.status === 'active') return [];
      return [{ type: 'AgentEnabled', data: { agent: { ...agent, status: 'active' } } }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function register(command: RegisterAgent, state: AgentState): AgentEvent[] {
  if (state.status !== 'unregistered') {
    throw directoryError(E.AGENT_EXISTS, `Agent ${command.agentId} already exists`, [], { agentId: command.agentId });
  }
  const { settings } = command;
  const extension = checkExtension(command.extension, settings.extensionDigits);
  const mobile = command.mobile === null ? null : normaliseNumber(command.mobile, settings.defaultCountry, 'mobile');
  const ringPreference = resolveRingPreference(command.ringPreference ?? { kind: 'extensionOnly' });
  requireMobileFor(ringPreference, mobile, 'ringPreference.kind');
  const agent: AgentView = {
    agentId: command.agentId,
    name: command.name.trim(),
    email: command.email,
    mobile,
    extension,
    ringPreference,
    workingHours: resolveWorkingHours(command.workingHours ?? { mode: 'always' }, settings.defaultTimezone),
    afterHours: resolveAfterHours(command.afterHours ?? { kind: 'followCallFlow' }, extension, settings.defaultCountry),
    role: command.roster.role,
    managerId: command.roster.managerId,
    status: 'active',
  };
  return [{ type: 'AgentRegistered', data: { agent, rosterRevision: command.roster.revision } }];
}

function syncRoster(command: SyncRoster, state: AgentState): AgentEvent[] {
  // Not registered yet: the registration carries the roster facts itself. Removed: nothing left to mirror.
  if (state.status === 'unregistered' || state.status === 'removed') return [];
  if (command.revision <= state.rosterRevision) return [];
  const rosterRevision = command.revision;
  let agent: AgentView = state.agent;
  if (command.roster.withdrawn) {
    return [{ type: 'AgentRemoved', data: { agent: { ...agent, managerId: null, status: 'removed' }, rosterRevision } }];
  }
  const { role, managerId } = command.roster;
  const events: AgentEvent[] = [];
  if (role !== agent.role) {
    const previousRole = agent.role;
    agent = { ...agent, role };
    events.push({ type: 'AgentRoleChanged', data: { agent, previousRole, rosterRevision } });
  }
  if (managerId !== agent.managerId) {
    const previousManagerId = agent.managerId;
    agent = { ...agent, managerId };
    events.push(
      managerId === null
        ? { type: 'ReportingManagerCleared', data: { agent, previousManagerId: previousManagerId as string, rosterRevision } }
        : { type: 'ReportingManagerAssigned', data: { agent, previousManagerId, rosterRevision } },
    );
  }
  return events;
}

export const agentDecider: Decider<AgentState, AgentCommand, AgentEvent> = {
  initialState: initialAgentState,
  evolve: evolveAgent,
  decide: decideAgent,
};

/** The agent's view for a query, or AGENT_NOT_FOUND (removed agents are still returned, with status removed). */
export function requireAgentView(state: AgentState): AgentView {
  if (state.status === 'unregistered') throw directoryError(E.AGENT_NOT_FOUND, 'No such agent');
  return state.agent;
}
