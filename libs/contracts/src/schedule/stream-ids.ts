// Stream ids of the schedule service: one stream per schedule, `schedule-{tenant}-{scheduleId}`.
import { TenantIdSchema } from '../tenant';
import { ScheduleIdSchema } from './schedule-definition';

export const SCHEDULE_STREAM_PREFIX = 'schedule';

/** `toScheduleStreamId('acme', 'main-line')` is `schedule-acme-main-line`. Throws on a malformed tenant or id. */
export const toScheduleStreamId = (tenantId: string, scheduleId: string): string =>
  `${SCHEDULE_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${ScheduleIdSchema.parse(scheduleId)}`;
