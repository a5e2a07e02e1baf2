// HTTP API of routing webhooks (tenant admins): endpoints CRUD, secret rotation, delivery log. Validates
// input with the contracts' schemas and calls one WebhookEndpointsService function per route.
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CreateWebhookEndpointRequestSchema,
  UpdateWebhookEndpointRequestSchema,
  WebhookDeliveriesQuerySchema,
  WebhookDeliveryPageSchema,
  WebhookEndpointIdSchema,
  WebhookEndpointListSchema,
  WebhookEndpointViewSchema,
  WebhookEndpointWithSecretSchema,
  type CreateWebhookEndpointRequest,
  type UpdateWebhookEndpointRequest,
  type WebhookDeliveriesQuery,
  type WebhookDeliveryPage,
  type WebhookEndpointView,
  type WebhookEndpointWithSecret,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, Roles, zod, type Principal } from '@cc/platform';
import { WebhookEndpointsService } from './webhook-endpoints.service';

const id = zod(WebhookEndpointIdSchema, 'params.id');

@ApiTags('webhooks')
@Controller('v1/webhooks')
@Roles('ADMIN', 'OPERATOR')
export class WebhooksController {
  constructor(private readonly service: WebhookEndpointsService) {}

  @Post()
  @ApiZod({ body: CreateWebhookEndpointRequestSchema, response: WebhookEndpointWithSecretSchema, status: 201, errors: [400, 401, 403, 409] })
  create(@CurrentPrincipal() principal: Principal, @Body(zod(CreateWebhookEndpointRequestSchema)) body: CreateWebhookEndpointRequest): Promise<WebhookEndpointWithSecret> {
    return this.service.create(principal.tenantId, body);
  }

  @Get()
  @ApiZod({ response: WebhookEndpointListSchema, errors: [401, 403] })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: WebhookEndpointView[] }> {
    return { items: await this.service.list(principal.tenantId) };
  }

  @Get(':id')
  @ApiZod({ response: WebhookEndpointViewSchema, errors: [400, 401, 403, 404] })
  get(@CurrentPrincipal() principal: Principal, @Param('id', id) endpointId: string): Promise<WebhookEndpointView> {
    return this.service.get(principal.tenantId, endpointId);
  }

  @Patch(':id')
  @ApiZod({ body: UpdateWebhookEndpointRequestSchema, response: WebhookEndpointViewSchema, errors: [400, 401, 403, 404] })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) endpointId: string,
    @Body(zod(UpdateWebhookEndpointRequestSchema)) body: UpdateWebhookEndpointRequest,
  ): Promise<WebhookEndpointView> {
    return this.service.update(principal.tenantId, endpointId, body, principal.subject);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiZod({ response: WebhookEndpointWithSecretSchema, errors: [400, 401, 403, 404] })
  rotateSecret(@CurrentPrincipal() principal: Principal, @Param('id', id) endpointId: string): Promise<WebhookEndpointWithSecret> {
    return this.service.rotateSecret(principal.tenantId, endpointId);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiZod({ errors: [400, 401, 403, 404] })
  delete(@CurrentPrincipal() principal: Principal, @Param('id', id) endpointId: string): Promise<void> {
    return this.service.delete(principal.tenantId, endpointId);
  }

  @Get(':id/deliveries')
  @ApiZod({ query: WebhookDeliveriesQuerySchema, response: WebhookDeliveryPageSchema, errors: [400, 401, 403, 404] })
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) endpointId: string,
    @Query(zod(WebhookDeliveriesQuerySchema, 'query')) query: WebhookDeliveriesQuery,
  ): Promise<WebhookDeliveryPage> {
    return this.service.deliveryLog(principal.tenantId, endpointId, query);
  }
}
