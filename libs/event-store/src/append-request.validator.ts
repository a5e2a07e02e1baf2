// Both adapters reject the same malformed appends with the same error, before any I/O, so a caller bug
// never surfaces as a raw database or gRPC error (and never half-writes anything).
import type { EventEnvelope } from '@cc/contracts';
import { InvalidAppendRequest } from './errors';
import type { ExpectedRevision, NewStream } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws InvalidAppendRequest when the append cannot be stored as given. */
export function validateAppendRequest(
  streamId: string,
  events: readonly EventEnvelope[],
  expectedRevision: ExpectedRevision,
): void {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidAppendRequest(String(streamId), 'stream id must be a non-empty string');
  }
  if (streamId.startsWith('$')) {
    // KurrentDB reserves "$" streams for the system; keeping the rule in both adapters keeps them interchangeable.
    throw new InvalidAppendRequest(streamId, 'stream ids starting with "$" are reserved');
  }
  if (typeof expectedRevision === 'number') {
    if (!Number.isSafeInteger(expectedRevision) || expectedRevision < -1) {
      throw new InvalidAppendRequest(streamId, `expected revision ${expectedRevision} is not an integer >= -1`);
    }
  } else if (!['no_stream', 'stream_exists', 'any'].includes(expectedRevision)) {
    throw new InvalidAppendRequest(streamId, `unknown expected revision ${String(expectedRevision)}`);
  }
  const seen = new Set<string>();
  for (const [index, event] of events.entries()) {
    const at = `event ${index}`;
    if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new InvalidAppendRequest(streamId, `${at}: id must be a uuid`);
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new InvalidAppendRequest(streamId, `${at}: id ${event.id} appears twice in one append`);
    seen.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new InvalidAppendRequest(streamId, `${at}: type must be a non-empty string not starting with "$"`);
    }
    if (!Number.isSafeInteger(event.version) || event.version < 1) {
      throw new InvalidAppendRequest(streamId, `${at}: version must be a positive integer`);
    }
    if (typeof event.tenantId !== 'string' || event.tenantId.length === 0) {
      throw new InvalidAppendRequest(streamId, `${at}: tenantId must be a non-empty string`);
    }
    if (typeof event.occurredAt !== 'string' || Number.isNaN(Date.parse(event.occurredAt))) {
      throw new InvalidAppendRequest(streamId, `${at}: occurredAt must be an ISO-8601 date-time`);
    }
    if (typeof event.correlationId !== 'string' || event.correlationId.length === 0) {
      throw new InvalidAppendRequest(streamId, `${at}: correlationId must be a non-empty string`);
    }
    if (event.causationId !== null && typeof event.causationId !== 'string') {
      throw new InvalidAppendRequest(streamId, `${at}: causationId must be a string or null`);
    }
    if (event.actor !== null && typeof event.actor !== 'string') {
      throw new InvalidAppendRequest(streamId, `${at}: actor must be a string or null`);
    }
    if (event.data === undefined) throw new InvalidAppendRequest(streamId, `${at}: data is missing`);
  }
}

/** Whether a stream whose last revision is `actual` (-1: no stream) satisfies the expectation. */
export function satisfiesExpectedRevision(expected: ExpectedRevision, actual: number): boolean {
  if (typeof expected === 'number') return expected === actual;
  switch (expected) {
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    case 'any':
      return true;
    default: {
      const _exhaustive: never = expected;
      return _exhaustive;
    }
  }
}

/** An appendNewStreams request: at least one stream, none twice, each a valid non-empty 'no_stream' append. */
export function validateNewStreams(streams: readonly NewStream[]): void {
  if (streams.length === 0) throw new InvalidAppendRequest('(none)', 'appendNewStreams needs at least one stream');
  const seenStreams = new Set<string>();
  const seenIds = new Set<string>();
  for (const { streamId, events } of streams) {
    validateAppendRequest(streamId, events, 'no_stream');
    if (events.length === 0) throw new InvalidAppendRequest(streamId, 'a new stream needs at least one event');
    if (seenStreams.has(streamId)) throw new InvalidAppendRequest(streamId, 'the stream appears twice in one appendNewStreams');
    seenStreams.add(streamId);
    for (const event of events) {
      const id = event.id.toLowerCase();
      if (seenIds.has(id)) throw new InvalidAppendRequest(streamId, `event id ${event.id} appears twice in one appendNewStreams`);
      seenIds.add(id);
    }
  }
}
