// The persisted replica snapshot in PostgreSQL: routing-relevant events compacted to the newest revision per
// (stream, key). Written by the snapshot writers (other services' events) and the call-flow projection (our
// own); read once at start, so a new instance does not depend on JetStream still holding old events.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ServiceName } from '@cc/contracts';

export type SnapshotRow = {
  source: ServiceName;
  streamId: string;
  compactionKey: string;
  tenantId: string;
  revision: number;
  type: string;
  version: number;
  data: unknown;
  occurredAt: string;
  expiresAt: Date | null;
};

type DbRow = {
  source: ServiceName;
  stream_id: string;
  compaction_key: string;
  tenant_id: string;
  revision: number;
  type: string;
  version: number;
  data: unknown;
  occurred_at: Date;
};

const UPSERT = `
  insert into replica_snapshot (source, stream_id, compaction_key, tenant_id, revision, type, version, data, occurred_at, expires_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  on conflict (source, stream_id, compaction_key) do update set
    tenant_id = excluded.tenant_id, revision = excluded.revision, type = excluded.type, version = excluded.version,
    data = excluded.data, occurred_at = excluded.occurred_at, expires_at = excluded.expires_at
  where replica_snapshot.revision < excluded.revision`;

const PAGE_SIZE = 5_000;

@Injectable()
export class ReplicaSnapshotRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Keeps the row unless the snapshot already holds this key at a later revision (redelivery is harmless). */
  async upsert(row: SnapshotRow, manager: Pick<EntityManager, 'query'> = this.dataSource): Promise<void> {
    await manager.query(UPSERT, [
      row.source,
      row.streamId,
      row.compactionKey,
      row.tenantId,
      row.revision,
      row.type,
      row.version,
      JSON.stringify(row.data),
      row.occurredAt,
      row.expiresAt,
    ]);
  }

  /**
   * Every row, in replay order (per stream by revision), a page at a time. Rows of the same stream always
   * come in ascending revision, which the replicas' revision checks rely on.
   */
  async *load(): AsyncGenerator<SnapshotRow[]> {
    let after: [string, string, number, string] | null = null;
    for (;;) {
      const rows: DbRow[] = await this.dataSource.query(
        `select source, stream_id, compaction_key, tenant_id, revision, type, version, data, occurred_at
           from replica_snapshot
          ${after ? 'where (source, stream_id, revision, compaction_key) > ($2, $3, $4, $5)' : ''}
          order by source, stream_id, revision, compaction_key
          limit $1`,
        after ? [PAGE_SIZE, ...after] : [PAGE_SIZE],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({
        source: r.source,
        streamId: r.stream_id,
        compactionKey: r.compaction_key,
        tenantId: r.tenant_id,
        revision: r.revision,
        type: r.type,
        version: r.version,
        data: r.data,
        occurredAt: r.occurred_at.toISOString(),
        expiresAt: null,
      }));
      const last = rows[rows.length - 1]!;
      after = [last.source, last.stream_id, last.revision, last.compaction_key];
      if (rows.length < PAGE_SIZE) return;
    }
  }

  /** Drops rows that no longer matter (passed occurrences); returns how many. */
  async pruneExpired(now: Date): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      'delete from replica_snapshot where expires_at is not null and expires_at < $1',
      [now],
    );
    return result[1];
  }

  /** Removes a tenant's rows (tests; a tenant leaving the platform). */
  async deleteTenant(tenantId: string): Promise<void> {
    await this.dataSource.query('delete from replica_snapshot where tenant_id = $1', [tenantId]);
    await this.dataSource.query('delete from sip_calls where tenant_id = $1', [tenantId]);
    await this.dataSource.query('delete from call_offers where tenant_id = $1', [tenantId]);
  }
}
