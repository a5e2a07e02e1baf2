// The roster reconciler's durable to-do list: checks owed on extension claims and roster enrolments, due
// after the grace period of the flow that wrote them. Several instances sweep it at once: a check is
// leased (its due time moved past the lease) with SKIP LOCKED, so each due check is worked by one of them.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReconcilerCheckKind } from './reconciler-check.entity';

export type ReconcilerCheck = { kind: ReconcilerCheckKind; tenantId: string; subject: string; dueAt: Date };
export type LeasedCheck = ReconcilerCheck & { attempts: number; leasedUntil: Date };

@Injectable()
export class ReconcilerChecksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds checks; a check already owed keeps the earlier due time (the check itself re-reads the facts). */
  async schedule(owed: readonly ReconcilerCheck[]): Promise<void> {
    // One row per check, the earliest due time (an upsert may not touch a row twice in one statement).
    const earliest = new Map<string, ReconcilerCheck>();
    for (const check of owed) {
      const key = JSON.stringify([check.kind, check.tenantId, check.subject]);
      const known = earliest.get(key);
      if (!known || check.dueAt < known.dueAt) earliest.set(key, check);
    }
    const checks = [...earliest.values()];
    if (checks.length === 0) return;
    await this.dataSource.query(
      `insert into reconciler_checks (kind, tenant_id, subject, due_at)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       on conflict (kind, tenant_id, subject) do update set due_at = least(reconciler_checks.due_at, excluded.due_at)`,
      [checks.map((c) => c.kind), checks.map((c) => c.tenantId), checks.map((c) => c.subject), checks.map((c) => c.dueAt.toISOString())],
    );
  }

  /** Takes up to `limit` checks due at `now`, hiding them from other sweepers until `leasedUntil`. */
  async lease(now: Date, leasedUntil: Date, limit: number): Promise<LeasedCheck[]> {
    const rows = await this.dataSource.query<{ kind: ReconcilerCheckKind; tenant_id: string; subject: string; attempts: number }[]>(
      `update reconciler_checks c set due_at = $2, attempts = c.attempts + 1
         from (select kind, tenant_id, subject from reconciler_checks
                where due_at <= $1 order by due_at limit $3 for update skip locked) due
        where c.kind = due.kind and c.tenant_id = due.tenant_id and c.subject = due.subject
        returning c.kind, c.tenant_id, c.subject, c.attempts`,
      [now.toISOString(), leasedUntil.toISOString(), limit],
    );
    // `update ... returning` through TypeORM's postgres driver answers [rows, count].
    const leased = (Array.isArray(rows[0]) ? rows[0] : rows) as typeof rows;
    return leased.map((row) => ({
      kind: row.kind,
      tenantId: row.tenant_id,
      subject: row.subject,
      dueAt: now,
      attempts: row.attempts,
      leasedUntil,
    }));
  }

  /** Done: removed, unless it was scheduled again meanwhile (then it runs again). */
  async complete(check: LeasedCheck): Promise<void> {
    await this.dataSource.query(
      `delete from reconciler_checks where kind = $1 and tenant_id = $2 and subject = $3 and due_at = $4`,
      [check.kind, check.tenantId, check.subject, check.leasedUntil.toISOString()],
    );
  }

  /** Not yet (still within its grace period) or failed: due again at `dueAt`. */
  async reschedule(check: LeasedCheck, dueAt: Date, error: string | null): Promise<void> {
    await this.dataSource.query(
      `update reconciler_checks set due_at = $5, last_error = $6
        where kind = $1 and tenant_id = $2 and subject = $3 and due_at = $4`,
      [check.kind, check.tenantId, check.subject, check.leasedUntil.toISOString(), dueAt.toISOString(), error],
    );
  }

  /** Checks owed for a tenant (operations and tests). */
  async pending(tenantId: string): Promise<ReconcilerCheck[]> {
    const rows = await this.dataSource.query<{ kind: ReconcilerCheckKind; tenant_id: string; subject: string; due_at: Date }[]>(
      `select kind, tenant_id, subject, due_at from reconciler_checks where tenant_id = $1 order by due_at, kind, subject`,
      [tenantId],
    );
    return rows.map((row) => ({ kind: row.kind, tenantId: row.tenant_id, subject: row.subject, dueAt: new Date(row.due_at) }));
  }
}
