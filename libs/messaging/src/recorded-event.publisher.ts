// Puts stored events on JetStream with the event id as Nats-Msg-Id, so publishing the same event again
// (a relay restarted before its checkpoint moved) is dropped by JetStream's duplicate window.
import type { ServiceName } from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { JetStreamClient, PubAck } from 'nats';
import type { JetStreamNames } from './jetstream-names.builder';
import type { PublishedEvent } from './published-event.schema';

const encoder = new TextEncoder();

/** Exactly the published fields, whatever else an adapter's RecordedEvent object carries. */
export const toPublishedEvent = (event: RecordedEvent): PublishedEvent => ({
  id: event.id,
  type: event.type,
  version: event.version,
  tenantId: event.tenantId,
  occurredAt: event.occurredAt,
  correlationId: event.correlationId,
  causationId: event.causationId,
  actor: event.actor,
  data: event.data,
  streamId: event.streamId,
  revision: event.revision,
  position: event.position,
});

export type PublishOutcome = {
  /** Newly stored in the stream. */
  stored: number;
  /** Dropped by JetStream as duplicates of an id published within the duplicate window. */
  duplicates: number;
  acks: PubAck[];
};

/**
 * Publishes a batch concurrently (one round trip for the batch, not one per event) and resolves when
 * JetStream acknowledged every event; rejects if any was not acknowledged.
 *
 * Order: one connection delivers the messages to the server in call order, so JetStream stores them in
 * store order. If some publishes of a batch fail and the batch is retried, the ones that did land are
 * deduplicated and the failed ones are stored after them: in that rare case the JetStream order of that
 * batch differs from the store order, which is why every message carries (streamId, revision).
 */
export async function publishRecordedEvents(
  js: JetStreamClient,
  args: { service: ServiceName; names: JetStreamNames; events: readonly RecordedEvent[]; timeoutMs?: number },
): Promise<PublishOutcome> {
  const stream = args.names.eventStream(args.service);
  const acks = await Promise.all(
    args.events.map((event) =>
      js.publish(
        args.names.eventSubject(args.service, event.tenantId, event.type),
        encoder.encode(JSON.stringify(toPublishedEvent(event))),
        {
          msgID: event.id,
          // Refuse to "succeed" into another stream that happens to capture the subject.
          expect: { streamName: stream },
          ...(args.timeoutMs === undefined ? {} : { timeout: args.timeoutMs }),
        },
      ),
    ),
  );
  const duplicates = acks.filter((ack) => ack.duplicate).length;
  return { stored: acks.length - duplicates, duplicates, acks };
}
