// Who asks the schedule service: the tenant (from the bearer token or the NATS request, never from a
// body) and the actor recorded on the events (and as an emergency override's `by`).
import type { Principal } from '@cc/platform';

export type ScheduleCaller = { tenantId: string; actor: string };

export const callerOfPrincipal = (principal: Principal): ScheduleCaller => ({ tenantId: principal.tenantId, actor: principal.subject });

/** A NATS request names the tenant and actor it acts for (internal services only reach NATS). */
export const callerOfRpc = (request: { tenantId: string; actor: string }): ScheduleCaller => ({ tenantId: request.tenantId, actor: request.actor });
