// GET /v1/whoami: what the service understood from your bearer token (tenant, role, privileges).
// Operators use it to debug "why do I get 403"; tests use it to prove the auth wiring.
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';

@ApiTags('operations')
@Controller('v1/whoami')
export class WhoAmIController {
  @Get()
  whoami(@CurrentPrincipal() principal: Principal) {
    return {
      subject: principal.subject,
      tenantId: principal.tenantId,
      role: principal.role,
      privileges: [...principal.privileges].sort(),
      agentId: principal.agentId,
      callSlotProfile: principal.callSlotProfile,
    };
  }
}
