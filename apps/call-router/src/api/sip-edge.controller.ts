// HTTP `POST /v1/sip/rtjson`: the Kamailio edge's routing query (deploy/kamailio/README.md §1-2). The
// answer is the rtjson document of the call's first steps; 404 for a number no tenant routes.
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { SipRouteQuerySchema } from '@cc/contracts';
import { ApiZod, CurrentPrincipal, currentContext, Roles, zod, type Principal } from '@cc/platform';
import type { SipRouteQuery } from '@cc/contracts';
import type { RtjsonDocument } from '../domain/rtjson';
import { SipEdgeService } from '../sip/sip-edge.service';
import { assertSipEdge } from './sip-edge.principal';

@ApiTags('sip-edge')
@Controller('v1/sip')
export class SipEdgeController {
  constructor(private readonly sip: SipEdgeService) {}

  @Post('rtjson')
  @HttpCode(200)
  @Roles('SERVICE')
  @ApiZod({ body: SipRouteQuerySchema, errors: [400, 401, 403, 404, 503] })
  route(@CurrentPrincipal() principal: Principal, @Body(zod(SipRouteQuerySchema)) query: SipRouteQuery): Promise<RtjsonDocument> {
    assertSipEdge(principal);
    return this.sip.route(query, { correlationId: currentContext()?.correlationId ?? randomUUID(), actor: principal.subject });
  }
}
