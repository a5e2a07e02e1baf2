// Logins (`login-{tenant}-{loginId}`): role, privileges and call-slot profile (seed 003), and the pure
// `effectivePermissions` that turns them, with the tenant's licence, into what a token may carry.
import { isDeepStrictEqual } from 'node:util';
import {
  AGENT_DIRECTORY_ERRORS as E,
  PRIVILEGES,
  PRIVILEGE_LICENCE,
  isLicensed,
  type AgentStatus,
  type CallLogScope,
  type CallSlotProfile,
  type Decider,
  type EffectivePermissions,
  type LoginEvent,
  type LoginRole,
  type LoginView,
  type Privilege,
  type TenantView,
} from '@cc/contracts';
import { directoryError } from './directory-error';
import { requireLicence, requireTenant, type TenantState } from './tenant.decider';

/**
 * What a new login of each role gets when no privileges are given. ADMIN always holds every privilege.
 * MANAGER reads the directory, schedules, call flows, call slots, campaigns, call logs and performance
 * of its team and may change diverts; AGENT reads the directory and its own call logs and sets its own
 * diverts. Scope (own / reportees / all) is the services' job, from `callLogScope` and the org.
 */
export const DEFAULT_PRIVILEGES: Readonly<Record<LoginRole, readonly Privilege[]>> = {
  ADMIN: PRIVILEGES,
  MANAGER: [
    'agents:read',
    'schedules:read',
    'diverts:read',
    'diverts:write',
    'callFlows:read',
    'callSlots:read',
    'campaigns:read',
    'callLogs:read',
    'performance:read',
  ],
  AGENT: ['agents:read', 'diverts:read', 'diverts:write', 'callLogs:read'],
};

export type LoginState = { status: 'absent' } | { status: 'active'; login: LoginView } | { status: 'disabled'; login: LoginView };

/** The agent a login links to, as the adapter found it (`unregistered` when there is no such agent). */
export type LinkedAgent = { agentId: string; status: AgentStatus | 'unregistered' };

export type CreateLogin = {
  type: 'CreateLogin';
  loginId: string;
  email: string | null;
  role: LoginRole;
  /** null: the role's defaults. */
  privileges: Privilege[] | null;
  /** null: all call slots. */
  callSlotProfile: CallSlotProfile | null;
  agent: LinkedAgent | null;
  tenant: TenantView;
};
/** `privileges` null: reset to the new role's defaults. */
export type ChangeLoginRole = { type: 'ChangeLoginRole'; role: LoginRole; privileges: Privilege[] | null; tenant: TenantView };
export type ChangeLoginPrivileges = { type: 'ChangeLoginPrivileges'; privileges: Privilege[]; tenant: TenantView };
export type AssignCallSlotProfile = { type: 'AssignCallSlotProfile'; callSlotProfile: CallSlotProfile; tenant: TenantView };
export type DisableLogin = { type: 'DisableLogin' };
export type EnableLogin = { type: 'EnableLogin' };
export type LoginCommand = CreateLogin | ChangeLoginRole | ChangeLoginPrivileges | AssignCallSlotProfile | DisableLogin | EnableLogin;

export const initialLoginState = (): LoginState => ({ status: 'absent' });

export function evolveLogin(_state: LoginState, event: LoginEvent): LoginState {
  switch (event.type) {
    case 'LoginCreated':
    case 'LoginRoleChanged':
    case 'LoginPrivilegesChanged':
    case 'CallSlotProfileAssigned':
    case 'LoginDisabled':
    case 'LoginEnabled': {
      const login = event.data.login;
      return login.status === 'active' ? { status: 'active', login } : { status: 'disabled', login };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function decideLogin(command: LoginCommand, state: LoginState): LoginEvent[] {
  if (command.type === 'CreateLogin') return create(command, state);
  if (state.status === 'absent') throw directoryError(E.LOGIN_NOT_FOUND, 'No such login');
  const login = state.login;
  switch (command.type) {
    case 'ChangeLoginRole': {
      if (command.role === login.role) {
        return command.privileges === null ? [] : changePrivileges(login, command.privileges, command.tenant);
      }
      const privileges = privilegesFor(command.role, command.privileges, command.tenant);
      return [{ type: 'LoginRoleChanged', data: { login: { ...login, role: command.role, privileges }, previousRole: login.role } }];
    }
    case 'ChangeLoginPrivileges':
      return changePrivileges(login, command.privileges, command.tenant);
    case 'AssignCallSlotProfile': {
      requireLicence(command.tenant, 'callSlots');
      const callSlotProfile = normaliseProfile(command.callSlotProfile);
      if (isDeepStrictEqual(callSlotProfile, login.callSlotProfile)) return [];
      return [{ type: 'CallSlotProfileAssigned', data: { login: { ...login, callSlotProfile } } }];
    }
    case 'DisableLogin':
      if (login.status === 'disabled') return [];
      return [{ type: 'LoginDisabled', data: { login: { ...login, status: 'disabled' } } }];
    case 'EnableLogin':
      if (login.status === 'active') return [];
      return [{ type: 'LoginEnabled', data: { login: { ...login, status: 'active' } } }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function create(command: CreateLogin, state: LoginState): LoginEvent[] {
  if (state.status !== 'absent') {
    throw directoryError(E.LOGIN_EXISTS, `Login "${command.loginId}" already exists`, [{ path: 'loginId', message: 'is taken' }]);
  }
  if (command.agent !== null && (command.agent.status === 'unregistered' || command.agent.status === 'removed')) {
    const why = command.agent.status === 'removed' ? 'was removed' : 'does not exist';
    throw directoryError(E.LINKED_AGENT_NOT_FOUND, `Agent ${command.agent.agentId} ${why}`, [{ path: 'agentId', message: why }]);
  }
  if (command.callSlotProfile !== null) requireLicence(command.tenant, 'callSlots');
  const login: LoginView = {
    loginId: command.loginId,
    email: command.email,
    role: command.role,
    privileges: privilegesFor(command.role, command.privileges, command.tenant),
    callSlotProfile: command.callSlotProfile === null ? { kind: 'all' } : normaliseProfile(command.callSlotProfile),
    agentId: command.agent?.agentId ?? null,
    status: 'active',
  };
  return [{ type: 'LoginCreated', data: { login } }];
}

function changePrivileges(login: LoginView, requested: Privilege[], tenant: TenantView): LoginEvent[] {
  if (login.role === 'ADMIN') throw adminPrivilegesFixed();
  const privileges = checkGrantable(requested, tenant);
  if (isDeepStrictEqual(privileges, login.privileges)) return [];
  const granted = privileges.filter((p) => !login.privileges.includes(p));
  const revoked = login.privileges.filter((p) => !privileges.includes(p));
  return [{ type: 'LoginPrivilegesChanged', data: { login: { ...login, privileges }, granted, revoked } }];
}

/** ADMIN: all (an explicit list is refused); others: the list given, or the role's defaults. */
function privilegesFor(role: LoginRole, requested: Privilege[] | null, tenant: TenantView): Privilege[] {
  if (role === 'ADMIN') {
    if (requested !== null) throw adminPrivilegesFixed();
    return [...PRIVILEGES];
  }
  return requested === null ? canonical(DEFAULT_PRIVILEGES[role]) : checkGrantable(requested, tenant);
}

/**
 * Explicitly granting a privilege of an unlicensed feature is refused (LICENCE_REQUIRED at `privileges[i]`),
 * so an admin learns it cannot work. Defaults are stored as they are and gated when read, so a licence
 * bought later takes effect without editing every login.
 */
function checkGrantable(requested: readonly Privilege[], tenant: TenantView): Privilege[] {
  requested.forEach((privilege, index) => {
    const feature = PRIVILEGE_LICENCE[privilege];
    if (feature !== undefined && !isLicensed(tenant, feature)) {
      throw directoryError(
        E.LICENCE_REQUIRED,
        `Privilege "${privilege}" needs the "${feature}" licence, which tenant ${tenant.tenantId} does not have`,
        [{ path: `privileges[${index}]`, message: `needs the "${feature}" licence` }],
        { licence: feature },
      );
    }
  });
  return canonical(requested);
}

/** Unique, in PRIVILEGES order, so equal sets compare equal. */
const canonical = (privileges: readonly Privilege[]): Privilege[] => PRIVILEGES.filter((p) => privileges.includes(p));

const normaliseProfile = (profile: CallSlotProfile): CallSlotProfile =>
  profile.kind === 'all' ? { kind: 'all' } : { kind: 'subset', callSlotIds: [...new Set(profile.callSlotIds)].sort() };

const adminPrivilegesFixed = () =>
  directoryError(E.ADMIN_PRIVILEGES_FIXED, 'An ADMIN login always holds every privilege; its list cannot be set', [
    { path: 'privileges', message: 'cannot be set for an ADMIN login' },
  ]);

export const loginDecider: Decider<LoginState, LoginCommand, LoginEvent> = {
  initialState: initialLoginState,
  evolve: evolveLogin,
  decide: decideLogin,
};

const NO_CALL_SLOTS: CallSlotProfile = { kind: 'subset', callSlotIds: [] };

/**
 * What a login may do now: its privileges (ADMIN: all) minus those of features the tenant is not licensed
 * for; its call-slot profile, or no call slot at all without the callSlots licence; and whose call logs it
 * sees. A disabled login may do nothing. Services filter by this (it is what agent-directory signs into
 * a token), so the licence gate holds even for ADMIN.
 */
export function effectivePermissions(login: LoginState, tenant: TenantState): EffectivePermissions {
  if (login.status === 'absent') throw directoryError(E.LOGIN_NOT_FOUND, 'No such login');
  const view = requireTenant(tenant);
  const licensedFeatures = view.licence.features;
  const { loginId, role, agentId } = login.login;
  if (login.status === 'disabled') {
    return { loginId, active: false, role, privileges: [], callSlotProfile: NO_CALL_SLOTS, agentId, callLogScope: 'none', licensedFeatures };
  }
  const held = role === 'ADMIN' ? PRIVILEGES : login.login.privileges;
  const privileges = canonical(held.filter((p) => {
    const feature = PRIVILEGE_LICENCE[p];
    return feature === undefined || isLicensed(view, feature);
  }));
  return {
    loginId,
    active: true,
    role,
    privileges,
    callSlotProfile: isLicensed(view, 'callSlots') ? login.login.callSlotProfile : NO_CALL_SLOTS,
    agentId,
    callLogScope: callLogScopeOf(role, agentId, privileges),
    licensedFeatures,
  };
}

/** ADMIN all; MANAGER its reportees (and itself); AGENT itself; none without callLogs:read or, below ADMIN, without an agent. */
function callLogScopeOf(role: LoginRole, agentId: string | null, privileges: readonly Privilege[]): CallLogScope {
  if (!privileges.includes('callLogs:read')) return 'none';
  switch (role) {
    case 'ADMIN':
      return 'all';
    case 'MANAGER':
      return agentId === null ? 'none' : 'reportees';
    case 'AGENT':
      return agentId === null ? 'none' : 'own';
    default: {
      const _exhaustive: never = role;
      return _exhaustive;
    }
  }
}
