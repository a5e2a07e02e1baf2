// Maps a row of the events table back to the envelope it was appended as.
import type { GlobalPosition, RecordedEvent } from '../event-store.port';
import { encodeGlobalPosition } from '../global-position.codec';
import type { EventRow } from './postgres-event-store.sql';

/** occurredAt comes back as UTC ISO-8601 with millisecond precision (the instant is kept, not the offset). */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  const position: GlobalPosition = encodeGlobalPosition(row.tx_id, row.position);
  return {
    id: row.event_id,
    type: row.type,
    version: row.version,
    tenantId: row.tenant_id,
    occurredAt: row.occurred_at.toISOString(),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    actor: row.actor,
    data: row.data,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position,
  };
}
