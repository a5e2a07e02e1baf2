// The embedded default event store (DESIGN.md): one PostgreSQL schema per service holds its events, its
// subscription checkpoints and (beside them) its read models. Appends are one statement; subscriptions are
// gap-free because they never read past the oldest transaction still running.
import type { EventEnvelope } from '@cc/contracts';
import { DatabaseError, Pool, type QueryConfig } from 'pg';
import { validateAppendRequest, validateNewStreams, satisfiesExpectedRevision } from '../append-request.validator';
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
import { compareGlobalPositions, encodeGlobalPosition, START_POSITION } from '../global-position.codec';
import { upcast, type Upcasters } from '../upcasters';
import { PostgresAllSubscription } from './postgres-all-subscription';
import { PostgresChangeNotifier } from './postgres-change-notifier';
import {
  EVENT_ID_CONSTRAINT,
  postgresEventStoreSql,
  REVISION_CONSTRAINT,
  type AppendMode,
  type EventRow,
  type PostgresEventStoreSql,
} from './postgres-event-store.sql';
import { toRecordedEvent } from './postgres-recorded-event';

export type PostgresEventStoreOptions = {
  connectionString: string;
  /** The service's own schema, e.g. `svc_divert`: lower-case letters, digits and "_", at most 48 characters. */
  schema: string;
  /** Connections in the pool (default 10). Subscriptions borrow from it; LISTEN uses one more of its own. */
  poolSize?: number;
  /** Fallback poll of subscriptions when no wake-up arrives (default 100 ms). */
  pollIntervalMs?: number;
  /** Applied to every event read (readStream and subscriptions); see Upcasters. */
  upcasters?: Upcasters;
  logger?: EventStoreLogger;
};

/** Stored events of a rejected append, as the rejected-append statement returns them. */
type ExistingEvent = { eventId: string; streamId: string; revision: number; position: string; txId: string };

type InsertedRow = { revision: string; position: string; tx_id: string };

/** 'any' appends that lose a race for the next revision retry this many times before giving up. */
const MAX_ANY_ATTEMPTS = 100;

export class PostgresEventStore implements EventStore {
  private readonly subscriptions = new Set<PostgresAllSubscription>();
  /** Checkpoint names with a subscription starting or running in this process. */
  private readonly runningNames = new Set<string>();
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly sql: PostgresEventStoreSql,
    private readonly notifier: PostgresChangeNotifier,
    private readonly logger: EventStoreLogger,
    private readonly pollIntervalMs: number,
    private readonly upcasters: Upcasters | undefined,
  ) {}

  /** Connects and creates the schema and its tables if needed (safe when several processes start at once). */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const sql = postgresEventStoreSql(options.schema);
    const logger = options.logger ?? consoleEventStoreLogger;
    const pollIntervalMs = options.pollIntervalMs ?? 100;
    if (!(pollIntervalMs > 0)) throw new TypeError(`pollIntervalMs must be positive (got ${pollIntervalMs})`);
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: `cc-event-store:${options.schema}`,
    });
    // An idle pooled connection that dies (server restart) must not crash the process; the pool replaces it.
    pool.on('error', (error) => logger.warn('idle PostgreSQL connection failed', { schema: options.schema, error }));
    try {
      await migrate(pool, sql);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const notifier = new PostgresChangeNotifier(pool, options.connectionString, sql, logger);
    return new PostgresEventStore(pool, sql, notifier, logger, pollIntervalMs, options.upcasters);
  }

  get schema(): string {
    return this.sql.schema;
  }

  async append(streamId: string, events: EventEnvelope[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    validateAppendRequest(streamId, events, expectedRevision);
    if (events.length === 0) return this.emptyAppend(streamId, expectedRevision);

    const statement = this.appendStatement(streamId, events, expectedRevision);
    for (let attempt = 1; ; attempt++) {
      let inserted: InsertedRow[];
      try {
        inserted = (await this.pool.query<InsertedRow>(statement)).rows;
      } catch (error) {
        if (!(error instanceof DatabaseError) || error.code !== '23505') throw error;
        if (error.constraint !== REVISION_CONSTRAINT && error.constraint !== EVENT_ID_CONSTRAINT) throw error;
        // An 'any' append that lost the race for the next revision simply tries again.
        if (error.constraint === REVISION_CONSTRAINT && expectedRevision === 'any' && attempt < MAX_ANY_ATTEMPTS) continue;
        const resolved = await this.resolveRejectedAppend(streamId, events, expectedRevision);
        if (resolved !== 'retry') return resolved;
        if (attempt < MAX_ANY_ATTEMPTS) continue;
        throw new ExpectedRevisionConflict(streamId, String(expectedRevision), null);
      }
      if (inserted.length === 0) {
        // The expectation did not hold (nothing inserted), maybe because this very append is stored already.
        const resolved = await this.resolveRejectedAppend(streamId, events, expectedRevision);
        if (resolved === 'retry') throw new ExpectedRevisionConflict(streamId, String(expectedRevision), null);
        return resolved;
      }
      this.notifier.appended();
      const last = inserted.reduce((a, b) => (Number(b.revision) > Number(a.revision) ? b : a));
      return { nextExpectedRevision: Number(last.revision), position: encodeGlobalPosition(last.tx_id, last.position) };
    }
  }

  async appendNewStreams(streams: readonly NewStream[]): Promise<AppendResult[]> {
    validateNewStreams(streams);
    const events = streams.flatMap((stream) => stream.events);
    const streamIds = streams.flatMap((stream) => stream.events.map(() => stream.streamId));
    const revisions = streams.flatMap((stream) => stream.events.map((_, revision) => revision));
    const [ids, ...rest] = toColumns(events);
    let inserted: Array<InsertedRow & { stream_id: string }>;
    try {
      inserted = (await this.pool.query<InsertedRow & { stream_id: string }>({ ...this.sql.appendNewStreams, values: [streamIds, revisions, ids, ...rest] })).rows;
    } catch (error) {
      if (error instanceof DatabaseError && error.code === '23505' && (error.constraint === REVISION_CONSTRAINT || error.constraint === EVENT_ID_CONSTRAINT)) {
        throw new NewStreamsRejected(
          streams.map((stream) => stream.streamId),
          error.constraint === REVISION_CONSTRAINT ? 'a stream exists already' : 'an event id is stored already',
        );
      }
      throw error;
    }
    this.notifier.appended();
    // Each stream's last event (highest revision) is its result.
    const lastOf = new Map<string, InsertedRow>();
    for (const row of inserted) {
      const seen = lastOf.get(row.stream_id);
      if (!seen || Number(row.revision) > Number(seen.revision)) lastOf.set(row.stream_id, row);
    }
    return streams.map((stream) => {
      const last = lastOf.get(stream.streamId)!;
      return { nextExpectedRevision: Number(last.revision), position: encodeGlobalPosition(last.tx_id, last.position) };
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0;
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new TypeError(`fromRevision must be an integer >= 0`);
    if (options.maxCount !== undefined && (!Number.isSafeInteger(options.maxCount) || options.maxCount < 0)) {
      throw new TypeError(`maxCount must be an integer >= 0`);
    }
    const result = await this.pool.query<EventRow>({
      ...this.sql.readStream,
      values: [streamId, fromRevision, options.maxCount ?? null],
    });
    return result.rows.map((row) => upcast(toRecordedEvent(row), this.upcasters));
  }

  async subscribeAll(options: SubscribeAllOptions): Promise<AllSubscription> {
    if (this.closed) throw new Error('event store is closed');
    if (this.runningNames.has(options.checkpointName)) {
      throw new Error(`subscription ${options.checkpointName} is already running in this process`);
    }
    this.runningNames.add(options.checkpointName);
    const subscription = await PostgresAllSubscription.start(
      {
        pool: this.pool,
        sql: this.sql,
        notifier: this.notifier,
        logger: this.logger,
        upcasters: this.upcasters,
        pollIntervalMs: this.pollIntervalMs,
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

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Stops every subscription (each finishes its in-flight batch), then closes all connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopSubscriptions();
    await this.notifier.close();
    await this.pool.end();
  }

  /** Test cleanup: stops subscriptions and drops the schema with everything in it. */
  async dropSchema(): Promise<void> {
    await this.stopSubscriptions();
    await this.pool.query(this.sql.dropSchema);
  }

  /** Test cleanup by tenant: deletes that tenant's events and returns how many there were. */
  async deleteTenant(tenantId: string): Promise<number> {
    const result = await this.pool.query({ ...this.sql.deleteTenant, values: [tenantId] });
    return result.rowCount ?? 0;
  }

  private async stopSubscriptions(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  private appendStatement(streamId: string, events: EventEnvelope[], expected: ExpectedRevision): QueryConfig {
    const mode: AppendMode =
      expected === 'no_stream' || expected === -1 ? 'no_stream' : typeof expected === 'number' ? 'exact' : expected;
    const head = mode === 'exact' ? [streamId, expected] : [streamId];
    if (events.length === 1) {
      const [e] = events;
      return {
        ...this.sql.appendOne[mode],
        values: [...head, e.id, e.type, e.version, e.tenantId, e.occurredAt, e.correlationId, e.causationId, e.actor, JSON.stringify(e.data)],
      };
    }
    return { ...this.sql.appendMany[mode], values: [...head, ...toColumns(events)] };
  }

  private async emptyAppend(streamId: string, expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const result = await this.pool.query<{ revision: string; position: string; tx_id: string }>({
      ...this.sql.streamHead,
      values: [streamId],
    });
    const head = result.rows[0];
    const current = head ? Number(head.revision) : -1;
    if (!satisfiesExpectedRevision(expectedRevision, current)) {
      throw new ExpectedRevisionConflict(streamId, String(expectedRevision), head ? current : null);
    }
    return { nextExpectedRevision: current, position: head ? encodeGlobalPosition(head.tx_id, head.position) : START_POSITION };
  }

  /**
   * After a unique violation or a failed expectation: the same append retried (same ids, same stream, same
   * order, already stored) gets its original result; ids stored elsewhere are a DuplicateEventId; otherwise it
   * is a conflict ('retry' for 'any', whose only conflict is a lost race).
   */
  private async resolveRejectedAppend(
    streamId: string,
    events: EventEnvelope[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult | 'retry'> {
    const ids = events.map((event) => event.id.toLowerCase());
    const result = await this.pool.query<{ current_revision: string | null; existing: ExistingEvent[] }>({
      ...this.sql.rejectedAppend,
      values: [streamId, ids],
    });
    const { current_revision, existing } = result.rows[0];
    if (existing.length === 0) {
      if (expectedRevision === 'any') return 'retry';
      throw new ExpectedRevisionConflict(streamId, String(expectedRevision), current_revision === null ? null : Number(current_revision));
    }
    const byId = new Map(existing.map((event) => [event.eventId, event]));
    const stored = ids.map((id) => byId.get(id));
    const first = stored[0];
    const sameAppend =
      first !== undefined &&
      stored.every(
        (event, index) => event !== undefined && event.streamId === streamId && event.revision === first.revision + index,
      );
    if (!sameAppend) {
      const clash = existing.find((event) => event.streamId !== streamId) ?? existing[0];
      throw new DuplicateEventId(clash.eventId, streamId);
    }
    const last = stored[stored.length - 1] as ExistingEvent;
    return { nextExpectedRevision: last.revision, position: encodeGlobalPosition(last.txId, last.position) };
  }
}

async function migrate(pool: Pool, sql: PostgresEventStoreSql, attempt = 0): Promise<void> {
  try {
    await migrateOnce(pool, sql);
  } catch (error) {
    // The schema may be created at the same moment outside our lock (a read-model module of the same
    // service starting): the catalog reports a duplicate; the second attempt sees the schema.
    const code = (error as { code?: string }).code;
    if (attempt < 2 && (code === '23505' || code === '42P06' || code === '42P07')) return migrate(pool, sql, attempt + 1);
    throw error;
  }
}

async function migrateOnce(pool: Pool, sql: PostgresEventStoreSql): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [sql.migrationLockKey]);
    await client.query(sql.migration);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The append's events as nine parallel arrays, the shape `unnest` takes in one statement. */
function toColumns(events: EventEnvelope[]): unknown[][] {
  const ids: string[] = [];
  const types: string[] = [];
  const versions: number[] = [];
  const tenants: string[] = [];
  const occurred: string[] = [];
  const correlations: string[] = [];
  const causations: (string | null)[] = [];
  const actors: (string | null)[] = [];
  const data: string[] = [];
  for (const event of events) {
    ids.push(event.id);
    types.push(event.type);
    versions.push(event.version);
    tenants.push(event.tenantId);
    occurred.push(event.occurredAt);
    correlations.push(event.correlationId);
    causations.push(event.causationId);
    actors.push(event.actor);
    data.push(JSON.stringify(event.data));
  }
  return [ids, types, versions, tenants, occurred, correlations, causations, actors, data];
}
