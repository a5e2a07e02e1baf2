// Who asks agent-directory, reduced to what the application needs: the tenant (from the token, or named
// by an internal service in its NATS request, never from a body), the actor written into events, and
// the role and privileges for the few rules that depend on the caller (a login reading its own permissions).
import { hasPrivilege, type Principal, type Role } from '@cc/platform';

export type DirectoryCaller = {
  tenantId: string;
  /** Written as the events' `actor`. */
  actor: string;
  role: Role;
  /** The token's subject: for a person, their login name. */
  subject: string;
  can: (privilege: string) => boolean;
};

export function callerOfPrincipal(principal: Principal): DirectoryCaller {
  return {
    tenantId: principal.tenantId,
    actor: principal.subject,
    role: principal.role,
    subject: principal.subject,
    can: (privilege) => hasPrivilege(principal, privilege),
  };
}

/** A NATS request: internal services act for the tenant named in the request, with every privilege of it. */
export function callerOfRpc(request: { tenantId: string; actor: string }): DirectoryCaller {
  return { tenantId: request.tenantId, actor: request.actor, role: 'SERVICE', subject: request.actor, can: () => true };
}

/** What the application's own processes (the roster reconciler) write as the actor of their repairs. */
export const RECONCILER_ACTOR = 'service:agent-directory-reconciler';
