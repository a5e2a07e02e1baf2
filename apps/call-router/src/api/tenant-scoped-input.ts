// HTTP bodies name no tenant: the token's tenant is put in, and a body naming another one is refused, so
// the same contract schema validates HTTP and NATS requests and no request can cross tenants.
import { DomainError } from '@cc/contracts';
import type { Principal } from '@cc/platform';

export function tenantScopedInput(body: unknown, principal: Principal, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [{ path: '(root)', message: 'the body must be a JSON object' }]);
  }
  const input = { ...((body ?? {}) as Record<string, unknown>) };
  if (input.tenantId !== undefined && input.tenantId !== principal.tenantId) {
    throw new DomainError('AUTH.TENANT_MISMATCH', 'forbidden', 'The body names another tenant than your token', [
      { path: 'tenantId', message: `leave it out or use ${principal.tenantId}` },
    ]);
  }
  return { ...input, ...extra, tenantId: principal.tenantId };
}
