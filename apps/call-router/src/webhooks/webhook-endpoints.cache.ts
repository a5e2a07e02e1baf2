// The enabled endpoints of a tenant, as the enqueue worker asks for them on every routing event: kept in
// memory instead of one PostgreSQL lookup per event. A change made here clears the tenant's entry at once
// and tells every other instance over NATS (core pub/sub) to clear theirs; WEBHOOK_ENDPOINT_CACHE_MS bounds
// how long an entry lives should such a message be lost. A load that a change overtook is not kept.
// Staleness is harmless one way (a delivery enqueued for an endpoint disabled meanwhile is abandoned by the
// dispatcher) and short the other (another instance's new endpoint: until its NATS message arrives).
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { NATS_CONNECTION } from '@cc/messaging';
import { SERVICE_CONFIG, type BaseConfig } from '@cc/platform';
import { WebhookEndpointsRepository, type WebhookEndpointRow } from './webhook-endpoints.repository';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from './webhooks.config';

/** Core NATS subject on which instances announce a tenant's endpoint change (payload: the tenant id). */
export const webhookEndpointsChangedSubject = (config: Pick<BaseConfig, 'INSTANCE_PREFIX'>): string =>
  `${config.INSTANCE_PREFIX}call-router.internal.webhook-endpoints-changed`;

type Entry = { rows: WebhookEndpointRow[]; loadedAt: number };

@Injectable()
export class WebhookEndpointsCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookEndpointsCache');
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every change of a tenant: a load started before a change is not cached. */
  private readonly generations = new Map<string, number>();
  private readonly subject: string;
  private readonly ttlMs: number;
  private subscription: Subscription | null = null;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) config: BaseConfig,
    @Inject(WEBHOOKS_CONFIG) settings: WebhooksConfig,
  ) {
    this.subject = webhookEndpointsChangedSubject(config);
    this.ttlMs = settings.WEBHOOK_ENDPOINT_CACHE_MS;
  }

  onModuleInit(): void {
    this.subscription = this.nc.subscribe(this.subject, {
      callback: (error, message) => {
        if (error) return this.logger.warn(`endpoint change notices failed: ${error.message}`);
        this.forget(this.decoder.decode(message.data));
      },
    });
  }

  /** The tenant's enabled endpoints (from memory while fresh). */
  async enabled(tenantId: string): Promise<WebhookEndpointRow[]> {
    const now = Date.now();
    const entry = this.entries.get(tenantId);
    if (entry && now - entry.loadedAt < this.ttlMs) return entry.rows;
    const generation = this.generations.get(tenantId) ?? 0;
    const rows = await this.endpoints.enabled(tenantId);
    if (this.ttlMs > 0 && (this.generations.get(tenantId) ?? 0) === generation) this.entries.set(tenantId, { rows, loadedAt: now });
    return rows;
  }

  /** After a change of the tenant's endpoints here: forget them here and on every other instance. */
  changed(tenantId: string): void {
    this.forget(tenantId);
    try {
      this.nc.publish(this.subject, this.encoder.encode(tenantId));
    } catch (error) {
      // The change is stored; other instances pick it up when their entry expires.
      this.logger.warn(`could not announce the endpoint change of ${tenantId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private forget(tenantId: string): void {
    this.entries.delete(tenantId);
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
  }
}
