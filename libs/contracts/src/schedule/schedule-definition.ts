// The wire shape of a call schedule: what every schedule event carries whole (event-carried state
// transfer) and what the router's replica evaluates with @cc/scheduling (which declares the same type).
import { z } from 'zod';
import { TenantIdSchema } from '../tenant';

/** Schedule and template ids travel in stream ids and URLs: one token of letters, digits, '_' or '-'. */
export const ScheduleIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'id: 1-64 of A-Z, a-z, 0-9, "_" or "-"');
export const TemplateIdSchema = ScheduleIdSchema;
/** Exception ids may come from iCalendar UIDs (`ics:2025-12-25@gov.uk`): printable ASCII, no spaces. */
export const ExceptionIdSchema = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'exception id: 1-200 printable characters, no spaces');

export const ScheduleNameSchema = z.string().trim().min(1).max(200);
export const ExceptionLabelSchema = z.string().trim().min(1).max(200);
/** An IANA zone name; whether the runtime knows it is checked by the domain (SCHEDULE.UNKNOWN_ZONE). */
export const ScheduleTimezoneSchema = z.string().min(1).max(64);

export const ScheduleWeekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** 'HH:mm', 00:00-23:59. */
export const ScheduleClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time: HH:mm, 00:00-23:59');
/** 'HH:mm', 00:00-24:00 (an end). */
export const ScheduleEndClockTimeSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'time: HH:mm, 00:00-24:00');
/** 'YYYY-MM-DD' local date (calendar validity is checked by the domain). */
export const ScheduleLocalDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date: YYYY-MM-DD');
/** 'YYYY-MM-DDTHH:mm' local date-time in the schedule's zone. */
export const ScheduleLocalDateTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'local date-time: YYYY-MM-DDTHH:mm');
const IsoInstantSchema = z.iso.datetime({ offset: true });

/**
 * A weekly time slot in local wall-clock time; `end <= start` crosses midnight, '24:00' allowed as end.
 * DST rules: docs/decisions/0002-dst-semantics.md.
 */
export const WeeklyRangeSchema = z.strictObject({ day: ScheduleWeekdaySchema, start: ScheduleClockTimeSchema, end: ScheduleEndClockTimeSchema });
export const MAX_RANGES_PER_TEMPLATE = 500;
export const MAX_TEMPLATES = 100;
export const WeeklyRangesSchema = z.array(WeeklyRangeSchema).max(MAX_RANGES_PER_TEMPLATE);

export const ScheduleTemplateSchema = z.strictObject({ templateId: TemplateIdSchema, name: ScheduleNameSchema, ranges: WeeklyRangesSchema });

export const ScheduleRotationSchema = z.strictObject({
  active: z.boolean(),
  /** Its local week (Monday-Sunday, schedule zone) is week 0. */
  anchorDate: ScheduleLocalDateSchema,
  firstTemplateId: TemplateIdSchema,
});

export const DailyHoursSchema = z.strictObject({ start: ScheduleClockTimeSchema, end: ScheduleEndClockTimeSchema });
const RruleSchema = z.string().min(1).max(500);
const ExdatesSchema = z.array(ScheduleLocalDateSchema).max(1000).default([]);

export const ExceptionWhenSchema = z.discriminatedUnion('kind', [
  /** All day, `from` to `to` inclusive. */
  z.strictObject({ kind: z.literal('dates'), from: ScheduleLocalDateSchema, to: ScheduleLocalDateSchema }),
  /** `start` to `end` (exclusive), local wall-clock. */
  z.strictObject({ kind: z.literal('period'), start: ScheduleLocalDateTimeSchema, end: ScheduleLocalDateTimeSchema }),
  /** RFC 5545 RRULE from `dtstart`, each occurrence `days` whole days. */
  z.strictObject({ kind: z.literal('recurring-all-day'), rrule: RruleSchema, dtstart: ScheduleLocalDateSchema, days: z.number().int().min(1).max(366).default(1), exdates: ExdatesSchema }),
  /** RRULE occurrences at `startTime`, each lasting `durationMinutes` of wall-clock time. */
  z.strictObject({
    kind: z.literal('recurring-timed'),
    rrule: RruleSchema,
    dtstart: ScheduleLocalDateSchema,
    startTime: ScheduleClockTimeSchema,
    durationMinutes: z.number().int().min(1).max(7 * 1440),
    exdates: ExdatesSchema,
  }),
]);

const exceptionBase = { exceptionId: ExceptionIdSchema, label: ExceptionLabelSchema, when: ExceptionWhenSchema };
export const ScheduleExceptionSchema = z.discriminatedUnion('effect', [
  z.strictObject({ ...exceptionBase, effect: z.literal('closed') }),
  /** `hours` null: open all of each occurrence; else only during those hours of each day. */
  z.strictObject({ ...exceptionBase, effect: z.literal('open'), hours: z.array(DailyHoursSchema).min(1).max(48).nullable().default(null) }),
]);

export const EmergencyOverrideSchema = z.strictObject({
  state: z.enum(['closed', 'open']),
  reason: z.string().trim().min(1).max(500),
  by: z.string().min(1).nullable(),
  at: IsoInstantSchema,
  expiresAt: IsoInstantSchema.nullable(),
});

export const ScheduleModeSchema = z.enum(['24/7', 'custom']);

export const ScheduleDefinitionSchema = z.strictObject({
  scheduleId: ScheduleIdSchema,
  tenantId: TenantIdSchema,
  name: ScheduleNameSchema,
  timezone: ScheduleTimezoneSchema,
  mode: ScheduleModeSchema,
  templates: z.array(ScheduleTemplateSchema).max(MAX_TEMPLATES),
  rotation: ScheduleRotationSchema.nullable(),
  /** No fixed cap: holiday calendars for many years are fine. */
  exceptions: z.array(ScheduleExceptionSchema),
  emergency: EmergencyOverrideSchema.nullable(),
});

export type WeeklyRangeData = z.infer<typeof WeeklyRangeSchema>;
export type ScheduleTemplateData = z.infer<typeof ScheduleTemplateSchema>;
export type ScheduleRotationData = z.infer<typeof ScheduleRotationSchema>;
export type ScheduleExceptionData = z.infer<typeof ScheduleExceptionSchema>;
export type ExceptionWhenData = z.infer<typeof ExceptionWhenSchema>;
export type EmergencyOverrideData = z.infer<typeof EmergencyOverrideSchema>;
export type ScheduleDefinitionData = z.infer<typeof ScheduleDefinitionSchema>;

export const exampleScheduleDefinition: ScheduleDefinitionData = {
  scheduleId: 'main-line',
  tenantId: 'acme',
  name: 'Main line',
  timezone: 'Europe/London',
  mode: 'custom',
  templates: [
    {
      templateId: 'week-a',
      name: 'Schedule 1',
      ranges: [
        { day: 'mon', start: '09:00', end: '17:00' },
        { day: 'fri', start: '09:00', end: '12:30' },
      ],
    },
    { templateId: 'week-b', name: 'Schedule 2', ranges: [{ day: 'mon', start: '08:00', end: '12:00' }] },
  ],
  rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' },
  exceptions: [
    {
      exceptionId: 'xmas',
      label: 'Christmas Day',
      effect: 'closed',
      when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', dtstart: '2020-12-25', days: 1, exdates: [] },
    },
    {
      exceptionId: 'stocktake',
      label: 'Stocktake Saturday',
      effect: 'open',
      hours: [{ start: '10:00', end: '13:00' }],
      when: { kind: 'dates', from: '2026-03-07', to: '2026-03-07' },
    },
  ],
  emergency: null,
};
