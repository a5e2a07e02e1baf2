// SQL of the scheduled-callbacks read model (callback_schedule, callback_firing), shared by the
// scheduler projection (inside its transaction), the reconciler and the callback view.
import { DEFAULT_CALLBACK_FIRING, type CallbackFiring } from '@cc/contracts';
import type { CallbackState } from '../domain/callback.decider';
import { callbackStatusOf, desiredTimer, type ScheduledCallback } from '../domain/callback-timer';

/** A TypeORM EntityManager or DataSource: anything that runs SQL. */
export type Queryable = { query: (sql: string, parameters?: unknown[]) => Promise<unknown> };

export type ScheduleRow = ScheduledCallback & { endIso: string; campaignId: string | null; bookingRevision: number };

type DbRow = {
  tenant_id: string;
  booking_id: string;
  call_slot_id: string;
  start_iso: Date;
  end_iso: Date;
  due_at: Date;
  campaign_id: string | null;
  booking_status: 'booked' | 'cancelled';
  cancelled_at: Date | null;
  booking_revision: number;
  callback: CallbackState;
  callback_revision: number;
};

const toRow = (r: DbRow): ScheduleRow => ({
  tenantId: r.tenant_id,
  bookingId: r.booking_id,
  callSlotId: r.call_slot_id,
  startIso: r.start_iso.toISOString(),
  endIso: r.end_iso.toISOString(),
  dueAt: r.due_at.toISOString(),
  campaignId: r.campaign_id,
  bookingStatus: r.booking_status,
  cancelledAt: r.cancelled_at?.toISOString() ?? null,
  bookingRevision: r.booking_revision,
  callback: r.callback,
  callbackRevision: r.callback_revision,
});

const COLUMNS = `tenant_id, booking_id, call_slot_id, start_iso, end_iso, due_at, campaign_id, booking_status, cancelled_at, booking_revision, callback, callback_revision`;

export const rowKey = (tenantId: string, bookingId: string): string => `${tenantId}/${bookingId}`;

export async function loadScheduleRows(db: Queryable, keys: readonly { tenantId: string; bookingId: string }[]): Promise<Map<string, ScheduleRow>> {
  if (keys.length === 0) return new Map();
  const rows = (await db.query(
    `select ${COLUMNS} from callback_schedule s
      join unnest($1::text[], $2::uuid[]) as k(tenant_id, booking_id) using (tenant_id, booking_id)`,
    [keys.map((k) => k.tenantId), keys.map((k) => k.bookingId)],
  )) as DbRow[];
  return new Map(rows.map((r) => [rowKey(r.tenant_id, r.booking_id), toRow(r)]));
}

export async function loadScheduleRow(db: Queryable, tenantId: string, bookingId: string): Promise<ScheduleRow | null> {
  return (await loadScheduleRows(db, [{ tenantId, bookingId }])).get(rowKey(tenantId, bookingId)) ?? null;
}

/** Writes rows as the projection folded them (with the status and timer derived from them). */
export async function saveScheduleRows(db: Queryable, rows: readonly ScheduleRow[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((row) => {
    const timer = desiredTimer(row);
    return {
      tenant_id: row.tenantId,
      booking_id: row.bookingId,
      call_slot_id: row.callSlotId,
      start_iso: row.startIso,
      end_iso: row.endIso,
      due_at: row.dueAt,
      campaign_id: row.campaignId,
      booking_status: row.bookingStatus,
      cancelled_at: row.cancelledAt,
      booking_revision: row.bookingRevision,
      callback: row.callback,
      callback_status: callbackStatusOf(row),
      callback_revision: row.callbackRevision,
      timer_job_id: timer?.jobId ?? null,
      timer_kind: timer?.kind ?? null,
      timer_attempt: timer?.attempt ?? null,
      timer_at: timer?.at ?? null,
    };
  });
  await db.query(
    `insert into callback_schedule (${COLUMNS}, callback_status, timer_job_id, timer_kind, timer_attempt, timer_at, updated_at)
     select r.tenant_id, r.booking_id, r.call_slot_id, r.start_iso, r.end_iso, r.due_at, r.campaign_id, r.booking_status, r.cancelled_at,
            r.booking_revision, r.callback, r.callback_revision, r.callback_status, r.timer_job_id, r.timer_kind, r.timer_attempt, r.timer_at, now()
       from jsonb_to_recordset($1::jsonb) as r(
         tenant_id text, booking_id uuid, call_slot_id text, start_iso timestamptz, end_iso timestamptz, due_at timestamptz, campaign_id text,
         booking_status text, cancelled_at timestamptz, booking_revision integer, callback jsonb, callback_revision integer, callback_status text,
         timer_job_id text, timer_kind text, timer_attempt integer, timer_at timestamptz)
     on conflict (tenant_id, booking_id) do update set
       booking_status = excluded.booking_status, cancelled_at = excluded.cancelled_at, booking_revision = excluded.booking_revision,
       callback = excluded.callback, callback_status = excluded.callback_status, callback_revision = excluded.callback_revision,
       timer_job_id = excluded.timer_job_id, timer_kind = excluded.timer_kind, timer_attempt = excluded.timer_attempt,
       timer_at = excluded.timer_at, updated_at = now()`,
    [JSON.stringify(records)],
  );
}

/** Every row that needs a timer job, in pages ordered by booking (the reconciler's input). */
export async function* rowsNeedingTimers(db: Queryable, pageSize = 2_000): AsyncGenerator<ScheduleRow[]> {
  let after: { tenantId: string; bookingId: string } | null = null;
  for (;;) {
    const rows = (await db.query(
      `select ${COLUMNS} from callback_schedule
        where timer_job_id is not null and ($1::text is null or (tenant_id, booking_id) > ($1::text, $2::uuid))
        order by tenant_id, booking_id limit $3`,
      [after?.tenantId ?? null, after?.bookingId ?? null, pageSize],
    )) as DbRow[];
    if (rows.length === 0) return;
    yield rows.map(toRow);
    const last = rows[rows.length - 1]!;
    after = { tenantId: last.tenant_id, bookingId: last.booking_id };
    if (rows.length < pageSize) return;
  }
}

export async function loadFiring(db: Queryable, tenantId: string, callSlotId: string): Promise<CallbackFiring> {
  const rows = (await db.query(`select firing from callback_firing where tenant_id = $1 and call_slot_id = $2`, [tenantId, callSlotId])) as {
    firing: CallbackFiring;
  }[];
  return rows[0]?.firing ?? DEFAULT_CALLBACK_FIRING;
}

export async function saveFiring(db: Queryable, tenantId: string, callSlotId: string, firing: CallbackFiring, revision: number): Promise<void> {
  await db.query(
    `insert into callback_firing (tenant_id, call_slot_id, firing, revision) values ($1, $2, $3::jsonb, $4)
     on conflict (tenant_id, call_slot_id) do update set firing = excluded.firing, revision = excluded.revision
       where callback_firing.revision < excluded.revision`,
    [tenantId, callSlotId, JSON.stringify(firing), revision],
  );
}

/** Removes a tenant's rows (tests' clean-up; a tenant's deletion). */
export async function deleteTenantSchedule(db: Queryable, tenantId: string): Promise<void> {
  await db.query(`delete from callback_schedule where tenant_id = $1`, [tenantId]);
  await db.query(`delete from callback_firing where tenant_id = $1`, [tenantId]);
}
