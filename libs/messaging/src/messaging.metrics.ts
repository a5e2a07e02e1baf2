// Prometheus metrics of the relay and the consumers, registered once per registry (a service's own
// registry from libs/platform, or prom-client's global one), so several relays/consumers can share it.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type RelayMetrics = {
  published: Counter<'relay' | 'outcome'>;
  batchFailures: Counter<'relay'>;
  delaySeconds: Gauge<'relay'>;
  lastPublishTimestampSeconds: Gauge<'relay'>;
};

export type ConsumerMetrics = {
  messages: Counter<'consumer' | 'outcome'>;
  handleSeconds: Histogram<'consumer'>;
};

const relayCache = new WeakMap<Registry, RelayMetrics>();
const consumerCache = new WeakMap<Registry, ConsumerMetrics>();

/** Another module may already have registered a metric of that name in this registry: reuse it. */
function getOrCreate<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

export function relayMetrics(registry: Registry): RelayMetrics {
  let metrics = relayCache.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      published: getOrCreate(registry, 'cc_event_relay_published_total', () =>
        new Counter({
          name: 'cc_event_relay_published_total',
          help: 'Events the relay put on JetStream, by outcome (stored, or duplicate dropped by Nats-Msg-Id)',
          labelNames: ['relay', 'outcome'] as const,
          registers,
        }),
      ),
      batchFailures: getOrCreate(registry, 'cc_event_relay_batch_failures_total', () =>
        new Counter({
          name: 'cc_event_relay_batch_failures_total',
          help: 'Relay batches JetStream did not fully acknowledge (retried by the store subscription)',
          labelNames: ['relay'] as const,
          registers,
        }),
      ),
      delaySeconds: getOrCreate(registry, 'cc_event_relay_delay_seconds', () =>
        new Gauge({
          name: 'cc_event_relay_delay_seconds',
          help: 'Relay lag: age (now - occurredAt) of the last event of the last batch when JetStream acknowledged it',
          labelNames: ['relay'] as const,
          registers,
        }),
      ),
      lastPublishTimestampSeconds: getOrCreate(registry, 'cc_event_relay_last_publish_timestamp_seconds', () =>
        new Gauge({
          name: 'cc_event_relay_last_publish_timestamp_seconds',
          help: 'Unix time of the last batch JetStream acknowledged',
          labelNames: ['relay'] as const,
          registers,
        }),
      ),
    };
    relayCache.set(registry, metrics);
  }
  return metrics;
}

export function consumerMetrics(registry: Registry): ConsumerMetrics {
  let metrics = consumerCache.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      messages: getOrCreate(registry, 'cc_jetstream_consumer_messages_total', () =>
        new Counter({
          name: 'cc_jetstream_consumer_messages_total',
          help: 'JetStream messages by consumer and outcome (handled, duplicate, retried, dead_lettered, returned)',
          labelNames: ['consumer', 'outcome'] as const,
          registers,
        }),
      ),
      handleSeconds: getOrCreate(registry, 'cc_jetstream_consumer_handle_seconds', () =>
        new Histogram({
          name: 'cc_jetstream_consumer_handle_seconds',
          help: 'Time spent in the consumer handler per message',
          labelNames: ['consumer'] as const,
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
          registers,
        }),
      ),
    };
    consumerCache.set(registry, metrics);
  }
  return metrics;
}
