// Consumer-side idempotency by event id: JetStream delivers at least once, and the relay may republish
// an event after the duplicate window, so a consumer remembers which event ids it already handled.
/**
 * Limitation: the consumer marks an id after the handler succeeded. A crash between the handler and the
 * mark re-delivers the message and runs the handler again, so handlers should also be idempotent by
 * (streamId, revision) (a replica ignores a revision it already applied). For exactly-once effects, a
 * handler writing to PostgreSQL can mark inside its own transaction (PgProcessedEventStore.markWithin);
 * the consumer's own mark afterwards is then a no-op.
 */
export interface ProcessedEventStore {
  /** True when `consumer` already processed event `eventId`. */
  seen(consumer: string, eventId: string): Promise<boolean>;
  /** Records that `consumer` processed `eventId` (idempotent). */
  mark(consumer: string, eventId: string): Promise<void>;
}
