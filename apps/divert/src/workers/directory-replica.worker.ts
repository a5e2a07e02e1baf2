// Consumes agent-directory's events from JetStream (stream EVT_AGENT_DIRECTORY) into the divert service's
// directory replica. A durable pull consumer: a restart resumes where it stopped, the replica lives in
// PostgreSQL, so no replay is needed; what cannot be applied is retried, then dead-lettered with a reason.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventStreamName, eventSubjectsOf } from '@cc/contracts';
import {
  NATS_CONNECTION,
  PublishedEventSchema,
  startJetStreamConsumer,
  type JetStreamConsumerHandle,
} from '@cc/messaging';
import { type BaseConfig, Metrics, nestMessagingLogger, SERVICE_CONFIG } from '@cc/platform';
import { DirectoryReplica } from '../directory/directory-replica';

/** Durable consumer name (contains the service name; INSTANCE_PREFIX keeps isolated copies apart). */
export const directoryReplicaDurable = (config: Pick<BaseConfig, 'INSTANCE_PREFIX'>): string =>
  `${config.INSTANCE_PREFIX}divert-directory-replica`;

@Injectable()
export class DirectoryReplicaWorker {
  private readonly logger = new Logger('DirectoryReplicaWorker');
  private consumer: JetStreamConsumerHandle | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    private readonly replica: DirectoryReplica,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    this.consumer = await startJetStreamConsumer({
      nc: this.nc,
      stream: eventStreamName('agent-directory'),
      filterSubject: eventSubjectsOf('agent-directory'),
      durable: directoryReplicaDurable(this.config),
      schema: PublishedEventSchema,
      maxDeliver: 5,
      handler: (event) => this.replica.apply(event),
      logger: nestMessagingLogger(this.logger),
      metrics: this.metrics.registry,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}
