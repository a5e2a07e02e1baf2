// Drops a tenant's call log and builds it again from the router's store (support, and the proof that the
// read model is a pure function of the events: the checksum before and after must match).
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { ProjectionRunner } from '@cc/platform';
import { CallLogProjection, callLogLockKey } from './call-log.projection';

const CALL_LOG_TABLES = ['call_log_calls', 'call_log_steps', 'call_log_agent_calls'] as const;

/**
 * Deletes the tenant's rows, then replays every call stream of the tenant from the start of the store
 * under a one-off checkpoint (`projection-call-log-rebuild-…`, returned so the caller may remove it).
 * Safe while the tenant takes calls: the live projection and the replay both fold whole streams.
 */
export async function rebuildTenantCallLog(store: EventStore, dataSource: DataSource, tenantId: string): Promise<{ checkpointName: string }> {
  await dataSource.transaction(async (manager) => {
    const [{ schema }] = await manager.query<{ schema: string }[]>('select current_schema() as schema');
    await manager.query(`select pg_advisory_xact_lock(hashtext($1))`, [callLogLockKey(schema)]);
    for (const table of CALL_LOG_TABLES) await manager.query(`delete from ${table} where tenant_id = $1`, [tenantId]);
  });
  const projection = new CallLogProjection(store, { name: `call-log-rebuild-${randomUUID()}`, tenantId });
  const runner = new ProjectionRunner(store, dataSource, projection);
  await runner.start();
  try {
    await runner.caughtUp();
  } finally {
    await runner.stop();
  }
  return { checkpointName: `projection-${projection.name}` };
}

/**
 * A checksum over the tenant's call-log rows (calls, steps, per-agent facts), each table in a fixed order:
 * equal checksums mean equal read models.
 */
export async function callLogChecksum(dataSource: DataSource, tenantId: string): Promise<string> {
  const [row] = await dataSource.query<{ checksum: string; rows: string }[]>(
    `select md5(concat_ws('#', calls.text, steps.text, facts.text)) as checksum, (calls.n + steps.n + facts.n)::text as rows
       from (select coalesce(string_agg(c::text, E'\\n' order by c.call_id), '') as text, count(*) as n
               from (select call_id, stream_id, number, cli, flow_version, status, outcome, not_routable, started_at, ended_at, duration_seconds,
                            talk_seconds, answered_by, agent_ids, step_count, revision, state
                       from call_log_calls where tenant_id = $1) c) calls,
            (select coalesce(string_agg(s::text, E'\\n' order by s.call_id, s.revision), '') as text, count(*) as n
               from (select event_id, call_id, revision, type, version, occurred_at, data from call_log_steps where tenant_id = $1) s) steps,
            (select coalesce(string_agg(f::text, E'\\n' order by f.call_id, f.agent_id), '') as text, count(*) as n
               from (select call_id, agent_id, started_at, offered, answered, missed, ring_seconds, talk_seconds
                       from call_log_agent_calls where tenant_id = $1) f) facts`,
    [tenantId],
  );
  return `${row!.checksum}:${row!.rows}`;
}
