// Queries over the `schedules` read model: one schedule's stored snapshot, and list pages.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ListSchedulesRequest, ScheduleDefinitionData, ScheduleListItem } from '@cc/contracts';
import { ScheduleEntity } from './schedule.entity';

export type ScheduleSnapshot = { status: 'active' | 'deleted'; schedule: ScheduleDefinitionData; revision: number };

@Injectable()
export class SchedulesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The row as last projected (it may lag the stream: callers read newer events on top). */
  async snapshot(tenantId: string, scheduleId: string): Promise<ScheduleSnapshot | null> {
    const row = await this.dataSource.getRepository(ScheduleEntity).findOne({
      where: { tenantId, scheduleId },
      select: { status: true, definition: true, revision: true },
    });
    return row ? { status: row.status, schedule: row.definition, revision: row.revision } : null;
  }

  async list(tenantId: string, request: ListSchedulesRequest): Promise<{ items: ScheduleListItem[]; total: number }> {
    const builder = this.dataSource
      .getRepository(ScheduleEntity)
      .createQueryBuilder('s')
      .where('s.tenant_id = :tenantId', { tenantId })
      .andWhere('s.status = :status', { status: request.status });
    if (request.mode !== undefined) builder.andWhere('s.mode = :mode', { mode: request.mode });
    builder
      .orderBy('lower(s.name)', 'ASC')
      .addOrderBy('s.schedule_id', 'ASC')
      .offset((request.page - 1) * request.pageSize)
      .limit(request.pageSize);
    const [rows, total] = await builder.getManyAndCount();
    return { total, items: rows.map(listItemOf) };
  }
}

function listItemOf(row: ScheduleEntity): ScheduleListItem {
  const schedule = row.definition;
  return {
    scheduleId: row.scheduleId,
    name: schedule.name,
    timezone: schedule.timezone,
    mode: schedule.mode,
    status: row.status,
    templates: schedule.templates.map(({ templateId, name }) => ({ templateId, name })),
    rotation: schedule.rotation,
    exceptionCount: schedule.exceptions.length,
    emergency: schedule.emergency,
    revision: row.revision,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}
