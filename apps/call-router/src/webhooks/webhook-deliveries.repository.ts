// The webhook outbox and delivery log in PostgreSQL: enqueue (idempotent per endpoint and event), claim
// due deliveries with a lease (SKIP LOCKED, so instances share the work and a crashed one's claims expire),
// record an attempt with the policy's verdict in one transaction, and read the log back.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { WebhookDeliveryStatus, WebhookDeliveryView } from '@cc/contracts';
import type { AttemptOutcome, AttemptResult } from './domain/webhook-delivery.policy';
import { abandonPending } from './webhook-endpoints.repository';

export type NewDelivery = { id: string; tenantId: string; endpointId: string; eventId: string; eventType: string; payload: string };

/** A claimed delivery with what sending it needs. */
export type ClaimedDelivery = {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: string;
  /** Attempts made before this one. */
  attempts: number;
  url: string;
  secret: string;
  endpointStatus: 'enabled' | 'disabled';
};

export type RecordedAttempt = { attempt: number; at: Date; result: AttemptResult; durationMs: number };

type DeliveryRow = {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: WebhookDeliveryView['eventType'];
  status: WebhookDeliveryStatus;
  next_attempt_at: Date | null;
  created_at: Date;
  finished_at: Date | null;
  attempts: { attempt: number; at: string; status_code: number | null; error: string | null; duration_ms: number }[];
};

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts the deliveries not already there (a redelivered routing message enqueues nothing twice). */
  async enqueue(deliveries: readonly NewDelivery[], now: Date): Promise<number> {
    if (deliveries.length === 0) return 0;
    const rows = await this.dataSource.query<{ id: string }[]>(
      `insert into webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
       select r.id, r.tenant_id, r.endpoint_id, r.event_id, r.event_type, r.payload, 'pending', 0, $2, $2
         from jsonb_to_recordset($1::jsonb) as r(id uuid, tenant_id text, endpoint_id uuid, event_id uuid, event_type text, payload text)
       on conflict (endpoint_id, event_id) do nothing
       returning id`,
      [
        JSON.stringify(
          deliveries.map((d) => ({ id: d.id, tenant_id: d.tenantId, endpoint_id: d.endpointId, event_id: d.eventId, event_type: d.eventType, payload: d.payload })),
        ),
        now.toISOString(),
      ],
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due deliveries until `leaseUntil`, oldest due first, at most one per endpoint and
   * none of an endpoint with an attempt in flight: a slow or hanging endpoint holds one slot, not all of them.
   */
  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const [rows] = await this.dataSource.query<[Array<Record<string, unknown>>, number]>(
      `update webhook_deliveries d set lease_until = $3
         from webhook_endpoints e
        where d.id in (select id from webhook_deliveries
                        where id in (select distinct on (c.endpoint_id) c.id
                                       from webhook_deliveries c
                                      where c.status = 'pending' and c.next_attempt_at <= $1 and (c.lease_until is null or c.lease_until < $1)
                                        and not exists (select 1 from webhook_deliveries busy
                                                         where busy.endpoint_id = c.endpoint_id and busy.status = 'pending' and busy.lease_until >= $1)
                                      order by c.endpoint_id, c.next_attempt_at, c.created_at)
                        order by next_attempt_at
                        limit $2
                        for update skip locked)
          and e.id = d.endpoint_id
        returning d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.payload, d.attempts, e.url, e.secret, e.status`,
      [now.toISOString(), limit, leaseUntil.toISOString()],
    );
    return rows.map((row) => ({
      id: row.id as string,
      tenantId: row.tenant_id as string,
      endpointId: row.endpoint_id as string,
      eventId: row.event_id as string,
      eventType: row.event_type as string,
      payload: row.payload as string,
      attempts: row.attempts as number,
      url: row.url as string,
      secret: row.secret as string,
      endpointStatus: row.status as 'enabled' | 'disabled',
    }));
  }

  /** When the next pending delivery is due (null: none), so an idle dispatcher sleeps just long enough. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ due: Date | null }[]>(`select min(next_attempt_at) as due from webhook_deliveries where status = 'pending'`);
    return row?.due ?? null;
  }

  /**
   * Records an attempt and applies the policy's verdict, under the endpoint's row lock so concurrent
   * attempts to one endpoint count its failures one by one. `decide` gets the endpoint's failure count
   * as it is now; returns null when the endpoint (and so the delivery) was deleted meanwhile.
   */
  async recordAttempt(
    delivery: ClaimedDelivery,
    attempt: RecordedAttempt,
    decide: (endpoint: { consecutiveFailures: number; status: 'enabled' | 'disabled' }) => AttemptOutcome,
  ): Promise<AttemptOutcome | null> {
    return this.dataSource.transaction(async (manager) => {
      const endpoints = await manager.query<{ consecutive_failures: number; status: 'enabled' | 'disabled' }[]>(
        `select consecutive_failures, status from webhook_endpoints where id = $1 for update`,
        [delivery.endpointId],
      );
      const endpoint = endpoints[0];
      if (!endpoint) return null;
      const outcome = decide({ consecutiveFailures: endpoint.consecutive_failures, status: endpoint.status });
      const at = attempt.at.toISOString();
      const failure = attempt.result.ok ? null : attempt.result;
      await manager.query(
        `insert into webhook_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms) values ($1, $2, $3, $4, $5, $6)
         on conflict (delivery_id, attempt) do nothing`,
        [delivery.id, attempt.attempt, at, attempt.result.statusCode, failure ? failure.error || null : null, attempt.durationMs],
      );
      // An endpoint disabled while this attempt was in flight: a failure is not retried.
      const status = outcome.delivery.status === 'pending' && endpoint.status === 'disabled' ? 'abandoned' : outcome.delivery.status;
      await manager.query(
        `update webhook_deliveries set status = $2, attempts = $3, next_attempt_at = $4, lease_until = null, finished_at = $5 where id = $1`,
        [delivery.id, status, attempt.attempt, status === 'pending' && outcome.delivery.status === 'pending' ? outcome.delivery.nextAttemptAt.toISOString() : null, status === 'pending' ? null : at],
      );
      if (endpoint.status === 'enabled') {
        await manager.query(
          `update webhook_endpoints set consecutive_failures = $2,
                  status = case when $3::text is null then status else 'disabled' end,
                  disabled_reason = coalesce($3, disabled_reason),
                  disabled_at = case when $3::text is null then disabled_at else $4 end,
                  updated_at = case when $3::text is null then updated_at else $4 end
            where id = $1`,
          [delivery.endpointId, outcome.endpoint.consecutiveFailures, outcome.endpoint.disabledReason, at],
        );
        if (outcome.endpoint.disabledReason !== null) await abandonPending(manager, delivery.endpointId, attempt.at);
      }
      return outcome;
    });
  }

  /** A claimed delivery that will not be attempted (its endpoint was disabled before the attempt). */
  async abandon(deliveryId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `update webhook_deliveries set status = 'abandoned', next_attempt_at = null, lease_until = null, finished_at = $2 where id = $1 and status = 'pending'`,
      [deliveryId, now.toISOString()],
    );
  }

  /** The endpoint's delivery log, newest first, with every attempt. */
  async page(
    tenantId: string,
    endpointId: string,
    query: { status?: WebhookDeliveryStatus | undefined; limit: number; after?: { createdAt: string; id: string } | undefined },
  ): Promise<WebhookDeliveryView[]> {
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `select d.id, d.endpoint_id, d.event_id, d.event_type, d.status, d.next_attempt_at, d.created_at, d.finished_at,
              coalesce((select json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'status_code', a.status_code, 'error', a.error,
                                                          'duration_ms', a.duration_ms) order by a.attempt)
                          from webhook_delivery_attempts a where a.delivery_id = d.id), '[]'::json) as attempts
         from webhook_deliveries d
        where d.tenant_id = $1 and d.endpoint_id = $2 and ($3::text is null or d.status = $3)
          and ($4::timestamptz is null or (d.created_at, d.id) < ($4::timestamptz, $5::uuid))
        order by d.created_at desc, d.id desc
        limit $6`,
      [tenantId, endpointId, query.status ?? null, query.after?.createdAt ?? null, query.after?.id ?? null, query.limit + 1],
    );
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
      eventType: row.event_type,
      status: row.status,
      nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
      createdAt: row.created_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
      attempts: row.attempts.map((a) => ({ attempt: a.attempt, at: new Date(a.at).toISOString(), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
    }));
  }

  /** Deletes finished deliveries (and their attempts) older than `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(`delete from webhook_deliveries where status <> 'pending' and finished_at < $1`, [before.toISOString()]);
    return count;
  }
}
