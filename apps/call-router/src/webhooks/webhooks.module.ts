// Routing webhooks: endpoints API, the consumer that turns routing events into deliveries, and the
// dispatcher that signs, sends, retries and disables. `forRoot(config)` takes the service config (the
// WEBHOOK_* settings it holds; defaults for the rest). Needs PlatformModule, EventSourcingModule (NATS) and
// ReadModelsModule with WEBHOOK_ENTITIES / WEBHOOK_MIGRATIONS; ROUTING must be published (RoutingPublicationModule).
import { Inject, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { NATS_CONNECTION } from '@cc/messaging';
import { ensureRoutingStreams } from '../call-log/publication/routing-streams.provisioner';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsCache } from './webhook-endpoints.cache';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEnqueueWorker } from './webhook-enqueue.worker';
import { WebhookDispatcher } from './webhook.dispatcher';
import { WEBHOOKS_CONFIG, webhooksConfigOf, type WebhooksConfig } from './webhooks.config';
import { WebhooksController } from './webhooks.controller';

@Module({})
export class WebhooksModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly enqueue: WebhookEnqueueWorker,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  static forRoot(config: Partial<WebhooksConfig> & Record<string, unknown> = {}): DynamicModule {
    return {
      module: WebhooksModule,
      controllers: [WebhooksController],
      providers: [
        { provide: WEBHOOKS_CONFIG, useValue: webhooksConfigOf(config) },
        WebhookEndpointsRepository,
        WebhookEndpointsCache,
        WebhookDeliveriesRepository,
        WebhookEndpointsService,
        WebhookDispatcher,
        WebhookEnqueueWorker,
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    // The consumer needs the stream, whichever of the publication and this module boots first.
    await ensureRoutingStreams(this.nc);
    this.dispatcher.start();
    await this.enqueue.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.enqueue.stop();
    await this.dispatcher.stop();
  }
}
