// HTTP `POST /v1/route`: plan a call for the caller's tenant (taken from the token, never the body), or
// simulate one with `dryRun` at any `at` ("what happens to a call at 08:59 on Monday?") without recording it.
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, RoutePlanSchema, RouteRequestSchema, type RoutePlan } from '@cc/contracts';
import { ApiZod, CurrentPrincipal, currentContext, parseOrThrow, Roles, type Principal } from '@cc/platform';
import { randomUUID } from 'node:crypto';
import { RoutingService } from '../routing/routing.service';
import { tenantScopedInput } from './tenant-scoped-input';

/** The body: a route request; `tenantId` may be left out (the token's tenant applies). */
const RouteBodySchema = RouteRequestSchema;

@ApiTags('routing')
@Controller('v1')
export class RoutingController {
  constructor(private readonly routing: RoutingService) {}

  /**
   * A real call needs `callId` (the telephony side's) and is recorded; `dryRun: true` simulates.
   * Managers may simulate; placing real calls is for the telephony side (SERVICE) and administrators.
   */
  @Post('route')
  @HttpCode(200)
  @Roles('OPERATOR', 'ADMIN', 'MANAGER', 'SERVICE')
  @ApiZod({ body: RouteBodySchema, response: RoutePlanSchema, errors: [400, 401, 403, 409, 503] })
  route(@CurrentPrincipal() principal: Principal, @Body() body: unknown): RoutePlan | Promise<RoutePlan> {
    const request = parseOrThrow(RouteRequestSchema, tenantScopedInput(body, principal));
    if (request.dryRun !== true && principal.role === 'MANAGER') {
      throw new DomainError('AUTH.ROLE_REQUIRED', 'forbidden', 'Managers may simulate calls (dryRun: true), not place them', [
        { path: 'dryRun', message: 'must be true for a MANAGER' },
      ]);
    }
    return this.routing.route(request, { correlationId: currentContext()?.correlationId ?? randomUUID(), actor: principal.subject });
  }
}
