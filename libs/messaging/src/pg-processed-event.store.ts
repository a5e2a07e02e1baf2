// ProcessedEventStore in PostgreSQL, beside a service's read models: the durable memory of which event
// ids each consumer handled, surviving restarts (table `processed_events` in the service's schema).
import { Pool, type PoolConfig } from 'pg';
import type { ProcessedEventStore } from './processed-event.store';

/** Anything that can run a query: a Pool, or the PoolClient of an open transaction. */
export type Queryable = { query: (text: string, values?: unknown[]) => Promise<{ rowCount: number | null }> };

export type PgProcessedEventStoreOptions = {
  /** PostgreSQL schema holding the table (a service's `svc_<name>`, or a test's own). Created if missing. */
  schema: string;
} & ({ pool: Pool } | { connectionString: string; poolSize?: number });

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
// Concurrent `create ... if not exists` can still collide in the catalog (another process creating the
// same schema without our lock): duplicate key (23505), duplicate schema (42P06), duplicate table (42P07).
const CATALOG_RACE_CODES = new Set(['23505', '42P06', '42P07']);

export class PgProcessedEventStore implements ProcessedEventStore {
  private constructor(
    private readonly pool: Pool,
    private readonly ownsPool: boolean,
    private readonly table: string,
  ) {}

  /** Connects (or uses the given pool) and creates the schema and table idempotently. */
  static async create(options: PgProcessedEventStoreOptions): Promise<PgProcessedEventStore> {
    if (!IDENTIFIER.test(options.schema)) throw new Error(`not a safe PostgreSQL schema name: "${options.schema}"`);
    const ownsPool = !('pool' in options);
    const pool =
      'pool' in options
        ? options.pool
        : new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 } satisfies PoolConfig);
    const store = new PgProcessedEventStore(pool, ownsPool, `"${options.schema}".processed_events`);
    try {
      await store.migrate(options.schema);
    } catch (error) {
      if (ownsPool) await pool.end();
      throw error;
    }
    return store;
  }

  async seen(consumer: string, eventId: string): Promise<boolean> {
    const result = await this.pool.query(`select 1 from ${this.table} where consumer = $1 and event_id = $2`, [
      consumer,
      eventId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async mark(consumer: string, eventId: string): Promise<void> {
    await this.markWithin(this.pool, consumer, eventId);
  }

  /** Marks inside the caller's transaction, so the handler's writes and the mark commit together. */
  async markWithin(queryable: Queryable, consumer: string, eventId: string): Promise<void> {
    await queryable.query(
      `insert into ${this.table} (consumer, event_id) values ($1, $2) on conflict (consumer, event_id) do nothing`,
      [consumer, eventId],
    );
  }

  /**
   * Forgets ids processed before `before` (returns how many). Safe once older duplicates cannot arrive:
   * beyond JetStream's max age and any store replay you might run.
   */
  async prune(before: Date): Promise<number> {
    const result = await this.pool.query(`delete from ${this.table} where processed_at < $1`, [before]);
    return result.rowCount ?? 0;
  }

  /** Ends the pool if this store created it; a pool passed in stays the caller's to end. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  private async migrate(schema: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.migrateOnce(schema);
        return;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt < 3 && typeof code === 'string' && CATALOG_RACE_CODES.has(code)) continue;
        throw error;
      }
    }
  }

  private async migrateOnce(schema: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      // Serialise our own concurrent migrations (several consumers/processes starting at once).
      await client.query(`select pg_advisory_xact_lock(hashtext($1))`, [`cc.processed_events.${schema}`]);
      await client.query(`create schema if not exists "${schema}"`);
      await client.query(
        `create table if not exists ${this.table} (
           consumer text not null,
           event_id uuid not null,
           processed_at timestamptz not null default now(),
           primary key (consumer, event_id)
         )`,
      );
      await client.query(`create index if not exists processed_events_processed_at_idx on ${this.table} (processed_at)`);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
