// Who may act as the SIP edge: a SERVICE token holding the `sipEdge` privilege, checked explicitly (the
// platform grants SERVICE every privilege of its own tenant, but the edge acts for EVERY tenant: its calls'
// tenants come from the dialled number, so an ordinary tenant's service token must not pass for it).
import { DomainError, SIP_EDGE_PRIVILEGE } from '@cc/contracts';
import type { Principal } from '@cc/platform';

export const isSipEdge = (principal: Principal): boolean => principal.role === 'SERVICE' && principal.privileges.has(SIP_EDGE_PRIVILEGE);

export function assertSipEdge(principal: Principal): void {
  if (!isSipEdge(principal)) {
    throw new DomainError('AUTH.PRIVILEGE_REQUIRED', 'forbidden', `Only the SIP edge (a SERVICE token with the "${SIP_EDGE_PRIVILEGE}" privilege) may do this`, [], {
      missing: [SIP_EDGE_PRIVILEGE],
    });
  }
}
