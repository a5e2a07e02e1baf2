// Consumes callback-slots' events from JetStream (stream EVT_CALLBACK_SLOTS) into the callback-attempt
// replica behind "callbacks handled". Durable pull consumer; failures are retried, then dead-lettered.
import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventStreamName, eventSubjectsOf } from '@cc/contracts';
import { NATS_CONNECTION, PublishedEventSchema, startJetStreamConsumer, type JetStreamConsumerHandle, type PublishedEvent } from '@cc/messaging';
import { type BaseConfig, Metrics, nestMessagingLogger, SERVICE_CONFIG } from '@cc/platform';
import { callbackActivityOf } from './callback-activity.adapter';
import { CallbackActivityRepository } from './callback-activity.repository';

export const callbackActivityDurable = (config: Pick<BaseConfig, 'INSTANCE_PREFIX'>): string => `${config.INSTANCE_PREFIX}call-router-callback-activity`;

@Injectable()
export class CallbackActivityWorker {
  private consumer: JetStreamConsumerHandle | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    private readonly repository: CallbackActivityRepository,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    this.consumer = await startJetStreamConsumer({
      nc: this.nc,
      stream: eventStreamName('callback-slots'),
      filterSubject: eventSubjectsOf('callback-slots'),
      durable: callbackActivityDurable(this.config),
      schema: PublishedEventSchema,
      maxDeliver: 5,
      handler: (event) => this.apply(event),
      logger: nestMessagingLogger('CallbackActivityWorker'),
      metrics: this.metrics.registry,
    });
  }

  async apply(event: PublishedEvent): Promise<void> {
    const activity = callbackActivityOf(event);
    if (activity !== null) await this.repository.apply(event.tenantId, activity);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}
