// Turns routing events into webhook deliveries: a durable JetStream consumer of the ROUTING stream that,
// per event, enqueues one delivery per endpoint of the tenant that wants it (endpoints from memory:
// WebhookEndpointsCache), then wakes the dispatcher.
// Its own consumer, so a slow or failing endpoint never holds up routing (nor another tenant's webhooks).
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { ROUTING_STREAM, ROUTING_SUBJECTS, RoutingMessageSchema, type RoutingMessage } from '@cc/contracts';
import { NATS_CONNECTION, startJetStreamConsumer, type JetStreamConsumerHandle } from '@cc/messaging';
import { type BaseConfig, CLOCK, type Clock, Metrics, nestMessagingLogger, SERVICE_CONFIG } from '@cc/platform';
import { endpointWants } from './domain/webhook-endpoint.filter';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook.dispatcher';
import { WebhookEndpointsCache } from './webhook-endpoints.cache';

export const webhookEnqueueDurable = (config: Pick<BaseConfig, 'INSTANCE_PREFIX'>): string => `${config.INSTANCE_PREFIX}call-router-webhooks`;

@Injectable()
export class WebhookEnqueueWorker {
  private consumer: JetStreamConsumerHandle | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly endpoints: WebhookEndpointsCache,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    this.consumer = await startJetStreamConsumer({
      nc: this.nc,
      stream: ROUTING_STREAM,
      filterSubject: ROUTING_SUBJECTS,
      durable: webhookEnqueueDurable(this.config),
      // Endpoints receive events from when they were registered: a new durable does not replay the stream.
      deliverPolicy: 'new',
      schema: RoutingMessageSchema,
      maxDeliver: 10,
      handler: async (message) => {
        await this.enqueue(message);
      },
      logger: nestMessagingLogger('WebhookEnqueueWorker'),
      metrics: this.metrics.registry,
    });
  }

  /** Enqueues the deliveries of one routing message (public for tests that hand in a redelivery). */
  async enqueue(message: RoutingMessage): Promise<number> {
    const endpoints = (await this.endpoints.enabled(message.tenantId)).filter((endpoint) => endpointWants(endpoint, message));
    if (endpoints.length === 0) return 0;
    const payload = JSON.stringify(message);
    const enqueued = await this.deliveries.enqueue(
      endpoints.map((endpoint) => ({ id: randomUUID(), tenantId: message.tenantId, endpointId: endpoint.id, eventId: message.id, eventType: message.type, payload })),
      this.clock.now(),
    );
    if (enqueued > 0) this.dispatcher.wake();
    return enqueued;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}
