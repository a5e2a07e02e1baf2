// Requests and replies of the schedule API. The same payload schemas validate HTTP bodies (path params
// merged in) and NATS request-reply messages (`schedule.{verb}`, wrapped with tenant and actor).
import { z } from 'zod';
import { rpcSubject } from '../subjects';
import { ScheduleEventTypeSchema } from './events';
import { TenantIdSchema } from '../tenant';
import {
  ExceptionIdSchema,
  ExceptionLabelSchema,
  ExceptionWhenSchema,
  DailyHoursSchema,
  ScheduleLocalDateSchema,
  ScheduleDefinitionSchema,
  ScheduleExceptionSchema,
  ScheduleIdSchema,
  ScheduleModeSchema,
  ScheduleNameSchema,
  ScheduleRotationSchema,
  EmergencyOverrideSchema,
  TemplateIdSchema,
  ScheduleTimezoneSchema,
  WeeklyRangeSchema,
  WeeklyRangesSchema,
  exampleScheduleDefinition,
} from './schedule-definition';

const IsoInstantSchema = z.iso.datetime({ offset: true });
/** Optimistic concurrency for editors: refused with 409 if the stream moved past the revision the client read. */
const ExpectedRevisionSchema = z.number().int().min(-1).optional();
const target = { scheduleId: ScheduleIdSchema, expectedRevision: ExpectedRevisionSchema };

// ------------------------------------------------------------------------------------------ commands

/** `POST /schedules`. `scheduleId` optional: the service generates one if absent. */
export const CreateScheduleRequestSchema = z.strictObject({
  scheduleId: ScheduleIdSchema.optional(),
  name: ScheduleNameSchema,
  timezone: ScheduleTimezoneSchema,
  mode: ScheduleModeSchema.default('custom'),
});
/** `PATCH /schedules/{scheduleId}` name. */
export const RenameScheduleRequestSchema = z.strictObject({ ...target, name: ScheduleNameSchema });
/** `PUT /schedules/{scheduleId}/timezone`. */
export const ChangeScheduleTimezoneRequestSchema = z.strictObject({ ...target, timezone: ScheduleTimezoneSchema });
/** `PUT /schedules/{scheduleId}/mode`: '24/7' overrides the templates without deleting them. */
export const SetScheduleModeRequestSchema = z.strictObject({ ...target, mode: ScheduleModeSchema });
/** `POST /schedules/{scheduleId}/templates`. */
export const AddTemplateRequestSchema = z.strictObject({
  ...target,
  templateId: TemplateIdSchema.optional(),
  name: ScheduleNameSchema,
  ranges: WeeklyRangesSchema.default([]),
});
export const RenameTemplateRequestSchema = z.strictObject({ ...target, templateId: TemplateIdSchema, name: ScheduleNameSchema });
/** `PUT /schedules/{scheduleId}/templates/{templateId}/ranges`: replace all time slots (edit rules). */
export const SetTemplateRangesRequestSchema = z.strictObject({ ...target, templateId: TemplateIdSchema, ranges: WeeklyRangesSchema });
/** `POST .../templates/{templateId}/slots`. */
export const AddTimeSlotRequestSchema = z.strictObject({ ...target, templateId: TemplateIdSchema, range: WeeklyRangeSchema });
/** `DELETE .../templates/{templateId}/slots` (the "X" next to a slot), identified by its value. */
export const RemoveTimeSlotRequestSchema = z.strictObject({ ...target, templateId: TemplateIdSchema, range: WeeklyRangeSchema });
/**
 * `DELETE .../templates/{templateId}`. The template in effect now (custom mode) is only deleted with
 * `force: true` (its successor in template order takes over at once); see ScheduleTemplateDeleted.
 */
export const DeleteTemplateRequestSchema = z.strictObject({ ...target, templateId: TemplateIdSchema, force: z.boolean().default(false) });
/** `PUT /schedules/{scheduleId}/rotation`: "choose which first". */
export const ActivateRotationRequestSchema = z.strictObject({ ...target, anchorDate: ScheduleLocalDateSchema, firstTemplateId: TemplateIdSchema });
export const DeactivateRotationRequestSchema = z.strictObject({ ...target });

/** An exception as a client submits it: the id is optional (generated), open hours optional. */
export const ScheduleExceptionInputSchema = z.discriminatedUnion('effect', [
  z.strictObject({ exceptionId: ExceptionIdSchema.optional(), label: ExceptionLabelSchema, when: ExceptionWhenSchema, effect: z.literal('closed') }),
  z.strictObject({
    exceptionId: ExceptionIdSchema.optional(),
    label: ExceptionLabelSchema,
    when: ExceptionWhenSchema,
    effect: z.literal('open'),
    hours: z.array(DailyHoursSchema).min(1).max(48).nullable().default(null),
  }),
]);
export type ScheduleExceptionInput = z.infer<typeof ScheduleExceptionInputSchema>;

/** `POST /schedules/{scheduleId}/exceptions`. */
export const AddExceptionRequestSchema = z.strictObject({ ...target, exception: ScheduleExceptionInputSchema });
export const RemoveExceptionRequestSchema = z.strictObject({ ...target, exceptionId: ExceptionIdSchema });
export const MAX_ICS_BYTES = 2_000_000;
/**
 * `POST /schedules/{scheduleId}/exceptions/import`: a list of exceptions, or iCalendar text the service
 * parses (VEVENTs, RRULE, EXDATE). Known ids are replaced, new ones added; nothing is removed.
 */
export const ImportExceptionsRequestSchema = z.discriminatedUnion('format', [
  z.strictObject({ ...target, format: z.literal('exceptions'), exceptions: z.array(ScheduleExceptionSchema).min(1), source: z.string().max(200).optional() }),
  z.strictObject({
    ...target,
    format: z.literal('ics'),
    ics: z.string().min(1).max(MAX_ICS_BYTES),
    effect: z.enum(['closed', 'open']).default('closed'),
    source: z.string().max(200).optional(),
  }),
]);
/** `PUT /schedules/{scheduleId}/emergency`: beats every rule until `expiresAt` (absent: until cleared). */
export const SetEmergencyOverrideRequestSchema = z.strictObject({
  ...target,
  state: z.enum(['closed', 'open']),
  reason: z.string().trim().min(1).max(500),
  expiresAt: IsoInstantSchema.optional(),
});
export const ClearEmergencyOverrideRequestSchema = z.strictObject({ ...target });
export const DeleteScheduleRequestSchema = z.strictObject({ ...target });

/** The answer to every command: `changed: false` when it changed nothing (no event written). */
export const ScheduleChangeResultSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  changed: z.boolean(),
  schedule: ScheduleDefinitionSchema,
  revision: z.number().int().min(-1),
});
export type ScheduleChangeResult = z.infer<typeof ScheduleChangeResultSchema>;

/** Import answer: which ids were added / replaced / already identical, and the iCalendar events skipped. */
export const ImportExceptionsResultSchema = ScheduleChangeResultSchema.extend({
  added: z.array(ExceptionIdSchema),
  replaced: z.array(ExceptionIdSchema),
  unchanged: z.array(ExceptionIdSchema),
  skipped: z.array(z.strictObject({ path: z.string(), message: z.string() })),
});
export type ImportExceptionsResult = z.infer<typeof ImportExceptionsResultSchema>;

/**
 * `DELETE .../templates/{templateId}` answer: the change plus what the deletion did to the rotation
 * (re-index info, the same facts as the ScheduleTemplateDeleted event).
 */
export const DeleteTemplateResultSchema = ScheduleChangeResultSchema.extend({
  templateId: TemplateIdSchema,
  rotationBefore: ScheduleRotationSchema.nullable(),
  rotation: ScheduleRotationSchema.nullable(),
  /** True if the rotation's anchor or first template changed. */
  reanchored: z.boolean(),
  /** The template in effect from now on (custom mode), null if none. */
  templateInEffect: TemplateIdSchema.nullable(),
  forced: z.boolean(),
});
export type DeleteTemplateResult = z.infer<typeof DeleteTemplateResultSchema>;

// ------------------------------------------------------------------------------------------- queries

/** `GET /schedules/{scheduleId}`. */
export const GetScheduleRequestSchema = z.strictObject({ scheduleId: ScheduleIdSchema });
export const ScheduleViewSchema = z.strictObject({
  status: z.enum(['active', 'deleted']),
  schedule: ScheduleDefinitionSchema,
  revision: z.number().int().min(0),
});
export type ScheduleView = z.infer<typeof ScheduleViewSchema>;

export const SCHEDULE_LIST_MAX_PAGE_SIZE = 200;
/** `GET /schedules?page=&pageSize=&status=&mode=`: the tenant's schedules by name, a page at a time. */
export const ListSchedulesRequestSchema = z.strictObject({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(SCHEDULE_LIST_MAX_PAGE_SIZE).default(50),
  status: z.enum(['active', 'deleted']).default('active'),
  mode: ScheduleModeSchema.optional(),
});
export type ListSchedulesRequest = z.infer<typeof ListSchedulesRequestSchema>;
/** One schedule in a list: what a list view shows (the whole definition is one `GET` away). */
export const ScheduleListItemSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  name: ScheduleNameSchema,
  timezone: ScheduleTimezoneSchema,
  mode: ScheduleModeSchema,
  status: z.enum(['active', 'deleted']),
  templates: z.array(z.strictObject({ templateId: TemplateIdSchema, name: ScheduleNameSchema })),
  rotation: ScheduleRotationSchema.nullable(),
  exceptionCount: z.number().int().min(0),
  emergency: EmergencyOverrideSchema.nullable(),
  revision: z.number().int().min(0),
  updatedAt: IsoInstantSchema,
  updatedBy: z.string().nullable(),
});
export type ScheduleListItem = z.infer<typeof ScheduleListItemSchema>;
export const ListSchedulesResponseSchema = z.strictObject({
  items: z.array(ScheduleListItemSchema),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  /** Schedules matching the filter, over all pages. */
  total: z.number().int().min(0),
});
export type ListSchedulesResponse = z.infer<typeof ListSchedulesResponseSchema>;

/** `GET /schedules/{scheduleId}/exceptions`: every exception, in precedence order as stored. */
export const ListExceptionsRequestSchema = z.strictObject({ scheduleId: ScheduleIdSchema });
export const ListExceptionsResponseSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  timezone: ScheduleTimezoneSchema,
  exceptions: z.array(ScheduleExceptionSchema),
  revision: z.number().int().min(0),
});
export type ListExceptionsResponse = z.infer<typeof ListExceptionsResponseSchema>;

export const SCHEDULE_AUDIT_MAX_LIMIT = 500;
/** `GET /schedules/{scheduleId}/audit?fromRevision=&limit=`: the schedule's events, oldest first (who, when, what, why). */
export const ScheduleAuditRequestSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  fromRevision: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(SCHEDULE_AUDIT_MAX_LIMIT).default(100),
});
export type ScheduleAuditRequest = z.infer<typeof ScheduleAuditRequestSchema>;
export const ScheduleAuditEntrySchema = z.strictObject({
  revision: z.number().int().min(0),
  eventId: z.string(),
  type: ScheduleEventTypeSchema,
  version: z.number().int().min(1),
  occurredAt: IsoInstantSchema,
  /** Who made the change (the token's subject or the NATS request's actor). */
  actor: z.string().nullable(),
  correlationId: z.string(),
  /** The event's data without the resulting `schedule` (what changed, e.g. the emergency override with its reason). */
  change: z.record(z.string(), z.unknown()),
});
export type ScheduleAuditEntry = z.infer<typeof ScheduleAuditEntrySchema>;
export const ScheduleAuditResponseSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  entries: z.array(ScheduleAuditEntrySchema),
  /** Pass as `fromRevision` for the next page; null when this page reached the end. */
  nextFromRevision: z.number().int().min(0).nullable(),
});
export type ScheduleAuditResponse = z.infer<typeof ScheduleAuditResponseSchema>;

/** What decided an isOpen answer (mirrors @cc/scheduling's DecidedBy). */
export const DecidedBySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('emergency'), state: z.enum(['open', 'closed']), label: z.string(), expiresAt: IsoInstantSchema.nullable() }),
  z.strictObject({ kind: z.literal('exception'), exceptionId: ExceptionIdSchema, label: z.string(), effect: z.enum(['open', 'closed']) }),
  z.strictObject({ kind: z.literal('24/7') }),
  z.strictObject({ kind: z.literal('rule'), templateId: TemplateIdSchema, templateName: z.string(), range: WeeklyRangeSchema }),
  z.strictObject({ kind: z.literal('no-rule'), templateId: TemplateIdSchema.nullable(), templateName: z.string().nullable() }),
]);
export type DecidedByData = z.infer<typeof DecidedBySchema>;

/** `GET /schedules/{scheduleId}/open?at=` (default: now). */
export const IsOpenRequestSchema = z.strictObject({ scheduleId: ScheduleIdSchema, at: IsoInstantSchema.optional() });
export type IsOpenRequest = z.infer<typeof IsOpenRequestSchema>;
export const IsOpenResponseSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  at: IsoInstantSchema,
  open: z.boolean(),
  decidedBy: DecidedBySchema,
  /** The next instant the answer flips (up to ~400 days ahead); null if never. */
  nextTransition: IsoInstantSchema.nullable(),
  /** The rotation week of `at` (custom mode, rotation active). */
  week: z.strictObject({ index: z.number().int(), templateId: TemplateIdSchema }).optional(),
});
export type IsOpenResponse = z.infer<typeof IsOpenResponseSchema>;

export const MAX_PREVIEW_WINDOW_DAYS = 62;
/** `GET /schedules/{scheduleId}/preview?from=&to=`: open intervals for a calendar view (at most 62 days). */
export const PreviewScheduleRequestSchema = z
  .strictObject({ scheduleId: ScheduleIdSchema, from: IsoInstantSchema, to: IsoInstantSchema })
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), { path: ['to'], message: 'must be after from' })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= MAX_PREVIEW_WINDOW_DAYS * 86_400_000, {
    path: ['to'],
    message: `window must be at most ${MAX_PREVIEW_WINDOW_DAYS} days`,
  });
export type PreviewScheduleRequest = z.infer<typeof PreviewScheduleRequestSchema>;
export const PreviewScheduleResponseSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  from: IsoInstantSchema,
  to: IsoInstantSchema,
  timezone: ScheduleTimezoneSchema,
  intervals: z.array(z.strictObject({ start: IsoInstantSchema, end: IsoInstantSchema, decidedBy: DecidedBySchema })),
});
export type PreviewScheduleResponse = z.infer<typeof PreviewScheduleResponseSchema>;

// ------------------------------------------------------------------------------------------------ rpc

/** A NATS request: the payload plus who asks for which tenant (HTTP takes both from the JWT). */
export const scheduleRpcRequestOf = <T extends z.ZodType>(payload: T) =>
  z.strictObject({ tenantId: TenantIdSchema, actor: z.string().min(1), payload });

type ScheduleRpcDefinition<Req extends z.ZodType, Res extends z.ZodType> = {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
  readonly description: string;
  readonly example: { request: z.input<Req>; response: z.input<Res> };
};

function scheduleRpc<Req extends z.ZodType, Res extends z.ZodType>(
  verb: string,
  def: Omit<ScheduleRpcDefinition<Req, Res>, 'subject'>,
): ScheduleRpcDefinition<Req, Res> {
  for (const [part, schema] of [
    ['request', def.request],
    ['response', def.response],
  ] as const) {
    const parsed = schema.safeParse(def.example[part]);
    if (!parsed.success) throw new Error(`example ${part} of schedule.${verb} does not match its schema: ${parsed.error.message}`);
  }
  return { ...def, subject: rpcSubject('schedule', verb) };
}

const who = { tenantId: 'acme', actor: 'user:admin@acme.test' } as const;
const changed = { scheduleId: 'main-line', changed: true, schedule: exampleScheduleDefinition, revision: 4 } as const;
function command<Req extends z.ZodType>(verb: string, description: string, payload: Req, examplePayload: z.input<Req>) {
  const request = scheduleRpcRequestOf(payload);
  // The example is checked against the schemas at import time by scheduleRpc.
  const example = { request: { ...who, payload: examplePayload }, response: changed } as {
    request: z.input<typeof request>;
    response: z.input<typeof ScheduleChangeResultSchema>;
  };
  return scheduleRpc(verb, { description, request, response: ScheduleChangeResultSchema, example });
}

/** Request-reply endpoints of the schedule service on NATS: subject, request and reply schema, example. */
export const ScheduleRpc = {
  isOpen: scheduleRpc('is-open', {
    description: 'Is the schedule open at `at` (default now), what decided it, and when does that change.',
    request: scheduleRpcRequestOf(IsOpenRequestSchema),
    response: IsOpenResponseSchema,
    example: {
      request: { ...who, payload: { scheduleId: 'main-line', at: '2026-01-05T10:00:00Z' } },
      response: {
        scheduleId: 'main-line',
        at: '2026-01-05T10:00:00.000Z',
        open: true,
        decidedBy: { kind: 'rule', templateId: 'week-a', templateName: 'Schedule 1', range: { day: 'mon', start: '09:00', end: '17:00' } },
        nextTransition: '2026-01-05T17:00:00.000Z',
        week: { index: 0, templateId: 'week-a' },
      },
    },
  }),
  preview: scheduleRpc('preview', {
    description: 'Open intervals in a window (at most 62 days) for a calendar view.',
    request: scheduleRpcRequestOf(PreviewScheduleRequestSchema),
    response: PreviewScheduleResponseSchema,
    example: {
      request: { ...who, payload: { scheduleId: 'main-line', from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z' } },
      response: {
        scheduleId: 'main-line',
        from: '2026-01-05T00:00:00.000Z',
        to: '2026-01-06T00:00:00.000Z',
        timezone: 'Europe/London',
        intervals: [
          {
            start: '2026-01-05T09:00:00.000Z',
            end: '2026-01-05T17:00:00.000Z',
            decidedBy: { kind: 'rule', templateId: 'week-a', templateName: 'Schedule 1', range: { day: 'mon', start: '09:00', end: '17:00' } },
          },
        ],
      },
    },
  }),
  list: scheduleRpc('list', {
    description: "The tenant's schedules by name, a page at a time.",
    request: scheduleRpcRequestOf(ListSchedulesRequestSchema),
    response: ListSchedulesResponseSchema,
    example: {
      request: { ...who, payload: { page: 1, pageSize: 50 } },
      response: {
        items: [
          {
            scheduleId: 'main-line',
            name: 'Main line',
            timezone: 'Europe/London',
            mode: 'custom',
            status: 'active',
            templates: [
              { templateId: 'week-a', name: 'Schedule 1' },
              { templateId: 'week-b', name: 'Schedule 2' },
            ],
            rotation: exampleScheduleDefinition.rotation,
            exceptionCount: 2,
            emergency: null,
            revision: 4,
            updatedAt: '2026-01-02T09:30:00.000Z',
            updatedBy: 'user:admin@acme.test',
          },
        ],
        page: 1,
        pageSize: 50,
        total: 1,
      },
    },
  }),
  listExceptions: scheduleRpc('list-exceptions', {
    description: "A schedule's exceptions (holidays, closures, openings).",
    request: scheduleRpcRequestOf(ListExceptionsRequestSchema),
    response: ListExceptionsResponseSchema,
    example: {
      request: { ...who, payload: { scheduleId: 'main-line' } },
      response: { scheduleId: 'main-line', timezone: 'Europe/London', exceptions: exampleScheduleDefinition.exceptions, revision: 4 },
    },
  }),
  audit: scheduleRpc('audit', {
    description: "A schedule's change history from its events (who, when, what, why).",
    request: scheduleRpcRequestOf(ScheduleAuditRequestSchema),
    response: ScheduleAuditResponseSchema,
    example: {
      request: { ...who, payload: { scheduleId: 'main-line', fromRevision: 0, limit: 100 } },
      response: {
        scheduleId: 'main-line',
        entries: [
          {
            revision: 5,
            eventId: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
            type: 'ScheduleEmergencyOverrideSet',
            version: 1,
            occurredAt: '2026-01-06T10:00:00.000Z',
            actor: 'user:ops@acme.test',
            correlationId: '5f0c3a2e-1d8b-4a61-9c1e-2b7d9e4f6a10',
            change: { emergency: { state: 'closed', reason: 'Fire alarm', by: 'user:ops@acme.test', at: '2026-01-06T10:00:00.000Z', expiresAt: null } },
          },
        ],
        nextFromRevision: null,
      },
    },
  }),
  get: scheduleRpc('get', {
    description: 'The stored schedule definition.',
    request: scheduleRpcRequestOf(GetScheduleRequestSchema),
    response: ScheduleViewSchema,
    example: { request: { ...who, payload: { scheduleId: 'main-line' } }, response: { status: 'active', schedule: exampleScheduleDefinition, revision: 4 } },
  }),
  create: command('create', 'Create a schedule.', CreateScheduleRequestSchema, { scheduleId: 'main-line', name: 'Main line', timezone: 'Europe/London', mode: 'custom' }),
  rename: command('rename', 'Rename a schedule.', RenameScheduleRequestSchema, { scheduleId: 'main-line', name: 'Main line' }),
  changeTimezone: command('change-timezone', 'Change the zone the rules are read in.', ChangeScheduleTimezoneRequestSchema, { scheduleId: 'main-line', timezone: 'Europe/London' }),
  setMode: command('set-mode', "Switch between '24/7' and 'custom'.", SetScheduleModeRequestSchema, { scheduleId: 'main-line', mode: '24/7' }),
  addTemplate: command('add-template', 'Add a weekly template.', AddTemplateRequestSchema, { scheduleId: 'main-line', templateId: 'week-b', name: 'Schedule 2', ranges: [] }),
  renameTemplate: command('rename-template', 'Rename a template.', RenameTemplateRequestSchema, { scheduleId: 'main-line', templateId: 'week-b', name: 'Late week' }),
  setTemplateRanges: command('set-template-ranges', "Replace a template's time slots.", SetTemplateRangesRequestSchema, {
    scheduleId: 'main-line',
    templateId: 'week-a',
    ranges: [{ day: 'mon', start: '09:00', end: '17:00' }],
  }),
  addTimeSlot: command('add-time-slot', 'Add one time slot to a template.', AddTimeSlotRequestSchema, {
    scheduleId: 'main-line',
    templateId: 'week-a',
    range: { day: 'sat', start: '10:00', end: '12:00' },
  }),
  removeTimeSlot: command('remove-time-slot', 'Remove one time slot from a template.', RemoveTimeSlotRequestSchema, {
    scheduleId: 'main-line',
    templateId: 'week-a',
    range: { day: 'sat', start: '10:00', end: '12:00' },
  }),
  deleteTemplate: scheduleRpc('delete-template', {
    description: 'Delete a template; the answer says how the rotation was re-indexed.',
    request: scheduleRpcRequestOf(DeleteTemplateRequestSchema),
    response: DeleteTemplateResultSchema,
    example: {
      request: { ...who, payload: { scheduleId: 'main-line', templateId: 'week-c', force: false } },
      response: {
        ...changed,
        templateId: 'week-c',
        rotationBefore: { active: true, anchorDate: '2025-11-03', firstTemplateId: 'week-a' },
        rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' },
        reanchored: true,
        templateInEffect: 'week-a',
        forced: false,
      },
    },
  }),
  activateRotation: command('activate-rotation', 'Rotate templates week by week, choosing which is first.', ActivateRotationRequestSchema, {
    scheduleId: 'main-line',
    anchorDate: '2026-01-05',
    firstTemplateId: 'week-a',
  }),
  deactivateRotation: command('deactivate-rotation', 'Stop rotating; the current template stays.', DeactivateRotationRequestSchema, { scheduleId: 'main-line' }),
  addException: command('add-exception', 'Add a holiday, closure or opening.', AddExceptionRequestSchema, {
    scheduleId: 'main-line',
    exception: { label: 'Summer party', effect: 'closed', when: { kind: 'period', start: '2026-07-03T15:00', end: '2026-07-03T18:00' } },
  }),
  removeException: command('remove-exception', 'Remove an exception.', RemoveExceptionRequestSchema, { scheduleId: 'main-line', exceptionId: 'summer-party' }),
  importExceptions: scheduleRpc('import-exceptions', {
    description: 'Merge a list of exceptions or an iCalendar file into the schedule.',
    request: scheduleRpcRequestOf(ImportExceptionsRequestSchema),
    response: ImportExceptionsResultSchema,
    example: {
      request: { ...who, payload: { scheduleId: 'main-line', format: 'ics', ics: 'BEGIN:VCALENDAR\r\n...\r\nEND:VCALENDAR', source: 'uk-bank-holidays.ics' } },
      response: { ...changed, added: ['ics:xmas@gov.uk'], replaced: [], unchanged: [], skipped: [] },
    },
  }),
  setEmergencyOverride: command('set-emergency-override', 'Force open or closed until expiry or cleared.', SetEmergencyOverrideRequestSchema, {
    scheduleId: 'main-line',
    state: 'closed',
    reason: 'Fire alarm',
    expiresAt: '2026-01-06T12:00:00Z',
  }),
  clearEmergencyOverride: command('clear-emergency-override', 'Clear the emergency override.', ClearEmergencyOverrideRequestSchema, { scheduleId: 'main-line' }),
  delete: command('delete', 'Delete the schedule.', DeleteScheduleRequestSchema, { scheduleId: 'main-line' }),
} as const;

