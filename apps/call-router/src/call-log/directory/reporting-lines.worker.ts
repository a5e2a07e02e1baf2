// Consumes agent-directory's events from JetStream (stream EVT_AGENT_DIRECTORY) into the call log's
// reporting-line replica. A durable pull consumer: the replica lives in PostgreSQL, so a restart resumes
// where it stopped without a replay; what cannot be applied is retried, then dead-lettered with the reason.
import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventStreamName, eventSubjectsOf } from '@cc/contracts';
import { NATS_CONNECTION, PublishedEventSchema, startJetStreamConsumer, type JetStreamConsumerHandle, type PublishedEvent } from '@cc/messaging';
import { type BaseConfig, Metrics, nestMessagingLogger, SERVICE_CONFIG } from '@cc/platform';
import { reportingLineChangeOf } from './reporting-line.adapter';
import { ReportingLinesRepository } from './reporting-lines.repository';

/** Durable consumer name (INSTANCE_PREFIX keeps isolated copies, e.g. test runs, apart). */
export const reportingLinesDurable = (config: Pick<BaseConfig, 'INSTANCE_PREFIX'>): string => `${config.INSTANCE_PREFIX}call-router-reporting-lines`;

@Injectable()
export class ReportingLinesWorker {
  private consumer: JetStreamConsumerHandle | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    private readonly repository: ReportingLinesRepository,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    this.consumer = await startJetStreamConsumer({
      nc: this.nc,
      stream: eventStreamName('agent-directory'),
      filterSubject: eventSubjectsOf('agent-directory'),
      durable: reportingLinesDurable(this.config),
      schema: PublishedEventSchema,
      maxDeliver: 5,
      handler: (event) => this.apply(event),
      logger: nestMessagingLogger('ReportingLinesWorker'),
      metrics: this.metrics.registry,
    });
  }

  /** Applies one agent-directory event (public for tests that hand in a redelivery). */
  async apply(event: PublishedEvent): Promise<void> {
    const change = reportingLineChangeOf(event);
    if (change !== null) await this.repository.apply(event.tenantId, change, event.revision);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}
