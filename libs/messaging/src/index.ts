// Public API of @cc/messaging: NATS/JetStream wiring, the store-to-JetStream relay, consumer helpers.
export { connectNats, type ConnectNatsOptions } from './nats-connection.factory';
export { jetStreamNames, DEAD_LETTER_SUBJECTS_LOCAL, type JetStreamNames } from './jetstream-names.builder';
export {
  ensureJetStreamStreams,
  jetStreamStreamConfigs,
  DUPLICATE_WINDOW_MS,
  type EnsureStreamsOptions,
} from './jetstream-streams.provisioner';
export { PublishedEventSchema, type PublishedEvent } from './published-event.schema';
export { publishRecordedEvents, toPublishedEvent, type PublishOutcome } from './recorded-event.publisher';
export { EventRelay, relayCheckpointName, type EventRelayOptions, type EventRelayStatus } from './event.relay';
export {
  startJetStreamConsumer,
  type ConsumerDeliverPolicy,
  type JetStreamConsumerHandle,
  type JetStreamConsumerInfo,
  type JetStreamConsumerOptions,
  type JetStreamConsumerStats,
  type JetStreamMessageMeta,
} from './jetstream.consumer';
export { DEAD_LETTER_HEADERS, publishDeadLetter, schemaFailureReason } from './dead-letter.publisher';
export type { ProcessedEventStore } from './processed-event.store';
export { InMemoryProcessedEventStore } from './in-memory-processed-event.store';
export { PgProcessedEventStore, type PgProcessedEventStoreOptions, type Queryable } from './pg-processed-event.store';
export { stderrMessagingLogger, type MessagingLogger } from './messaging.logger';
export { consumerMetrics, relayMetrics, type ConsumerMetrics, type RelayMetrics } from './messaging.metrics';
export { MessagingModule, type MessagingModuleOptions } from './nest/messaging.module';
export { MESSAGING_OPTIONS, NATS_CONNECTION } from './nest/messaging.tokens';
