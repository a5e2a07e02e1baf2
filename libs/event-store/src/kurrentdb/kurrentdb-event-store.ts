// The production option (DESIGN.md): the same EventStore port on KurrentDB/EventStoreDB through
// @kurrent/kurrentdb-client, translating its expected-state model and errors into ours.
import type { EventEnvelope } from '@cc/contracts';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  type AppendStreamState,
} from '@kurrent/kurrentdb-client';
import { satisfiesExpectedRevision, validateAppendRequest, validateNewStreams } from '../append-request.validator';
import { DuplicateEventId, ExpectedRevisionConflict, NewStreamsRejected } from '../errors';
import { consoleEventStoreLogger, type EventStoreLogger } from '../event-store-logger';
import type {
  AllSubscription,
  AppendResult,
  EventStore,
  ExpectedRevision,
  GlobalPosition,
  NewStream,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeAllOptions,
} from '../event-store.port';
import { compareGlobalPositions, START_POSITION } from '../global-position.codec';
import { upcast, type Upcasters } from '../upcasters';
import { KurrentDbAllSubscription } from './kurrentdb-all-subscription';
import { fromKurrentRecord, toEventData, toGlobalPosition, type KurrentRecord } from './kurrentdb-recorded-event';

export type KurrentDbEventStoreOptions = {
  /** e.g. `kurrentdb://localhost:2113?tls=false` (the older `esdb://` scheme works too, with a deprecation warning). */
  connectionString: string;
  /**
   * Subscription checkpoints live in the stream `${prefix}${checkpointName}` (default `$cc-checkpoint-`), one
   * event each, trimmed to the latest by `$maxCount: 1`. The "$" keeps them out of every subscription (system
   * streams are filtered), but writing "$" streams needs a user in `$admins` when ACLs are enforced: pass a
   * prefix without "$" for a non-admin user (subscriptions then see those events; filter them with streamPrefixes).
   */
  checkpointStreamPrefix?: string;
  upcasters?: Upcasters;
  logger?: EventStoreLogger;
};

export class KurrentDbEventStore implements EventStore {
  private readonly subscriptions = new Set<KurrentDbAllSubscription>();
  /** Checkpoint names with a subscription starting or running in this process. */
  private readonly runningNames = new Set<string>();
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly checkpointStreamPrefix: string,
    private readonly upcasters: Upcasters | undefined,
    private readonly logger: EventStoreLogger,
  ) {}

  /** Creates the client; the connection itself is made on first use (ping() to check it at start-up). */
  static async create(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(options.connectionString);
    return new KurrentDbEventStore(
      client,
      options.checkpointStreamPrefix ?? '$cc-checkpoint-',
      options.upcasters,
      options.logger ?? consoleEventStoreLogger,
    );
  }

  async append(streamId: string, events: EventEnvelope[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    validateAppendRequest(streamId, events, expectedRevision);
    if (events.length === 0) return this.emptyAppend(streamId, expectedRevision);
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        streamState: toStreamState(expectedRevision),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // An idempotent (deduplicated) write may come back without a position, or with -1: look it up then.
      const position =
        result.position && result.position.commit >= 0n && result.position.prepare >= 0n
          ? toGlobalPosition(result.position)
          : await this.positionOf(streamId, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      // The server dedupes a retry only while the stream is still where the first attempt left it; after
      // that, look for the events where the first attempt must have put them.
      const stored = await this.findStoredAppend(streamId, events, expectedRevision);
      if (stored) return stored;
      const actual = error.actualState;
      throw new ExpectedRevisionConflict(streamId, String(expectedRevision), typeof actual === 'bigint' && actual >= 0n ? Number(actual) : null);
    }
  }

  /** Stream by stream, concurrently (not one atomic write): a refused stream leaves the others stored. */
  async appendNewStreams(streams: readonly NewStream[]): Promise<AppendResult[]> {
    validateNewStreams(streams);
    const settled = await Promise.allSettled(streams.map((stream) => this.append(stream.streamId, stream.events, 'no_stream')));
    const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    const unexpected = failures.find((error) => !(error instanceof ExpectedRevisionConflict || error instanceof DuplicateEventId));
    if (unexpected !== undefined) throw unexpected;
    if (failures.length > 0) throw new NewStreamsRejected(streams.map((stream) => stream.streamId), 'a stream exists already');
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<AppendResult>).value);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0;
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new TypeError(`fromRevision must be an integer >= 0`);
    if (options.maxCount !== undefined && (!Number.isSafeInteger(options.maxCount) || options.maxCount < 0)) {
      throw new TypeError(`maxCount must be an integer >= 0`);
    }
    if (options.maxCount === 0) return [];
    const records = await this.readRecords(streamId, {
      fromRevision: fromRevision === 0 ? START : BigInt(fromRevision),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    return records.map((record) => {
      const event = fromKurrentRecord(record);
      if (event === null) {
        throw new Error(`event ${record.id} in ${streamId} was not written through the event store port (no envelope metadata)`);
      }
      return upcast(event, this.upcasters);
    });
  }

  async subscribeAll(options: SubscribeAllOptions): Promise<AllSubscription> {
    if (this.closed) throw new Error('event store is closed');
    if (this.runningNames.has(options.checkpointName)) {
      throw new Error(`subscription ${options.checkpointName} is already running in this process`);
    }
    this.runningNames.add(options.checkpointName);
    const subscription = await KurrentDbAllSubscription.start(
      {
        client: this.client,
        checkpointStreamPrefix: this.checkpointStreamPrefix,
        logger: this.logger,
        upcasters: this.upcasters,
        onStopped: (stopped) => {
          this.subscriptions.delete(stopped);
          this.runningNames.delete(stopped.checkpointName);
        },
      },
      options,
    ).catch((error: unknown) => {
      this.runningNames.delete(options.checkpointName);
      throw error;
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return compareGlobalPositions(a, b);
  }

  /** Reads one (normally missing) stream: proves the server answers reads. */
  async ping(): Promise<void> {
    await this.readRecords('cc-health-check', { maxCount: 1 });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private async readRecords(
    streamId: string,
    options: { fromRevision?: typeof START | typeof END | bigint; maxCount?: number; direction?: typeof BACKWARDS },
  ): Promise<KurrentRecord[]> {
    const records: KurrentRecord[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) records.push(resolved.event as KurrentRecord);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError || (error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND)) {
        return [];
      }
      throw error;
    }
    return records;
  }

  private async emptyAppend(streamId: string, expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readRecords(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    const current = last ? Number(last.revision) : -1;
    if (!satisfiesExpectedRevision(expectedRevision, current)) {
      throw new ExpectedRevisionConflict(streamId, String(expectedRevision), last ? current : null);
    }
    return { nextExpectedRevision: current, position: last?.position ? toGlobalPosition(last.position) : START_POSITION };
  }

  private async positionOf(streamId: string, revision: number): Promise<GlobalPosition> {
    const [record] = await this.readRecords(streamId, { fromRevision: BigInt(revision), maxCount: 1 });
    if (!record?.position) throw new Error(`KurrentDB did not report the position of ${streamId}@${revision} (server < 22.6?)`);
    return toGlobalPosition(record.position);
  }

  /** The original result when exactly these events already follow the expected revision; null otherwise. */
  private async findStoredAppend(
    streamId: string,
    events: EventEnvelope[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult | null> {
    const firstRevision =
      expectedRevision === 'no_stream' ? 0 : typeof expectedRevision === 'number' ? expectedRevision + 1 : null;
    if (firstRevision === null) return null;
    const stored = await this.readRecords(streamId, {
      fromRevision: firstRevision === 0 ? START : BigInt(firstRevision),
      maxCount: events.length,
    });
    const same =
      stored.length === events.length && stored.every((record, i) => record.id.toLowerCase() === events[i].id.toLowerCase());
    const last = stored[stored.length - 1];
    if (!same || !last?.position) return null;
    return { nextExpectedRevision: Number(last.revision), position: toGlobalPosition(last.position) };
  }
}

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (typeof expected === 'number') return expected === -1 ? NO_STREAM : BigInt(expected);
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default: {
      const _exhaustive: never = expected;
      return _exhaustive;
    }
  }
}

function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof WrongExpectedVersionError ||
    (error instanceof Error && isCommandError(error) && error.type === ErrorType.WRONG_EXPECTED_VERSION)
  );
}
