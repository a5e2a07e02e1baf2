// Serialises the cap check and the booking of one campaign in one occurrence across every instance
// (a PostgreSQL advisory lock), so two submits cannot both take the campaign's last place in it. Its
// own small pool: a submit waiting for a lock never holds a connection the booking itself needs.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { SERVICE_CONFIG, type BaseConfig } from '@cc/platform';

@Injectable()
export class CampaignCapLock implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly namespace: string;

  constructor(@Inject(SERVICE_CONFIG) config: BaseConfig) {
    // One connection per item a submit works on at once (and a few for a second submit).
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 12 });
    // Instances with different schemas (INSTANCE_PREFIX) in one database must not share locks.
    this.namespace = `${config.INSTANCE_PREFIX}campaign-cap`;
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const lockKey = `${this.namespace}:${key}`;
    try {
      await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
      try {
        return await work();
      } finally {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      }
    } finally {
      client.release();
    }
  }

  /** Like withLock, but gives up at once when another holder has the lock (then `work` does not run). */
  async tryWithLock<T>(key: string, work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const client = await this.pool.connect();
    const lockKey = `${this.namespace}:${key}`;
    try {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [lockKey]);
      if (!rows[0]?.locked) return { acquired: false };
      try {
        return { acquired: true, value: await work() };
      } finally {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      }
    } finally {
      client.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
