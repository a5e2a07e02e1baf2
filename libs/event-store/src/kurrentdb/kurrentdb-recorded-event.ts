// How our envelope is laid out in a KurrentDB event: id = event id (so the server's own idempotency applies),
// type = event type, data = JSON data, and the rest of the envelope in the metadata, with correlation and
// causation under KurrentDB's conventional `$correlationId` / `$causationId` keys so its projections see them.
import type { EventEnvelope } from '@cc/contracts';
import { jsonEvent, type EventData, type JSONType, type Position } from '@kurrent/kurrentdb-client';
import type { GlobalPosition, RecordedEvent } from '../event-store.port';
import { decodeGlobalPosition, encodeGlobalPosition } from '../global-position.codec';

/** The fields we read from a KurrentDB record (both stream reads and $all subscriptions yield this shape). */
export type KurrentRecord = {
  id: string;
  streamId: string;
  type: string;
  revision: bigint;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
};

/** Metadata values are all strings: newer KurrentDB versions only accept string-to-string metadata. */
type EnvelopeMetadata = {
  tenantId: string;
  occurredAt: string;
  version: string;
  $correlationId: string;
  $causationId?: string;
  actor?: string;
};

export function toEventData(event: EventEnvelope): EventData {
  const metadata: EnvelopeMetadata = {
    tenantId: event.tenantId,
    // Stored as the UTC instant, like the PostgreSQL adapter's timestamptz, so both read back the same string.
    occurredAt: new Date(event.occurredAt).toISOString(),
    version: String(event.version),
    $correlationId: event.correlationId,
    ...(event.causationId === null ? {} : { $causationId: event.causationId }),
    ...(event.actor === null ? {} : { actor: event.actor }),
  };
  // The client JSON.stringifies data; any JSON value (also null, numbers) is fine on the wire.
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata });
}

export function toGlobalPosition(position: Position): GlobalPosition {
  return encodeGlobalPosition(position.commit, position.prepare);
}

export function toKurrentPosition(position: GlobalPosition): Position {
  const { major, minor } = decodeGlobalPosition(position);
  return { commit: major, prepare: minor };
}

/** Whether a record is a system record ($-stream or $-type) that subscriptions never deliver. */
export function isSystemRecord(record: Pick<KurrentRecord, 'streamId' | 'type'>): boolean {
  return record.streamId.startsWith('$') || record.type.startsWith('$');
}

/** The envelope back, or null when the record was not written through this adapter (no envelope metadata). */
export function fromKurrentRecord(record: KurrentRecord): RecordedEvent | null {
  const metadata = record.metadata;
  if (!record.isJson || typeof metadata !== 'object' || metadata === null) return null;
  const m = metadata as Partial<Record<keyof EnvelopeMetadata, unknown>>;
  if (typeof m.tenantId !== 'string' || typeof m.occurredAt !== 'string' || typeof m.$correlationId !== 'string') return null;
  if (!record.position) {
    throw new Error(`KurrentDB returned event ${record.id} without its position: the server must be version 22.6 or later`);
  }
  return {
    id: record.id,
    type: record.type,
    version: Number(m.version ?? 1),
    tenantId: m.tenantId,
    occurredAt: m.occurredAt,
    correlationId: m.$correlationId,
    causationId: typeof m.$causationId === 'string' ? m.$causationId : null,
    actor: typeof m.actor === 'string' ? m.actor : null,
    data: record.data,
    streamId: record.streamId,
    revision: Number(record.revision),
    position: toGlobalPosition(record.position),
  };
}
