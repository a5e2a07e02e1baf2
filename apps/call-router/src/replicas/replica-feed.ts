// Keeps THIS instance's in-memory replicas live from one source stream: a JetStream ordered consumer
// (ephemeral, per process, flow-controlled, recreated by the client on a gap), because every instance needs
// every event. A durable shared by the instances would split the events between them. It starts where the
// persisted snapshot ends, skips unneeded types by the subject's last token without parsing, and reports
// how far behind it is (pending messages, age of the last event) for /metrics and the ready gate.
import type { Logger } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import { eventStreamName, eventSubjectsOf } from '@cc/contracts';
import { PublishedEventSchema } from '@cc/messaging';
import type { RoutingReplicas } from '../domain/replicas';
import type { ReplicaSource } from './replica-sources';

/** Where the feed begins: right after the snapshot's stream sequence, or (own flows) at a time. */
export type FeedStart = { readonly afterSequence: number } | { readonly fromTime: Date };

export type ReplicaFeedStats = {
  service: string;
  /** Stream sequence of the last message seen (applied, skipped or refused). */
  lastSequence: number;
  /** Messages the server still had for this feed after the last one delivered. */
  pending: number;
  /** occurredAt of the last event applied (ms), null before the first. */
  lastOccurredAtMs: number | null;
  applied: number;
  stale: number;
  ignored: number;
  skipped: number;
  refused: number;
  caughtUp: boolean;
};

export type ReplicaFeedOptions = {
  nc: NatsConnection;
  source: ReplicaSource;
  replicas: RoutingReplicas;
  start: FeedStart;
  /** The stream's last sequence when the feed started: reaching it means caught up. */
  catchUpTo: number;
  logger: Logger;
  /** Seconds from an event's occurredAt to its application here (the P5 change-to-effect delay). */
  onApplied?: (delaySeconds: number) => void;
};

const MAX_BUFFERED = 512;
const RESTART_DELAY_MS = 1_000;

export class ReplicaFeed {
  private readonly stats: ReplicaFeedStats;
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private readonly caughtUpPromise: Promise<void>;
  private markCaughtUp!: () => void;

  constructor(private readonly options: ReplicaFeedOptions) {
    this.stats = {
      service: options.source.service,
      lastSequence: 'afterSequence' in options.start ? options.start.afterSequence : 0,
      pending: 0,
      lastOccurredAtMs: null,
      applied: 0,
      stale: 0,
      ignored: 0,
      skipped: 0,
      refused: 0,
      caughtUp: false,
    };
    this.caughtUpPromise = new Promise((resolve) => (this.markCaughtUp = resolve));
  }

  async start(): Promise<void> {
    this.messages = await this.consume(this.options.start);
    this.checkCaughtUp();
    this.loop = this.run();
  }

  /** Resolves once every message the stream held when the feed started has been seen. */
  caughtUp(): Promise<void> {
    return this.caughtUpPromise;
  }

  snapshot(): ReplicaFeedStats {
    return { ...this.stats };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.loop;
  }

  private async consume(start: FeedStart): Promise<ConsumerMessages> {
    const { source, nc } = this.options;
    const js = nc.jetstream();
    const consumer = await js.consumers.get(eventStreamName(source.service), {
      filterSubjects: eventSubjectsOf(source.service),
      ...('afterSequence' in start
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start.afterSequence + 1 }
        : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: start.fromTime.toISOString() }),
    });
    return consumer.consume({ max_messages: MAX_BUFFERED });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        for await (const msg of this.messages!) {
          this.handle(msg);
          if (this.stopping) break;
        }
      } catch (error) {
        this.options.logger.error(`replica feed ${this.stats.service} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (this.stopping || this.options.nc.isClosed()) return;
      // The iterator ended on its own (stream deleted, client gave up): resume after the last message seen.
      this.options.logger.warn(`replica feed ${this.stats.service} stopped receiving; resuming after sequence ${this.stats.lastSequence}`);
      await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      if (this.stopping) return;
      try {
        this.messages = await this.consume({ afterSequence: this.stats.lastSequence });
      } catch (error) {
        this.options.logger.error(`replica feed ${this.stats.service} cannot resume: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private handle(msg: JsMsg): void {
    const stats = this.stats;
    stats.lastSequence = msg.info.streamSequence;
    stats.pending = msg.info.pending;
    const type = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    if (this.options.source.wants(type)) this.apply(msg);
    else stats.skipped++;
    this.checkCaughtUp();
  }

  private apply(msg: JsMsg): void {
    const { source, replicas } = this.options;
    let published;
    let event;
    try {
      published = PublishedEventSchema.parse(msg.json());
      event = source.parse(published);
    } catch (error) {
      // The snapshot writer (a durable consumer) dead-letters the same message with the reason; here it is
      // only counted and logged, so the feed never stops on one bad message.
      this.stats.refused++;
      this.options.logger.warn(
        `replica feed ${this.stats.service}: message ${msg.info.streamSequence} on ${msg.subject} refused: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const outcome = source.apply(replicas, { tenantId: published.tenantId, revision: published.revision }, event);
    this.stats[outcome]++;
    const occurredAtMs = Date.parse(published.occurredAt);
    this.stats.lastOccurredAtMs = occurredAtMs;
    if (outcome === 'applied') this.options.onApplied?.(Math.max(0, Date.now() - occurredAtMs) / 1000);
  }

  private checkCaughtUp(): void {
    if (this.stats.caughtUp) return;
    if (this.stats.lastSequence >= this.options.catchUpTo) {
      this.stats.caughtUp = true;
      this.markCaughtUp();
    }
  }
}
