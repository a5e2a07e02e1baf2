// Who asks the divert service, reduced to what its rules of access need: the tenant (from the token or
// the NATS request, never the body), the actor for the audit trail, and whether they act for the whole
// tenant or only for their own extension (AGENT role).
import type { Principal } from '@cc/platform';

export type DivertCaller = {
  tenantId: string;
  actor: string;
  /**
   * `tenant`: ADMIN, MANAGER, OPERATOR, SERVICE and NATS callers (internal services).
   * `ownExtension`: an AGENT, limited to the extension their token's agentId holds in agent-directory.
   */
  scope: { kind: 'tenant' } | { kind: 'ownExtension'; agentId: string | null };
};

export function callerOfPrincipal(principal: Principal): DivertCaller {
  return {
    tenantId: principal.tenantId,
    actor: principal.subject,
    scope: principal.role === 'AGENT' ? { kind: 'ownExtension', agentId: principal.agentId } : { kind: 'tenant' },
  };
}

/** A NATS request: internal services act for the tenant named in the request. */
export const callerOfRpc = (request: { tenantId: string; actor: string }): DivertCaller => ({
  tenantId: request.tenantId,
  actor: request.actor,
  scope: { kind: 'tenant' },
});
