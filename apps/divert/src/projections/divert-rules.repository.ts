// Queries over the divert read models: the tenant's divert graph and rule sets (loop detection, effective
// divert), the paged list, who points at an extension, and pages of the audit trail.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DivertAuditEntry, DivertRules, DivertRulesListItem } from '@cc/contracts';
import { DivertAuditEntity } from './divert-audit.entity';
import { DivertRulesEntity } from './divert-rules.entity';

export type AuditCursor = { occurredAt: string; seq: string };

export type AuditPageQuery = {
  tenantId: string;
  extension?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  after?: AuditCursor | undefined;
};

@Injectable()
export class DivertRulesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rules of the tenant's extensions that forward to another extension: every edge of its divert graph. */
  async forwardingRules(tenantId: string): Promise<Map<string, DivertRules>> {
    const rows = await this.dataSource.query<{ extension: string; rules: DivertRules }[]>(
      `select extension, rules from divert_rules
        where tenant_id = $1 and status = 'configured' and cardinality(forward_targets) > 0`,
      [tenantId],
    );
    return new Map(rows.map((row) => [row.extension, row.rules]));
  }

  /** Configured rules of these extensions (the others are unconfigured or removed). */
  async rulesOf(tenantId: string, extensions: readonly string[]): Promise<Map<string, DivertRules>> {
    if (extensions.length === 0) return new Map();
    const rows = await this.dataSource.query<{ extension: string; rules: DivertRules }[]>(
      `select extension, rules from divert_rules where tenant_id = $1 and status = 'configured' and extension = any($2)`,
      [tenantId, [...extensions]],
    );
    return new Map(rows.map((row) => [row.extension, row.rules]));
  }

  /** Configured extensions with at least one rule targeting `extension` (validity windows ignored). */
  async pointingAt(tenantId: string, extension: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ extension: string }[]>(
      `select extension from divert_rules
        where tenant_id = $1 and status = 'configured' and cardinality(forward_targets) > 0 and $2 = any(forward_targets)
        order by extension`,
      [tenantId, extension],
    );
    return rows.map((row) => row.extension);
  }

  async list(
    tenantId: string,
    query: { page: number; pageSize: number; extension?: string | undefined },
  ): Promise<{ items: DivertRulesListItem[]; total: number }> {
    const builder = this.dataSource
      .getRepository(DivertRulesEntity)
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenantId', { tenantId })
      .andWhere(`r.status = 'configured'`);
    if (query.extension !== undefined) builder.andWhere('r.extension = :extension', { extension: query.extension });
    // Numeric order of digit strings: shorter first, then lexicographic (99 < 100 < 2001).
    builder
      .orderBy('length(r.extension)', 'ASC')
      .addOrderBy('r.extension', 'ASC')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize);
    const [rows, total] = await builder.getManyAndCount();
    return {
      total,
      items: rows.map((row) => ({
        extension: row.extension,
        status: 'configured',
        rules: row.rules as DivertRules,
        revision: row.revision,
        updatedAt: row.updatedAt.toISOString(),
        updatedBy: row.updatedBy,
      })),
    };
  }

  /** Newest first; `after` continues below the last entry of the previous page. */
  async auditPage(query: AuditPageQuery): Promise<{ entries: DivertAuditEntry[]; last: AuditCursor | null; more: boolean }> {
    const builder = this.dataSource
      .getRepository(DivertAuditEntity)
      .createQueryBuilder('a')
      .where('a.tenant_id = :tenantId', { tenantId: query.tenantId });
    if (query.extension !== undefined) builder.andWhere('a.extension = :extension', { extension: query.extension });
    if (query.from !== undefined) builder.andWhere('a.occurred_at >= :from', { from: query.from });
    if (query.to !== undefined) builder.andWhere('a.occurred_at < :to', { to: query.to });
    if (query.after) {
      builder.andWhere('(a.occurred_at, a.seq) < (cast(:afterAt as timestamptz), cast(:afterSeq as bigint))', { afterAt: query.after.occurredAt, afterSeq: query.after.seq });
    }
    builder.orderBy('a.occurred_at', 'DESC').addOrderBy('a.seq', 'DESC').limit(query.limit + 1);
    const rows = await builder.getMany();
    const page = rows.slice(0, query.limit);
    const lastRow = page[page.length - 1];
    return {
      more: rows.length > query.limit,
      last: lastRow ? { occurredAt: lastRow.occurredAt.toISOString(), seq: lastRow.seq } : null,
      entries: page.map((row) => ({
        eventId: row.eventId,
        type: row.type,
        occurredAt: row.occurredAt.toISOString(),
        actor: row.actor,
        correlationId: row.correlationId,
        extension: row.extension,
        conditions: row.conditions,
        reason: row.reason,
        rules: row.rules,
      })),
    };
  }
}
