// Persists the other services' routing-relevant events into the replica snapshot: one durable JetStream
// consumer per source stream, SHARED by all router instances (each event is written once), acking only
// after the row is committed. So everything at or below a durable's ack floor is in the snapshot, which is
// where a starting instance's in-memory feed begins (see ReplicaCatchUp).
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventStreamName, eventSubjectsOf } from '@cc/contracts';
import { NATS_CONNECTION, PublishedEventSchema, startJetStreamConsumer, type JetStreamConsumerHandle, type PublishedEvent } from '@cc/messaging';
import { type BaseConfig, Metrics, nestMessagingLogger, SERVICE_CONFIG } from '@cc/platform';
import { EXTERNAL_REPLICA_SOURCES, type ReplicaSource } from './replica-sources';
import { ReplicaSnapshotRepository } from './replica-snapshot.repository';

/** `call-router-replica-divert` (INSTANCE_PREFIX keeps isolated copies apart); also names the DLQ subject. */
export const snapshotWriterDurable = (config: Pick<BaseConfig, 'INSTANCE_PREFIX'>, source: ReplicaSource): string =>
  `${config.INSTANCE_PREFIX}call-router-replica-${source.service}`;

@Injectable()
export class ReplicaSnapshotWriter {
  private readonly logger = new Logger('ReplicaSnapshotWriter');
  private consumers: JetStreamConsumerHandle[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    private readonly snapshot: ReplicaSnapshotRepository,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    for (const source of EXTERNAL_REPLICA_SOURCES) {
      this.consumers.push(
        await startJetStreamConsumer({
          nc: this.nc,
          stream: eventStreamName(source.service),
          filterSubject: eventSubjectsOf(source.service),
          durable: snapshotWriterDurable(this.config, source),
          schema: PublishedEventSchema,
          maxDeliver: 5,
          handler: (event) => this.persist(source, event),
          logger: nestMessagingLogger(this.logger),
          metrics: this.metrics.registry,
        }),
      );
    }
  }

  async stop(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  }

  /** A contract violation throws: retried, then dead-lettered with the reason (never silently dropped). */
  private async persist(source: ReplicaSource, published: PublishedEvent): Promise<void> {
    if (!source.wants(published.type)) return;
    const event = source.parse(published);
    await this.snapshot.upsert({
      source: source.service,
      streamId: published.streamId,
      compactionKey: source.compactionKey(event),
      tenantId: published.tenantId,
      revision: published.revision,
      type: published.type,
      version: published.version,
      data: published.data,
      occurredAt: published.occurredAt,
      expiresAt: source.expiresAt(event),
    });
  }
}
