// Every statement the PostgreSQL adapter runs, in one place, for one schema. Each is sent as a named
// (server-side prepared) statement, so the hot path is parsed and planned once per connection. Names need
// not carry the schema: every store has its own pool, so a connection only ever sees one schema.

/** A schema name we can splice into SQL: lower-case identifier, short enough for the NOTIFY channel name. */
const SCHEMA_NAME = /^[a-z0-9_]{1,48}$/;

export const REVISION_CONSTRAINT = 'events_stream_revision_key';
export const EVENT_ID_CONSTRAINT = 'events_event_id_key';

/** Columns of a read event, in the order every reading statement returns them. */
const EVENT_COLUMNS = `tx_id::text AS tx_id, position, stream_id, revision, event_id, type, version, tenant_id,
  occurred_at, correlation_id, causation_id, actor, data`;

export type EventRow = {
  tx_id: string;
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  version: number;
  tenant_id: string;
  occurred_at: Date;
  correlation_id: string;
  causation_id: string | null;
  actor: string | null;
  data: unknown;
};

export type AppendMode = 'exact' | 'no_stream' | 'any' | 'stream_exists';

export type PostgresEventStoreSql = ReturnType<typeof postgresEventStoreSql>;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new TypeError(`event store schema must match ${SCHEMA_NAME} (got ${JSON.stringify(schema)})`);
  }
}

export function postgresEventStoreSql(schema: string) {
  assertSchemaName(schema);
  const s = `"${schema}"`;
  const events = `${s}.events`;
  const checkpoints = `${s}.checkpoints`;

  // One statement per append, shaped by the expectation so each does the least work: the new revisions come
  // from the expected revision (or, for 'any' / 'stream_exists', from the stream's current one, read by a
  // backward probe on UNIQUE(stream_id, revision) inside the same statement). A stream that is further along
  // than expected collides on UNIQUE(stream_id, revision) (23505); an expected revision the stream has not
  // reached yet (a gap) makes the EXISTS false, so nothing is inserted. Both end in a conflict, decided after
  // looking for an idempotent retry. A single event (a booking) binds scalars: cheaper than unnest.
  const insertInto = `INSERT INTO ${events} (stream_id, revision, event_id, type, version, tenant_id, occurred_at, correlation_id, causation_id, actor, data)`;
  const returning = 'RETURNING revision, position, tx_id::text AS tx_id';
  const currentRevision = `(SELECT max(revision) FROM ${events} WHERE stream_id = $1)`;
  const append = (mode: AppendMode, shape: 'one' | 'many') => {
    const at = mode === 'exact' ? 3 : 2; // $1 is the stream id, $2 the expected revision in 'exact' mode
    const p = (i: number, type: string) => `$${at + i}::${type}`;
    const base =
      mode === 'exact' ? '$2::bigint' : mode === 'no_stream' ? '-1' : mode === 'any' ? `coalesce(${currentRevision}, -1)` : 'current.revision';
    const from = mode === 'stream_exists' ? `FROM (SELECT max(revision) AS revision FROM ${events} WHERE stream_id = $1) current` : '';
    const where =
      mode === 'exact'
        ? `WHERE EXISTS (SELECT 1 FROM ${events} WHERE stream_id = $1 AND revision = $2::bigint)`
        : mode === 'stream_exists'
          ? 'WHERE current.revision IS NOT NULL'
          : '';
    const text =
      shape === 'one'
        ? `${insertInto}
SELECT $1, ${base} + 1, ${p(0, 'uuid')}, ${p(1, 'text')}, ${p(2, 'int')}, ${p(3, 'text')}, ${p(4, 'timestamptz')},
       ${p(5, 'text')}, ${p(6, 'text')}, ${p(7, 'text')}, ${p(8, 'jsonb')}
${from} ${where}
${returning}`
        : `${insertInto}
SELECT $1, ${base} + e.ord, e.event_id, e.type, e.version, e.tenant_id, e.occurred_at, e.correlation_id, e.causation_id, e.actor, e.data
${from ? `${from} CROSS JOIN` : 'FROM'} unnest(${p(0, 'uuid[]')}, ${p(1, 'text[]')}, ${p(2, 'int[]')}, ${p(3, 'text[]')}, ${p(4, 'timestamptz[]')},
                  ${p(5, 'text[]')}, ${p(6, 'text[]')}, ${p(7, 'text[]')}, ${p(8, 'jsonb[]')})
     WITH ORDINALITY AS e(event_id, type, version, tenant_id, occurred_at, correlation_id, causation_id, actor, data, ord)
${where}
ORDER BY e.ord
${returning}`;
    return { name: `cc_es_append_${mode}_${shape}`, text };
  };
  const appendStatements = (shape: 'one' | 'many') => ({
    exact: append('exact', shape),
    no_stream: append('no_stream', shape),
    any: append('any', shape),
    stream_exists: append('stream_exists', shape),
  });

  return {
    schema,
    /** NOTIFY channel of this schema's appends (identifier: at most 63 bytes). */
    channel: `cc_es_${schema}`,

    migrationLockKey: `cc-event-store:${schema}`,

    // Idempotent, and run under a transaction-scoped advisory lock so processes starting together do not
    // race on the catalog. A later shape change adds numbered steps here, each idempotent.
    migration: `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${events} (
  position bigserial PRIMARY KEY,
  stream_id text NOT NULL,
  revision bigint NOT NULL CHECK (revision >= 0),
  event_id uuid NOT NULL,
  type text NOT NULL,
  version integer NOT NULL,
  tenant_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  correlation_id text NOT NULL,
  causation_id text,
  actor text,
  data jsonb NOT NULL,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  CONSTRAINT ${REVISION_CONSTRAINT} UNIQUE (stream_id, revision),
  CONSTRAINT ${EVENT_ID_CONSTRAINT} UNIQUE (event_id)
);
CREATE INDEX IF NOT EXISTS events_tx_position_idx ON ${events} (tx_id, position);
CREATE INDEX IF NOT EXISTS events_tenant_idx ON ${events} (tenant_id);
CREATE TABLE IF NOT EXISTS ${checkpoints} (
  name text PRIMARY KEY,
  position text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);`,

    dropSchema: `DROP SCHEMA IF EXISTS ${s} CASCADE`,

    /** Append statements by expectation, for one event (scalars) and for several (unnest). */
    appendOne: appendStatements('one'),
    appendMany: appendStatements('many'),

    /**
     * appendNewStreams: many new streams in one statement (revisions given, 0…n-1 per stream), all or none:
     * a stream that exists collides on UNIQUE(stream_id, revision), a stored id on UNIQUE(event_id).
     */
    appendNewStreams: {
      name: `cc_es_append_new_streams`,
      text: `${insertInto}
SELECT e.stream_id, e.revision, e.event_id, e.type, e.version, e.tenant_id, e.occurred_at, e.correlation_id, e.causation_id, e.actor, e.data
FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::jsonb[])
     WITH ORDINALITY AS e(stream_id, revision, event_id, type, version, tenant_id, occurred_at, correlation_id, causation_id, actor, data, ord)
ORDER BY e.ord
RETURNING stream_id, ${returning.slice('RETURNING '.length)}`,
    },

    /** Only after a rejected append: which of its event ids are stored already, and where the stream is. */
    rejectedAppend: {
      name: `cc_es_rejected_append`,
      text: `SELECT (SELECT max(revision) FROM ${events} WHERE stream_id = $1) AS current_revision,
  coalesce((SELECT json_agg(json_build_object('eventId', event_id, 'streamId', stream_id, 'revision', revision,
                                              'position', position::text, 'txId', tx_id::text))
            FROM ${events} WHERE event_id = ANY($2::uuid[])), '[]'::json) AS existing`,
    },

    streamHead: {
      name: `cc_es_stream_head`,
      text: `SELECT revision, position, tx_id::text AS tx_id FROM ${events} WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1`,
    },

    readStream: {
      name: `cc_es_read_stream`,
      text: `SELECT ${EVENT_COLUMNS} FROM ${events}
WHERE stream_id = $1 AND revision >= $2::bigint ORDER BY revision LIMIT $3::bigint`,
    },

    /** The newest committed event in (tx_id, position) order: what caughtUp() and startFrom 'end' aim at. */
    head: {
      name: `cc_es_head`,
      // Qualified: a bare `tx_id` in ORDER BY would name the text output column and sort "999" after "1000000000".
      text: `SELECT e.tx_id::text AS tx_id, e.position FROM ${events} e ORDER BY e.tx_id DESC, e.position DESC LIMIT 1`,
    },

    // The gap-free read (Emmett's and Marten's approach): only transactions older than the oldest one still
    // running (the snapshot's xmin) are read, so an event whose transaction commits late can never end up
    // behind a position the reader already passed. Rows come in (tx_id, position) order. The scan window
    // counts filtered-out events too, and a marker row (kind 1) tells how far the scan got, so the checkpoint
    // moves past events no subscriber wanted.
    fetch: {
      name: `cc_es_fetch`,
      text: `WITH scan AS MATERIALIZED (
  SELECT * FROM ${events}
  WHERE (tx_id, position) > ($1::xid8, $2::bigint)
    AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY tx_id, position
  LIMIT $3::int
), last_scanned AS (
  SELECT tx_id, position, (SELECT count(*) FROM scan) AS scanned FROM scan ORDER BY tx_id DESC, position DESC LIMIT 1
)
SELECT 0 AS kind, ${EVENT_COLUMNS}, NULL::bigint AS scanned, tx_id AS sort_tx FROM scan
WHERE $4::text[] IS NULL OR stream_id ^@ ANY($4::text[])
UNION ALL
SELECT 1, tx_id::text, position, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, scanned, tx_id FROM last_scanned
ORDER BY kind, sort_tx, position`,
    },

    loadCheckpoint: {
      name: `cc_es_load_checkpoint`,
      text: `SELECT position FROM ${checkpoints} WHERE name = $1`,
    },
    saveCheckpoint: {
      name: `cc_es_save_checkpoint`,
      text: `INSERT INTO ${checkpoints} (name, position, updated_at) VALUES ($1, $2, now())
ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    },

    notify: { name: `cc_es_notify`, text: 'SELECT pg_notify($1, $2)' },
    deleteTenant: { name: `cc_es_delete_tenant`, text: `DELETE FROM ${events} WHERE tenant_id = $1` },
  };
}
