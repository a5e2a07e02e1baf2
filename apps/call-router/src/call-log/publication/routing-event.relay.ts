// The router's store is the outbox of routing events: this relay follows the call streams (a durable,
// gap-free subscribeAll) and publishes each routing event on `routing.…` plus its per-agent copies,
// moving its checkpoint only after JetStream acknowledged the whole batch. Never on the routing path.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient, NatsConnection } from 'nats';
import { headers as natsHeaders } from 'nats';
import type { Counter, Gauge } from 'prom-client';
import { CALL_STREAM_PREFIX } from '@cc/contracts';
import type { AllSubscription, EventStore, RecordedEvent } from '@cc/event-store';
import { NATS_CONNECTION } from '@cc/messaging';
import { EVENT_STORE, Metrics } from '@cc/platform';
import { routingPublicationsOf, type RoutingPublication } from './routing-publication.mapper';
import { ensureRoutingStreams } from './routing-streams.provisioner';

/** The store checkpoint of the publication. A new name republishes everything (deduplicated within 2 min only). */
export const ROUTING_RELAY_CHECKPOINT = 'routing-publication-v1';

export type RoutingRelayStatus = {
  running: boolean;
  published: number;
  duplicates: number;
  failedBatches: number;
  lastPublishedPosition: string | null;
  lastError: string | null;
};

@Injectable()
export class RoutingEventRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RoutingEventRelay');
  private readonly js: JetStreamClient;
  private readonly publishedTotal: Counter<'kind' | 'outcome'>;
  private readonly delaySeconds: Gauge;
  private subscription: AllSubscription | null = null;
  private status: Omit<RoutingRelayStatus, 'running'> = { published: 0, duplicates: 0, failedBatches: 0, lastPublishedPosition: null, lastError: null };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    metrics: Metrics,
  ) {
    this.js = nc.jetstream();
    this.publishedTotal = metrics.counter('call_router_routing_messages_total', 'Routing messages put on JetStream, by kind (event, agentCopy) and outcome (stored, duplicate)', [
      'kind',
      'outcome',
    ]);
    this.delaySeconds = metrics.gauge('call_router_routing_relay_delay_seconds', 'Age of the last routing event when JetStream acknowledged it');
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureRoutingStreams(this.nc);
    this.subscription = await this.store.subscribeAll({
      checkpointName: ROUTING_RELAY_CHECKPOINT,
      startFrom: 'start',
      streamPrefixes: [CALL_STREAM_PREFIX],
      handler: (events) => this.publish(events),
      onError: (error, attempt) => {
        this.status = { ...this.status, failedBatches: this.status.failedBatches + 1, lastError: messageOf(error) };
        // The store retries the same batch after a back-off: nothing is skipped, so loud but not fatal.
        this.logger.error(`could not publish a batch of routing events (attempt ${attempt}); retrying: ${messageOf(error)}`);
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
  }

  /** Resolves once every routing event stored before this call is on JetStream. */
  async caughtUp(): Promise<void> {
    if (!this.subscription) throw new Error('the routing event relay is not running');
    await this.subscription.caughtUp();
  }

  relayStatus(): RoutingRelayStatus {
    return { running: this.subscription !== null, ...this.status };
  }

  private async publish(events: RecordedEvent[]): Promise<void> {
    const messages = events.flatMap((event) => routingPublicationsOf(event));
    if (messages.length > 0) {
      // One connection delivers in call order, so JetStream stores them in store order (see libs/messaging's
      // publisher for the rare retried-batch case; every message carries streamId + revision for that).
      const acks = await Promise.all(messages.map((message) => this.publishOne(message)));
      let duplicates = 0;
      messages.forEach((message, index) => {
        const duplicate = acks[index]!;
        if (duplicate) duplicates++;
        this.publishedTotal.inc({ kind: message.kind, outcome: duplicate ? 'duplicate' : 'stored' });
      });
      this.status = { ...this.status, published: this.status.published + messages.length - duplicates, duplicates: this.status.duplicates + duplicates };
    }
    const last = events[events.length - 1];
    if (last) {
      this.status = { ...this.status, lastPublishedPosition: last.position, lastError: null };
      this.delaySeconds.set(Math.max(0, Date.now() - Date.parse(last.occurredAt)) / 1000);
    }
  }

  /** Resolves true when JetStream already had it (a republish after a restart). */
  private async publishOne(message: RoutingPublication): Promise<boolean> {
    const h = natsHeaders();
    for (const [name, value] of Object.entries(message.headers)) h.set(name, value);
    const ack = await this.js.publish(message.subject, message.body, { msgID: message.msgId, headers: h, expect: { streamName: message.stream } });
    return ack.duplicate;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
