// Who asks: the tenant and actor (from the token or the NATS request, never the body) and, for logins,
// the call-slot profile that limits which call slots they see (internal callers see all).
import type { CallSlotProfile } from '@cc/contracts';
import type { Principal } from '@cc/platform';

export type CallSlotCaller = { tenantId: string; actor: string; profile?: CallSlotProfile };

export const callerOfPrincipal = (principal: Principal): CallSlotCaller => ({
  tenantId: principal.tenantId,
  actor: principal.subject,
  profile: principal.callSlotProfile,
});

/** A NATS request: internal services act for the tenant named in the request, on every call slot. */
export const callerOfRpc = (request: { tenantId: string; actor: string }): CallSlotCaller => ({
  tenantId: request.tenantId,
  actor: request.actor,
});
