// Public API of @cc/event-store: the port, our errors, both adapters and the throughput probes used by the
// benchmark. The contract suite is imported by path from the adapters' specs, not from here.
export * from './event-store.port';
export * from './errors';
export type { EventStoreLogger } from './event-store-logger';
export type { Upcaster, Upcasters } from './upcasters';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
export {
  measureAppendThroughput,
  measureRawInsertThroughput,
  type AppendThroughput,
  type AppendThroughputOptions,
  type RawInsertThroughput,
  type RawInsertThroughputOptions,
} from './append-throughput';
