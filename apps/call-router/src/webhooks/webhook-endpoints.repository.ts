// Reads and writes a tenant's webhook endpoints. Every query is scoped by tenant: an endpoint id of another
// tenant is "not found", never someone else's endpoint.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type WebhookEndpointRow = {
  id: string;
  tenantId: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  secret: string;
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
};

type Row = {
  id: string;
  tenant_id: string;
  url: string;
  description: string | null;
  event_types: string[] | null;
  secret: string;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = `id, tenant_id, url, description, event_types, secret, status, disabled_reason, disabled_at, consecutive_failures, created_at, updated_at`;

export type EndpointChanges = Partial<Pick<WebhookEndpointRow, 'url' | 'description' | 'eventTypes' | 'secret'>> & {
  /** `enabled`: clears the reason and the failure count; `disabled`: with this reason. */
  status?: { kind: 'enabled' } | { kind: 'disabled'; reason: string };
};

@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts unless the tenant already has `max` endpoints (checked under a per-tenant lock); false then. */
  async insertBelowLimit(endpoint: WebhookEndpointRow, max: number): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`select pg_advisory_xact_lock(hashtext($1))`, [`webhook-endpoints:${endpoint.tenantId}`]);
      const [{ count }] = await manager.query<{ count: string }[]>(`select count(*) from webhook_endpoints where tenant_id = $1`, [endpoint.tenantId]);
      if (Number(count) >= max) return false;
      await manager.query(
        `insert into webhook_endpoints (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          endpoint.id,
          endpoint.tenantId,
          endpoint.url,
          endpoint.description,
          endpoint.eventTypes,
          endpoint.secret,
          endpoint.status,
          endpoint.disabledReason,
          endpoint.disabledAt,
          endpoint.consecutiveFailures,
          endpoint.createdAt,
          endpoint.updatedAt,
        ],
      );
      return true;
    });
  }

  async list(tenantId: string): Promise<WebhookEndpointRow[]> {
    const rows = await this.dataSource.query<Row[]>(`select ${COLUMNS} from webhook_endpoints where tenant_id = $1 order by created_at, id`, [tenantId]);
    return rows.map(endpointOf);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointRow | null> {
    const rows = await this.dataSource.query<Row[]>(`select ${COLUMNS} from webhook_endpoints where tenant_id = $1 and id = $2`, [tenantId, id]);
    return rows[0] ? endpointOf(rows[0]) : null;
  }

  /** The endpoints that may receive events now (the enqueue filter does the rest). */
  async enabled(tenantId: string): Promise<WebhookEndpointRow[]> {
    const rows = await this.dataSource.query<Row[]>(`select ${COLUMNS} from webhook_endpoints where tenant_id = $1 and status = 'enabled'`, [tenantId]);
    return rows.map(endpointOf);
  }

  /** Applies the changes; disabling abandons the endpoint's pending deliveries in the same transaction. */
  async update(tenantId: string, id: string, changes: EndpointChanges, now: Date): Promise<WebhookEndpointRow | null> {
    return this.dataSource.transaction(async (manager) => {
      // TypeORM returns [rows, rowCount] for an UPDATE (RETURNING included).
      const [rows] = await manager.query<[Row[], number]>(
        `update webhook_endpoints set
           url = coalesce($3, url),
           description = case when $4::boolean then $5 else description end,
           event_types = case when $6::boolean then $7::text[] else event_types end,
           secret = coalesce($8, secret),
           status = coalesce($9, status),
           disabled_reason = case when $9 = 'enabled' then null when $9 = 'disabled' then $10 else disabled_reason end,
           disabled_at = case when $9 = 'enabled' then null when $9 = 'disabled' and status = 'enabled' then $11 else disabled_at end,
           consecutive_failures = case when $9 = 'enabled' then 0 else consecutive_failures end,
           updated_at = $11
         where tenant_id = $1 and id = $2
         returning ${COLUMNS}`,
        [
          tenantId,
          id,
          changes.url ?? null,
          changes.description !== undefined,
          changes.description ?? null,
          changes.eventTypes !== undefined,
          changes.eventTypes ?? null,
          changes.secret ?? null,
          changes.status?.kind ?? null,
          changes.status?.kind === 'disabled' ? changes.status.reason : null,
          now.toISOString(),
        ],
      );
      const row = rows[0];
      if (!row) return null;
      if (changes.status?.kind === 'disabled') await abandonPending(manager, id, now);
      return endpointOf(row);
    });
  }

  /** Deletes the endpoint and (cascade) its deliveries and their log. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown, number]>(`delete from webhook_endpoints where tenant_id = $1 and id = $2`, [tenantId, id]);
    return count > 0;
  }
}

/** Pending deliveries of a disabled endpoint will not be attempted: they are abandoned, not lost silently. */
export async function abandonPending(manager: EntityManager, endpointId: string, now: Date): Promise<void> {
  await manager.query(
    `update webhook_deliveries set status = 'abandoned', next_attempt_at = null, lease_until = null, finished_at = $2
      where endpoint_id = $1 and status = 'pending'`,
    [endpointId, now.toISOString()],
  );
}

function endpointOf(row: Row): WebhookEndpointRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    secret: row.secret,
    status: row.status,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    consecutiveFailures: row.consecutive_failures,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
