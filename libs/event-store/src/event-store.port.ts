// The event store port (DESIGN.md): every service's write model and every projection talks to this,
// never to PostgreSQL or KurrentDB directly, so both adapters are interchangeable.
import type { EventEnvelope } from '@cc/contracts';

/**
 * The revision the caller expects the stream to be at (revisions start at 0 for the first event).
 * - a number: the stream's last event has exactly this revision (-1: the stream does not exist, like
 *   'no_stream', so the `nextExpectedRevision` of a stream that does not exist yet can be passed back as is);
 * - 'no_stream': the stream must not exist yet;
 * - 'stream_exists': the stream must exist (any revision);
 * - 'any': no check.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/**
 * A position in the global (all-streams) order. Opaque: each adapter encodes its own
 * (PostgreSQL: transaction id + sequence; KurrentDB: commit + prepare). Compare only with
 * `EventStore.comparePositions`. The order agrees with each stream's revision order; across streams it is
 * the order in which subscriptions deliver (PostgreSQL: by writing transaction, then sequence).
 */
export type GlobalPosition = string;

/**
 * An event as read back. `occurredAt` comes back as the same instant in UTC (`...Z`, millisecond precision)
 * and `id` in lower case, whatever offset or case it was written with.
 */
export type RecordedEvent<E extends EventEnvelope = EventEnvelope> = E & {
  streamId: string;
  revision: number;
  position: GlobalPosition;
};

export type AppendResult = {
  /** The revision of the last event now in the stream (-1: no stream): pass it as expectedRevision next time. */
  nextExpectedRevision: number;
  /** Position of the last event of the append (of the stream's last event for an empty append). */
  position: GlobalPosition;
};

export type ReadStreamOptions = { fromRevision?: number; maxCount?: number };

export type SubscribeAllOptions = {
  /** Durable checkpoint name: the subscription resumes after the last batch it acknowledged under this name. */
  checkpointName: string;
  /** Where to begin when no checkpoint exists yet (default 'start'). */
  startFrom?: 'start' | 'end';
  /**
   * Only events whose stream id starts with one of these prefixes, taken literally (default: all). The
   * checkpoint still moves past the events left out.
   */
  streamPrefixes?: string[];
  /** Most events per handler call (default 500). */
  batchSize?: number;
  /**
   * Called with events in global order; the checkpoint advances only after it resolves, so delivery is
   * at-least-once and handlers must be idempotent by event id (or by stream revision).
   */
  handler: (events: RecordedEvent[]) => Promise<void>;
  /** Called when the handler throws; the batch is retried after a back-off. */
  onError?: (error: unknown, attempt: number) => void;
};

export interface AllSubscription {
  readonly checkpointName: string;
  /**
   * Resolves once the subscription has delivered (and checkpointed) everything committed before this call;
   * rejects with SubscriptionStopped when the subscription stops first.
   */
  caughtUp(): Promise<void>;
  /** The last position whose batch was acknowledged, or null before the first one. */
  lastPosition(): GlobalPosition | null;
  /** Stops reading; waits for the batch in flight to be handled and checkpointed (a back-off wait is cut short). */
  stop(): Promise<void>;
}

/** One stream of an appendNewStreams call: its first events (revisions 0, 1, …). */
export type NewStream = { readonly streamId: string; readonly events: EventEnvelope[] };

export interface EventStore {
  /**
   * Appends events atomically with optimistic concurrency. Throws ExpectedRevisionConflict when the
   * stream is not at `expectedRevision`. Idempotent by event id: retrying an append whose events are
   * already stored (same ids, same stream, same order) returns the original result instead of duplicating.
   * An id stored elsewhere throws DuplicateEventId (PostgreSQL; KurrentDB only dedupes within a stream).
   * A malformed append (bad id, duplicate id within it, bad revision, "$" stream) throws InvalidAppendRequest.
   * Appending [] writes nothing and returns the stream's current state (the expectation is still checked).
   */
  append(streamId: string, events: EventEnvelope[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Creates several new streams in one write (high-volume callers: the router's call records), results in
   * the order given. PostgreSQL writes them in one statement, all or none; KurrentDB stream by stream. Throws
   * NewStreamsRejected when a stream exists already or an event id is stored already: the caller then
   * appends stream by stream with 'no_stream' (idempotent), which says which one and keeps the others.
   * Malformed input (an empty or repeated stream, a bad append) throws InvalidAppendRequest.
   */
  appendNewStreams(streams: readonly NewStream[]): Promise<AppendResult[]>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Starts a durable, gap-free, ordered subscription to all streams (system streams excluded). One
   * subscription per checkpoint name may run at a time; the store refuses a second one in the same process.
   */
  subscribeAll(options: SubscribeAllOptions): Promise<AllSubscription>;
  comparePositions(a: GlobalPosition, b: GlobalPosition): number;
  /** Liveness probe for /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
