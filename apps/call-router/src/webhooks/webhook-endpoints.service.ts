// The webhooks' application layer: every webhook route calls one of these. Registers endpoints (URL rules,
// per-tenant limit, a fresh signing secret), changes, pauses and re-enables them, and reads the delivery log.
import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  MAX_WEBHOOK_ENDPOINTS_PER_TENANT,
  WEBHOOK_ERRORS,
  type CreateWebhookEndpointRequest,
  type UpdateWebhookEndpointRequest,
  type WebhookDeliveriesQuery,
  type WebhookDeliveryPage,
  type WebhookEndpointView,
  type WebhookEndpointWithSecret,
} from '@cc/contracts';
import { CLOCK, type Clock } from '@cc/platform';
import { nonPublicHostReason } from './domain/webhook-target.rules';
import { WEBHOOK_SECRET_BYTES, webhookSecretOf } from './domain/webhook-signature';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsCache } from './webhook-endpoints.cache';
import { WebhookEndpointsRepository, type EndpointChanges, type WebhookEndpointRow } from './webhook-endpoints.repository';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from './webhooks.config';

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly cache: WebhookEndpointsCache,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(tenantId: string, request: CreateWebhookEndpointRequest): Promise<WebhookEndpointWithSecret> {
    this.checkUrl(request.url);
    const now = this.clock.now().toISOString();
    const endpoint: WebhookEndpointRow = {
      id: randomUUID(),
      tenantId,
      url: request.url,
      description: request.description,
      eventTypes: request.eventTypes,
      secret: webhookSecretOf(randomBytes(WEBHOOK_SECRET_BYTES)),
      status: 'enabled',
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await this.endpoints.insertBelowLimit(endpoint, MAX_WEBHOOK_ENDPOINTS_PER_TENANT);
    if (inserted) this.cache.changed(tenantId);
    if (!inserted) {
      throw new DomainError(
        WEBHOOK_ERRORS.TOO_MANY_ENDPOINTS.code,
        WEBHOOK_ERRORS.TOO_MANY_ENDPOINTS.kind,
        `A tenant has at most ${MAX_WEBHOOK_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first`,
        [],
        { max: MAX_WEBHOOK_ENDPOINTS_PER_TENANT },
      );
    }
    return { ...viewOf(endpoint), secret: endpoint.secret };
  }

  async list(tenantId: string): Promise<WebhookEndpointView[]> {
    return (await this.endpoints.list(tenantId)).map(viewOf);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointView> {
    return viewOf(await this.require(tenantId, id));
  }

  async update(tenantId: string, id: string, request: UpdateWebhookEndpointRequest, actor: string): Promise<WebhookEndpointView> {
    if (request.url !== undefined) this.checkUrl(request.url);
    const changes: EndpointChanges = {
      ...(request.url === undefined ? {} : { url: request.url }),
      ...(request.description === undefined ? {} : { description: request.description }),
      ...(request.eventTypes === undefined ? {} : { eventTypes: request.eventTypes }),
      ...(request.enabled === undefined ? {} : { status: request.enabled ? { kind: 'enabled' as const } : { kind: 'disabled' as const, reason: `disabled by ${actor}` } }),
    };
    const updated = await this.endpoints.update(tenantId, id, changes, this.clock.now());
    if (updated === null) throw notFound(id);
    this.cache.changed(tenantId);
    return viewOf(updated);
  }

  /** A new secret, effective for the next attempt; returned this once. */
  async rotateSecret(tenantId: string, id: string): Promise<WebhookEndpointWithSecret> {
    const secret = webhookSecretOf(randomBytes(WEBHOOK_SECRET_BYTES));
    const updated = await this.endpoints.update(tenantId, id, { secret }, this.clock.now());
    if (updated === null) throw notFound(id);
    this.cache.changed(tenantId);
    return { ...viewOf(updated), secret };
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(tenantId, id))) throw notFound(id);
    this.cache.changed(tenantId);
  }

  async deliveryLog(tenantId: string, id: string, query: WebhookDeliveriesQuery): Promise<WebhookDeliveryPage> {
    await this.require(tenantId, id);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.deliveries.page(tenantId, id, { status: query.status, limit: query.limit, after });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  private async require(tenantId: string, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await this.endpoints.get(tenantId, id);
    if (endpoint === null) throw notFound(id);
    return endpoint;
  }

  private checkUrl(url: string): void {
    if (this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS) return;
    const reason = nonPublicHostReason(new URL(url));
    if (reason !== null) {
      throw new DomainError(WEBHOOK_ERRORS.URL_NOT_ALLOWED.code, WEBHOOK_ERRORS.URL_NOT_ALLOWED.kind, `Webhooks cannot be sent to ${url}: ${reason}`, [
        { path: 'url', message: reason },
      ]);
    }
  }
}

function viewOf(endpoint: WebhookEndpointRow): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes as WebhookEndpointView['eventTypes'],
    description: endpoint.description,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt,
    consecutiveFailures: endpoint.consecutiveFailures,
    secretHint: endpoint.secret.slice(0, 10),
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

const notFound = (id: string): DomainError =>
  new DomainError(WEBHOOK_ERRORS.ENDPOINT_NOT_FOUND.code, WEBHOOK_ERRORS.ENDPOINT_NOT_FOUND.kind, `No webhook endpoint ${id}`, [{ path: 'params.id', message: 'unknown endpoint' }]);

const encodeCursor = (cursor: { createdAt: string; id: string }): string => Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');

function decodeCursor(text: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string' && /^[0-9a-f-]{36}$/i.test(value[1])) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // refused below
  }
  throw new DomainError(WEBHOOK_ERRORS.INVALID_CURSOR.code, WEBHOOK_ERRORS.INVALID_CURSOR.kind, 'The cursor is not one this service issued', [
    { path: 'query.cursor', message: 'pass the nextCursor of the previous page unchanged' },
  ]);
}
