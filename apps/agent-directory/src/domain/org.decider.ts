// The tenant's roster (`org-{tenant}`): who is a member (a licence seat), with which role, reporting to
// whom. Reporting lines span agents, so they are decided here, on one stream: two concurrent "X reports
// to Y" / "Y reports to X" changes cannot both pass the cycle check, because the second append fails its
// expected revision and is decided again against the first. Agent streams mirror role and manager
// (SyncRoster in agent.decider.ts) so agent events still carry the whole agent; see consistency-flows.md.
import {
  AGENT_DIRECTORY_ERRORS as E,
  MANAGING_ROLES,
  type AgentRole,
  type Decider,
  type OrgEvent,
  type Reportee,
} from '@cc/contracts';
import { directoryError } from './directory-error';

export type OrgMember = { readonly role: AgentRole; readonly managerId: string | null };

export type OrgState =
  | { status: 'empty' }
  | {
      status: 'active';
      /** Current members (active or disabled agents). */
      members: ReadonlyMap<string, OrgMember>;
      /** Agents that left: their ids are never enrolled again (their agent stream exists, status removed). */
      withdrawn: ReadonlySet<string>;
    };

export type EnrolMember = {
  type: 'EnrolMember';
  agentId: string;
  role: AgentRole;
  managerId: string | null;
  /** Promote `managerId` from AGENT to MANAGER if needed (seed 002: any agent can be picked as manager). */
  promoteManager: boolean;
  /** The tenant licence's limit, read by the adapter from the tenant stream. */
  maxAgents: number;
};
export type ChangeMemberRole = { type: 'ChangeMemberRole'; agentId: string; role: AgentRole };
export type SetReportingLine = { type: 'SetReportingLine'; agentId: string; managerId: string; promoteManager: boolean };
export type ClearReportingLine = { type: 'ClearReportingLine'; agentId: string };
export type WithdrawMember = { type: 'WithdrawMember'; agentId: string };
export type OrgCommand = EnrolMember | ChangeMemberRole | SetReportingLine | ClearReportingLine | WithdrawMember;

export const initialOrgState = (): OrgState => ({ status: 'empty' });

export function evolveOrg(state: OrgState, event: OrgEvent): OrgState {
  const members = new Map(state.status === 'active' ? state.members : []);
  const withdrawn = state.status === 'active' ? state.withdrawn : new Set<string>();
  switch (event.type) {
    case 'OrgMemberEnrolled':
      members.set(event.data.agentId, { role: event.data.role, managerId: event.data.managerId });
      return { status: 'active', members, withdrawn };
    case 'OrgMemberRoleChanged':
      members.set(event.data.agentId, { ...memberIn(members, event.data.agentId), role: event.data.role });
      return { status: 'active', members, withdrawn };
    case 'ReportingLineSet':
      members.set(event.data.agentId, { ...memberIn(members, event.data.agentId), managerId: event.data.managerId });
      return { status: 'active', members, withdrawn };
    case 'ReportingLineCleared':
      members.set(event.data.agentId, { ...memberIn(members, event.data.agentId), managerId: null });
      return { status: 'active', members, withdrawn };
    case 'OrgMemberWithdrawn':
      members.delete(event.data.agentId);
      return { status: 'active', members, withdrawn: new Set(withdrawn).add(event.data.agentId) };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function memberIn(members: ReadonlyMap<string, OrgMember>, agentId: string): OrgMember {
  const member = members.get(agentId);
  // Events are facts the decider checked; a stream that breaks this is corrupt, not bad input.
  if (!member) throw new Error(`org stream corrupt: event for ${agentId}, who is not a member`);
  return member;
}

export function decideOrg(command: OrgCommand, state: OrgState): OrgEvent[] {
  switch (command.type) {
    case 'EnrolMember': {
      if (isMember(state, command.agentId) || isWithdrawn(state, command.agentId)) {
        throw directoryError(E.AGENT_EXISTS, `Agent ${command.agentId} is already registered`, [], { agentId: command.agentId });
      }
      const agents = memberCount(state);
      if (agents >= command.maxAgents) {
        throw directoryError(
          E.AGENT_LIMIT_REACHED,
          `The licence allows ${command.maxAgents} agents and the tenant has ${agents}`,
          [],
          { maxAgents: command.maxAgents, agents },
        );
      }
      const promotion =
        command.managerId === null ? [] : checkManager(state, command.agentId, command.managerId, command.promoteManager);
      return [
        ...promotion,
        { type: 'OrgMemberEnrolled', data: { agentId: command.agentId, role: command.role, managerId: command.managerId } },
      ];
    }
    case 'ChangeMemberRole': {
      const member = requireMember(state, command.agentId);
      if (member.role === command.role) return [];
      if (!MANAGING_ROLES.includes(command.role)) {
        const reportees = directReporteesOf(state, command.agentId);
        if (reportees.length > 0) {
          throw directoryError(
            E.HAS_REPORTEES,
            `Agent ${command.agentId} still manages ${reportees.length} agent(s); reassign them before changing the role to ${command.role}`,
            [{ path: 'role', message: 'the agent still has reportees' }],
            { reportees },
          );
        }
      }
      return [{ type: 'OrgMemberRoleChanged', data: { agentId: command.agentId, role: command.role, previousRole: member.role } }];
    }
    case 'SetReportingLine': {
      const member = requireMember(state, command.agentId);
      if (member.managerId === command.managerId) return [];
      const promotion = checkManager(state, command.agentId, command.managerId, command.promoteManager);
      return [
        ...promotion,
        {
          type: 'ReportingLineSet',
          data: { agentId: command.agentId, managerId: command.managerId, previousManagerId: member.managerId },
        },
      ];
    }
    case 'ClearReportingLine': {
      const member = requireMember(state, command.agentId);
      if (member.managerId === null) return [];
      return [{ type: 'ReportingLineCleared', data: { agentId: command.agentId, previousManagerId: member.managerId } }];
    }
    case 'WithdrawMember': {
      // Repeating a withdrawal (the adapter retrying the removal flow) is a no-op.
      if (isWithdrawn(state, command.agentId)) return [];
      requireMember(state, command.agentId);
      const reportees = directReporteesOf(state, command.agentId);
      if (reportees.length > 0) {
        throw directoryError(
          E.HAS_REPORTEES,
          `Agent ${command.agentId} still manages ${reportees.length} agent(s); reassign them before removing the agent`,
          [],
          { reportees },
        );
      }
      return [{ type: 'OrgMemberWithdrawn', data: { agentId: command.agentId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const orgDecider: Decider<OrgState, OrgCommand, OrgEvent> = {
  initialState: initialOrgState,
  evolve: evolveOrg,
  decide: decideOrg,
};

/**
 * May `managerId` become the manager of `agentId`? In this order: not the agent itself, a member, no cycle,
 * a managing role (or promoted to MANAGER when `promote`, returning that event).
 */
function checkManager(state: OrgState, agentId: string, managerId: string, promote: boolean): OrgEvent[] {
  if (managerId === agentId) throw reportingCycle([agentId, agentId]);
  const manager = state.status === 'active' ? state.members.get(managerId) : undefined;
  if (!manager) {
    const why = isWithdrawn(state, managerId) ? 'was removed' : 'is not an agent of this tenant';
    throw directoryError(E.MANAGER_NOT_FOUND, `Manager ${managerId} ${why}`, [{ path: 'managerId', message: why }], { managerId });
  }
  // Walk up from the manager: reaching the agent means the new line would close a cycle.
  const chain = [agentId, managerId];
  const seen = new Set(chain);
  for (let next = manager.managerId; next !== null; next = memberOrNull(state, next)?.managerId ?? null) {
    chain.push(next);
    if (next === agentId) throw reportingCycle(chain);
    if (seen.has(next)) break; // a pre-existing cycle not through `agentId` (never written by this decider)
    seen.add(next);
  }
  if (MANAGING_ROLES.includes(manager.role)) return [];
  if (!promote) {
    throw directoryError(
      E.MANAGER_ROLE_REQUIRED,
      `Agent ${managerId} has role ${manager.role}; only ${MANAGING_ROLES.join(' or ')} can be a reporting manager (or ask to promote)`,
      [{ path: 'managerId', message: `has role ${manager.role}` }],
      { managerId, role: manager.role },
    );
  }
  return [{ type: 'OrgMemberRoleChanged', data: { agentId: managerId, role: 'MANAGER', previousRole: manager.role } }];
}

const reportingCycle = (chain: string[]) =>
  directoryError(
    E.REPORTING_CYCLE,
    `Reporting line would close a cycle: ${chain.join(' -> ')}`,
    [{ path: 'managerId', message: `would close the cycle ${chain.join(' -> ')}` }],
    { chain },
  );

function requireMember(state: OrgState, agentId: string): OrgMember {
  const member = memberOrNull(state, agentId);
  if (member) return member;
  if (isWithdrawn(state, agentId)) throw directoryError(E.AGENT_REMOVED, `Agent ${agentId} was removed`, [], { agentId });
  throw directoryError(E.AGENT_NOT_FOUND, `No agent ${agentId}`, [], { agentId });
}

const memberOrNull = (state: OrgState, agentId: string): OrgMember | null =>
  (state.status === 'active' ? state.members.get(agentId) : undefined) ?? null;
const isMember = (state: OrgState, agentId: string): boolean => memberOrNull(state, agentId) !== null;
const isWithdrawn = (state: OrgState, agentId: string): boolean => state.status === 'active' && state.withdrawn.has(agentId);

/** Members holding a licence seat (active and disabled agents). */
export const memberCount = (state: OrgState): number => (state.status === 'active' ? state.members.size : 0);

/** The roster facts an agent stream mirrors (SyncRoster): role and manager, or withdrawn; null if never enrolled. */
export function rosterEntryOf(
  state: OrgState,
  agentId: string,
): { withdrawn: false; role: AgentRole; managerId: string | null } | { withdrawn: true } | null {
  const member = memberOrNull(state, agentId);
  if (member) return { withdrawn: false, role: member.role, managerId: member.managerId };
  return isWithdrawn(state, agentId) ? { withdrawn: true } : null;
}

/** Direct reportees' ids, sorted. */
export function directReporteesOf(state: OrgState, managerId: string): string[] {
  if (state.status !== 'active') return [];
  const out: string[] = [];
  for (const [id, member] of state.members) if (member.managerId === managerId) out.push(id);
  return out.sort();
}

/**
 * Who reports to `managerId`: directly, or (transitive, the default visibility, docs/decisions/0003)
 * through any number of managers below. Breadth first, then by agent id. Throws AGENT_NOT_FOUND /
 * AGENT_REMOVED when `managerId` is not a member.
 */
export function reporteesOf(state: OrgState, managerId: string, options: { transitive: boolean }): Reportee[] {
  requireMember(state, managerId);
  if (state.status !== 'active') return [];
  const childrenOf = new Map<string, string[]>();
  for (const [id, member] of state.members) {
    if (member.managerId === null) continue;
    const siblings = childrenOf.get(member.managerId);
    if (siblings) siblings.push(id);
    else childrenOf.set(member.managerId, [id]);
  }
  const out: Reportee[] = [];
  const seen = new Set<string>([managerId]);
  let level = [managerId];
  for (let depth = 1; level.length > 0; depth++) {
    const next: string[] = [];
    for (const boss of level) {
      for (const id of (childrenOf.get(boss) ?? []).sort()) {
        if (seen.has(id)) continue; // defensive: the decider never writes a cycle
        seen.add(id);
        out.push({ agentId: id, managerId: boss, depth });
        next.push(id);
      }
    }
    if (!options.transitive) break;
    level = next.sort();
  }
  return out.sort((a, b) => a.depth - b.depth || a.agentId.localeCompare(b.agentId));
}

/** The managers above an agent, nearest first (empty when it reports to nobody). */
export function reportingChainOf(state: OrgState, agentId: string): string[] {
  requireMember(state, agentId);
  const chain: string[] = [];
  const seen = new Set([agentId]);
  for (let next = memberOrNull(state, agentId)?.managerId ?? null; next !== null && !seen.has(next); ) {
    chain.push(next);
    seen.add(next);
    next = memberOrNull(state, next)?.managerId ?? null;
  }
  return chain;
}

/** Does `managerId` see `agentId`'s call logs and performance (a manager anywhere above it)? */
export const isAbove = (state: OrgState, managerId: string, agentId: string): boolean =>
  reportingChainOf(state, agentId).includes(managerId);
