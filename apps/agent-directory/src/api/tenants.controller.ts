// HTTP API of tenants. The platform OPERATOR registers tenants and manages them by the tenant id in the
// path (`/v1/tenants/{tenantId}`): the one place a tenant id comes from the request, and only for that
// role. Everyone else reaches only the tenant of their token (`/v1/tenant`).
import { Body, Controller, Get, Headers, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ChangeTenantLicenceRequestSchema,
  ChangeTenantSettingsRequestSchema,
  ListTenantsRequestSchema,
  ListTenantsResponseSchema,
  RegisterTenantRequestSchema,
  GetTenantRequestSchema,
  TenantResponseSchema,
  type ChangeTenantLicenceRequest,
  type ChangeTenantSettingsRequest,
  type ListTenantsRequest,
  type ListTenantsResponse,
  type RegisterTenantRequest,
  type TenantResponse,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, Roles, zod, type Principal } from '@cc/platform';
import { callerOfPrincipal } from '../application/directory-caller';
import { TenantsService } from '../application/tenants.service';
import { expectedRevisionOf, withEtag } from './revision-headers';

const IF_MATCH_HEADER = { name: 'if-match', required: false, description: 'The ETag of a read ("3"): refuse with 409 if the tenant changed since' };
const tenantIdOf = (tenantId: string): string => parseOrThrow(GetTenantRequestSchema, { tenantId }).tenantId;

@ApiTags('tenants')
@Controller('v1')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post('tenants')
  @Roles('OPERATOR')
  @ApiZod({ body: RegisterTenantRequestSchema, response: TenantResponseSchema, status: 201, errors: [400, 401, 403, 409] })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(RegisterTenantRequestSchema)) body: RegisterTenantRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantResponse> {
    const created = await this.tenants.register(callerOfPrincipal(principal), body);
    void reply.header('location', `/v1/tenants/${created.tenant.tenantId}`);
    return withEtag(reply, created);
  }

  @Get('tenants')
  @Roles('OPERATOR')
  @ApiZod({ query: ListTenantsRequestSchema, response: ListTenantsResponseSchema, errors: [400, 401, 403] })
  list(@Query(zod(ListTenantsRequestSchema, 'query')) query: ListTenantsRequest): Promise<ListTenantsResponse> {
    return this.tenants.list(query);
  }

  @Get('tenants/:tenantId')
  @Roles('OPERATOR')
  @ApiZod({ response: TenantResponseSchema, errors: [400, 401, 403, 404] })
  async get(@Param('tenantId') tenantId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TenantResponse> {
    return withEtag(reply, await this.tenants.get(tenantIdOf(tenantId)));
  }

  @Put('tenants/:tenantId/licence')
  @Roles('OPERATOR')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeTenantLicenceRequestSchema, response: TenantResponseSchema, errors: [400, 401, 403, 404, 409] })
  async changeLicence(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Body(zod(ChangeTenantLicenceRequestSchema)) body: ChangeTenantLicenceRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantResponse> {
    return withEtag(reply, await this.tenants.changeLicence(callerOfPrincipal(principal), tenantIdOf(tenantId), body, expectedRevisionOf(ifMatch)));
  }

  @Patch('tenants/:tenantId/settings')
  @Roles('OPERATOR')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeTenantSettingsRequestSchema, response: TenantResponseSchema, errors: [400, 401, 403, 404, 409] })
  async changeSettingsOf(
    @CurrentPrincipal() principal: Principal,
    @Param('tenantId') tenantId: string,
    @Body(zod(ChangeTenantSettingsRequestSchema)) body: ChangeTenantSettingsRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantResponse> {
    return withEtag(reply, await this.tenants.changeSettings(callerOfPrincipal(principal), tenantIdOf(tenantId), body, expectedRevisionOf(ifMatch)));
  }

  /** The caller's own tenant: licence (features, maxAgents) and settings. */
  @Get('tenant')
  @Roles('ADMIN', 'SERVICE')
  @ApiZod({ response: TenantResponseSchema, errors: [401, 403, 404] })
  async own(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<TenantResponse> {
    return withEtag(reply, await this.tenants.get(principal.tenantId));
  }

  @Patch('tenant/settings')
  @Roles('ADMIN')
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeTenantSettingsRequestSchema, response: TenantResponseSchema, errors: [400, 401, 403, 404, 409] })
  async changeSettings(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(ChangeTenantSettingsRequestSchema)) body: ChangeTenantSettingsRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantResponse> {
    const caller = callerOfPrincipal(principal);
    return withEtag(reply, await this.tenants.changeSettings(caller, caller.tenantId, body, expectedRevisionOf(ifMatch)));
  }
}
