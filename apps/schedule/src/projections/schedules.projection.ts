// Projects the schedule event store into the `schedules` read model: every event carries the whole
// schedule, so the last event of each stream in a batch is the row (upsert, newest revision wins, so
// redelivered or replayed batches change nothing).
import type { EntityManager } from 'typeorm';
import { SCHEDULE_STREAM_PREFIX, parseScheduleEvent, type ScheduleEvent } from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';

export class SchedulesProjection implements Projection {
  readonly name = 'schedules-v1';
  readonly streamPrefixes = [`${SCHEDULE_STREAM_PREFIX}-`];

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    // Every instance of the service runs this projection into the same table: one batch at a time across
    // them (the duplicates are no-ops anyway; overlapping batches would otherwise deadlock on shared rows).
    await manager.query(`select pg_advisory_xact_lock(hashtext($1))`, [projectionLockKey(await currentSchema(manager))]);
    const latest = new Map<string, { recorded: RecordedEvent; event: ScheduleEvent }>();
    // Our own events: one that does not parse is a bug to fix, not something to skip (the batch is retried).
    for (const recorded of events) latest.set(recorded.streamId, { recorded, event: parseScheduleEvent(recorded) });
    for (const { recorded, event } of latest.values()) await this.upsert(manager, recorded, event);
  }

  private async upsert(manager: EntityManager, recorded: RecordedEvent, event: ScheduleEvent): Promise<void> {
    const { schedule } = event.data;
    await manager.query(
      `insert into schedules (tenant_id, schedule_id, name, mode, timezone, status, definition, revision, updated_at, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (tenant_id, schedule_id) do update set
         name = excluded.name, mode = excluded.mode, timezone = excluded.timezone, status = excluded.status,
         definition = excluded.definition, revision = excluded.revision, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by
       where schedules.revision < excluded.revision`,
      [
        recorded.tenantId,
        schedule.scheduleId,
        schedule.name,
        schedule.mode,
        schedule.timezone,
        event.type === 'ScheduleDeleted' ? 'deleted' : 'active',
        JSON.stringify(schedule),
        recorded.revision,
        recorded.occurredAt,
        recorded.actor,
      ],
    );
  }
}

/** The advisory lock that serialises this projection's batches (and anything else writing its table). */
export const projectionLockKey = (schema: string): string => `${schema}.schedules-projection`;

async function currentSchema(manager: EntityManager): Promise<string> {
  const [row] = await manager.query<{ schema: string }[]>('select current_schema() as schema');
  return row?.schema ?? 'public';
}
