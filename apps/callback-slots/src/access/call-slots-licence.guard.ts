// Call slots are a licensable feature (seed 003): every callback-slots endpoint, HTTP and NATS, answers
// 403 CALLBACK_SLOTS.LICENCE_REQUIRED naming the licence when the tenant does not hold `callSlots`.
// Checked here, not by privileges: ADMIN, OPERATOR and SERVICE hold every privilege, never every licence.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DomainError, TenantIdSchema } from '@cc/contracts';
import type { Principal } from '@cc/platform';
import { TenantDirectory } from './tenant-directory';

export const CALL_SLOTS_LICENCE = 'callSlots' as const;

/** Local code until the contracts' catalogue (CALLBACK_SLOTS_ERRORS) has it (asked of the lead). */
export const licenceRequired = (tenantId: string): DomainError =>
  new DomainError(
    'CALLBACK_SLOTS.LICENCE_REQUIRED',
    'forbidden',
    `Tenant ${tenantId} is not licensed for call slots: the "${CALL_SLOTS_LICENCE}" licence is required`,
    [],
    { licence: CALL_SLOTS_LICENCE },
  );

@Injectable()
export class CallSlotsLicenceGuard implements CanActivate {
  constructor(private readonly directory: TenantDirectory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenantId = tenantOf(context);
    // No tenant: a public route, or a malformed NATS request that the handler's validation answers.
    if (tenantId === null) return true;
    if (await this.directory.isLicensed(tenantId, CALL_SLOTS_LICENCE)) return true;
    throw licenceRequired(tenantId);
  }
}

function tenantOf(context: ExecutionContext): string | null {
  if (context.getType() === 'rpc') {
    const data = context.switchToRpc().getData() as { tenantId?: unknown } | null;
    const parsed = TenantIdSchema.safeParse(data?.tenantId);
    return parsed.success ? parsed.data : null;
  }
  return context.switchToHttp().getRequest<{ principal?: Principal }>().principal?.tenantId ?? null;
}
