// Serialises changes to one tenant's diverts, across every instance of the service: a loop spans
// extensions (A -> B -> C -> A), and optimistic concurrency per extension cannot see two racing
// changes to different extensions close one. A PostgreSQL advisory lock per tenant, held in a
// transaction on a small pool of its own (so lock waiters never starve the read-model pool the
// projection needs), plus an in-process queue so local waiters do not each hold a connection.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DIVERT_ERRORS, DomainError } from '@cc/contracts';
import { readModelSchema, SERVICE_CONFIG, type BaseConfig } from '@cc/platform';

/** How long a change waits for the tenant's lock before giving up with DIVERT.EDIT_LOCK_TIMEOUT. */
export const EDIT_LOCK_TIMEOUT_MS = 30_000;
const LOCK_NOT_AVAILABLE = '55P03';

@Injectable()
export class TenantEditLock implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly namespace: string;
  private readonly tails = new Map<string, Promise<void>>();

  constructor(@Inject(SERVICE_CONFIG) config: BaseConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 4 });
    // Instances sharing a database but not a schema (INSTANCE_PREFIX) must not share locks.
    this.namespace = `${readModelSchema('divert', config)}.divert-edit`;
  }

  /** Runs `work` while holding the tenant's edit lock. */
  async run<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(tenantId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(tenantId, tail);
    try {
      await previous;
      return await this.withAdvisoryLock(tenantId, work);
    } finally {
      release();
      if (this.tails.get(tenantId) === tail) this.tails.delete(tenantId);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  private async withAdvisoryLock<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      await client.query(`set local lock_timeout = ${EDIT_LOCK_TIMEOUT_MS}`);
      try {
        await client.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.namespace, tenantId]);
      } catch (error) {
        if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
        const { code, kind } = DIVERT_ERRORS.EDIT_LOCK_TIMEOUT;
        throw new DomainError(code, kind, `another change to this tenant's diverts took longer than ${EDIT_LOCK_TIMEOUT_MS} ms; retry`);
      }
      const result = await work();
      // The transaction only holds the lock: if committing fails the connection is gone, and the lock with it.
      // The work itself is done, so the caller still gets its result.
      await client.query('commit').catch((commitError: unknown) => {
        broken = commitError instanceof Error ? commitError : new Error(String(commitError));
      });
      return result;
    } catch (error) {
      // Ending the transaction releases the lock; if even that fails, the connection is dropped (which does too).
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
