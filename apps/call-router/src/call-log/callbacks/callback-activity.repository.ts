// Writes the callback-attempt replica. A start and a finish of the same attempt fill different columns, so
// they merge in any delivery order and a redelivery rewrites the same values.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallbackActivity } from './callback-activity.adapter';

@Injectable()
export class CallbackActivityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async apply(tenantId: string, activity: CallbackActivity): Promise<void> {
    switch (activity.kind) {
      case 'started':
        await this.dataSource.query(
          `insert into call_log_callback_attempts (tenant_id, booking_id, attempt, agent_ids, started_at) values ($1, $2, $3, $4, $5)
           on conflict (tenant_id, booking_id, attempt) do update set agent_ids = excluded.agent_ids, started_at = excluded.started_at`,
          [tenantId, activity.bookingId, activity.attempt, activity.agentIds, activity.startedAt],
        );
        return;
      case 'finished':
        await this.dataSource.query(
          `insert into call_log_callback_attempts (tenant_id, booking_id, attempt, outcome, finished_at) values ($1, $2, $3, $4, $5)
           on conflict (tenant_id, booking_id, attempt) do update set outcome = excluded.outcome, finished_at = excluded.finished_at`,
          [tenantId, activity.bookingId, activity.attempt, activity.outcome, activity.finishedAt],
        );
        return;
      default: {
        const _exhaustive: never = activity;
        throw new Error(`unhandled callback activity ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}
