// Whose calls and performance a caller may see (seed 002, ADR 0003): ADMIN (and the platform's OPERATOR
// and SERVICE principals) the whole tenant, MANAGER themself and everyone below them, AGENT themself.
// Enforced in the queries: asking for someone outside the scope is refused, never answered with nothing.
import { CALL_LOG_ERRORS, DomainError } from '@cc/contracts';
import { reporteesOf, type ReportingLine } from './reporting-tree';

export type ViewerRole = 'OPERATOR' | 'ADMIN' | 'MANAGER' | 'AGENT' | 'SERVICE';
export type Viewer = { readonly role: ViewerRole; readonly agentId: string | null };

export type VisibilityScope =
  | { readonly kind: 'tenant' }
  /** `agentIds` holds the viewer themself first, then (for a manager) their reportees. */
  | { readonly kind: 'agents'; readonly viewerAgentId: string; readonly agentIds: ReadonlySet<string> };

/** True when the scope depends on the reporting tree (the caller loads it only then). */
export const needsReportingLines = (viewer: Viewer): boolean => viewer.role === 'MANAGER';

export function visibilityScopeOf(viewer: Viewer, lines: Iterable<ReportingLine>): VisibilityScope {
  switch (viewer.role) {
    case 'OPERATOR':
    case 'ADMIN':
    case 'SERVICE':
      return { kind: 'tenant' };
    case 'MANAGER': {
      const self = requireAgentLink(viewer);
      return { kind: 'agents', viewerAgentId: self, agentIds: new Set([self, ...reporteesOf(lines, self).map((r) => r.agentId)]) };
    }
    case 'AGENT': {
      const self = requireAgentLink(viewer);
      return { kind: 'agents', viewerAgentId: self, agentIds: new Set([self]) };
    }
    default: {
      const _exhaustive: never = viewer.role;
      throw new Error(`unknown role ${String(_exhaustive)}`);
    }
  }
}

export const isAgentVisible = (scope: VisibilityScope, agentId: string): boolean => scope.kind === 'tenant' || scope.agentIds.has(agentId);

/** Refuses (403) an agent outside the scope; `field` is the query parameter that named them. */
export function requireAgentVisible(scope: VisibilityScope, agentId: string, field = 'agentId'): void {
  if (isAgentVisible(scope, agentId)) return;
  throw new DomainError(
    CALL_LOG_ERRORS.OUTSIDE_VISIBILITY.code,
    CALL_LOG_ERRORS.OUTSIDE_VISIBILITY.kind,
    `Agent ${agentId} is outside what you may see (${describe(scope)})`,
    [{ path: `query.${field}`, message: 'not you, nor one of your reportees' }],
    { agentId },
  );
}

/** A call is visible when it concerns at least one agent of the scope. */
export const isCallVisible = (scope: VisibilityScope, callAgentIds: readonly string[]): boolean =>
  scope.kind === 'tenant' || callAgentIds.some((agentId) => scope.agentIds.has(agentId));

export function requireCallVisible(scope: VisibilityScope, call: { callId: string; agentIds: readonly string[] }): void {
  if (isCallVisible(scope, call.agentIds)) return;
  throw new DomainError(
    CALL_LOG_ERRORS.OUTSIDE_VISIBILITY.code,
    CALL_LOG_ERRORS.OUTSIDE_VISIBILITY.kind,
    `Call ${call.callId} concerns nobody you may see (${describe(scope)})`,
    [],
    { callId: call.callId },
  );
}

function requireAgentLink(viewer: Viewer): string {
  if (viewer.agentId !== null) return viewer.agentId;
  throw new DomainError(
    CALL_LOG_ERRORS.NO_AGENT_LINK.code,
    CALL_LOG_ERRORS.NO_AGENT_LINK.kind,
    `A ${viewer.role} login sees its own calls (and its reportees'), but this token names no agent`,
  );
}

const describe = (scope: VisibilityScope): string =>
  scope.kind === 'tenant' ? 'the whole tenant' : scope.agentIds.size === 1 ? 'your own calls' : `yourself and ${scope.agentIds.size - 1} reportee(s)`;
