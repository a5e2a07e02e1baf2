// The HTTP shapes of the schedule API that differ from the NATS payloads: bodies without the path
// parameters (for OpenAPI) and query strings (strings coerced). Handlers merge path, query and body and
// validate the result with the request schema in messages.ts, so HTTP and NATS report the same field paths.
import { z } from 'zod';
import { ScheduleExceptionSchema } from './schedule-definition';
import {
  ActivateRotationRequestSchema,
  AddExceptionRequestSchema,
  AddTemplateRequestSchema,
  AddTimeSlotRequestSchema,
  ChangeScheduleTimezoneRequestSchema,
  ListSchedulesRequestSchema,
  MAX_ICS_BYTES,
  RenameScheduleRequestSchema,
  RenameTemplateRequestSchema,
  SCHEDULE_AUDIT_MAX_LIMIT,
  SCHEDULE_LIST_MAX_PAGE_SIZE,
  SetEmergencyOverrideRequestSchema,
  SetScheduleModeRequestSchema,
  SetTemplateRangesRequestSchema,
} from './messages';

const IsoInstantSchema = z.iso.datetime({ offset: true });
const scheduleInPath = { scheduleId: true } as const;
const templateInPath = { scheduleId: true, templateId: true } as const;

// ------------------------------------------------------------------------------------------- bodies

/** `PATCH /v1/schedules/{scheduleId}`. */
export const RenameScheduleBodySchema = RenameScheduleRequestSchema.omit(scheduleInPath);
/** `PUT /v1/schedules/{scheduleId}/timezone`. */
export const ChangeScheduleTimezoneBodySchema = ChangeScheduleTimezoneRequestSchema.omit(scheduleInPath);
/** `PUT /v1/schedules/{scheduleId}/mode`. */
export const SetScheduleModeBodySchema = SetScheduleModeRequestSchema.omit(scheduleInPath);
/** `POST /v1/schedules/{scheduleId}/templates`. */
export const AddTemplateBodySchema = AddTemplateRequestSchema.omit(scheduleInPath);
/** `PATCH /v1/schedules/{scheduleId}/templates/{templateId}`. */
export const RenameTemplateBodySchema = RenameTemplateRequestSchema.omit(templateInPath);
/** `PUT /v1/schedules/{scheduleId}/templates/{templateId}/ranges`. */
export const SetTemplateRangesBodySchema = SetTemplateRangesRequestSchema.omit(templateInPath);
/** `POST` and `DELETE /v1/schedules/{scheduleId}/templates/{templateId}/slots`: one slot, by value. */
export const TimeSlotBodySchema = AddTimeSlotRequestSchema.omit(templateInPath);
/** `PUT /v1/schedules/{scheduleId}/rotation`. */
export const ActivateRotationBodySchema = ActivateRotationRequestSchema.omit(scheduleInPath);
/** `POST /v1/schedules/{scheduleId}/exceptions`. */
export const AddExceptionBodySchema = AddExceptionRequestSchema.omit(scheduleInPath);
/** `PUT /v1/schedules/{scheduleId}/emergency`. */
export const SetEmergencyOverrideBodySchema = SetEmergencyOverrideRequestSchema.omit(scheduleInPath);

const ExpectedRevisionBodySchema = z.number().int().min(-1).optional();
/**
 * JSON body of `POST /v1/schedules/{scheduleId}/exceptions/import` (documentation: the handler validates
 * with ImportExceptionsRequestSchema). `format` may be left out: `{ ics }` is an iCalendar import. The
 * same endpoint takes the calendar itself as `text/calendar`, with `effect` and `source` in the query.
 */
export const ImportExceptionsBodySchema = z.union([
  z.strictObject({
    format: z.literal('ics').optional(),
    ics: z.string().min(1).max(MAX_ICS_BYTES),
    effect: z.enum(['closed', 'open']).default('closed'),
    source: z.string().max(200).optional(),
    expectedRevision: ExpectedRevisionBodySchema,
  }),
  z.strictObject({
    format: z.literal('exceptions'),
    exceptions: z.array(ScheduleExceptionSchema).min(1),
    source: z.string().max(200).optional(),
    expectedRevision: ExpectedRevisionBodySchema,
  }),
]);

// ------------------------------------------------------------------------------------------ queries

/** Query strings are strings: a revision given as `?expectedRevision=3` (If-Match works too). */
const RevisionQuerySchema = z.coerce.number().int().min(-1).optional();

/** `DELETE /v1/schedules/{scheduleId}`, `.../rotation`, `.../emergency`, `.../exceptions/{exceptionId}`. */
export const ExpectedRevisionQuerySchema = z.strictObject({ expectedRevision: RevisionQuerySchema });
/** `DELETE /v1/schedules/{scheduleId}/templates/{templateId}?force=true`. */
export const DeleteTemplateQuerySchema = z.strictObject({
  expectedRevision: RevisionQuerySchema,
  force: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
/** `GET /v1/schedules/{scheduleId}/open?at=`. */
export const IsOpenQuerySchema = z.strictObject({ at: IsoInstantSchema.optional() });
/** `GET /v1/schedules/{scheduleId}/preview?from=&to=`. */
export const PreviewScheduleQuerySchema = z.strictObject({ from: IsoInstantSchema, to: IsoInstantSchema });
/** `GET /v1/schedules?page=&pageSize=&status=&mode=`. */
export const ListSchedulesQuerySchema = ListSchedulesRequestSchema.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(SCHEDULE_LIST_MAX_PAGE_SIZE).default(50),
});
/** `GET /v1/schedules/{scheduleId}/audit?fromRevision=&limit=`. */
export const ScheduleAuditQuerySchema = z.strictObject({
  fromRevision: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(SCHEDULE_AUDIT_MAX_LIMIT).default(100),
});
/** Query of a `text/calendar` import (the body is the calendar). */
export const ImportCalendarQuerySchema = z.strictObject({
  effect: z.enum(['closed', 'open']).optional(),
  source: z.string().max(200).optional(),
  expectedRevision: RevisionQuerySchema,
});
