// The shape of a call schedule as the evaluator sees it. The wire format (zod) is
// `ScheduleDefinitionSchema` in @cc/contracts; apps/schedule type-checks that the two stay identical.
import type { WeeklyRange } from './weekly-range';

export type ScheduleMode = '24/7' | 'custom';

/** One weekly template ("Schedule 1", "Week B"): the open ranges of a week. */
export type ScheduleTemplate = { templateId: string; name: string; ranges: WeeklyRange[] };

/**
 * Which template applies in which week. Week 0 is the local week (Monday-Sunday, schedule zone) that
 * contains `anchorDate`; week k uses the template k steps after `firstTemplateId` in template order.
 * Inactive: `firstTemplateId` applies every week.
 */
export type ScheduleRotation = { active: boolean; anchorDate: string; firstTemplateId: string };

/** Wall-clock hours within each day of an 'open' exception (`end <= start` crosses midnight). */
export type DailyHours = { start: string; end: string };

/** All day from `from` 00:00 to the end of `to` (inclusive), local dates 'YYYY-MM-DD'. */
export type DatesWhen = { kind: 'dates'; from: string; to: string };
/** From `start` to `end` (exclusive), local date-times 'YYYY-MM-DDTHH:mm'. */
export type PeriodWhen = { kind: 'period'; start: string; end: string };
/**
 * RFC 5545 RRULE (`FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25`) expanded from local date `dtstart` in the
 * schedule's zone; each occurrence lasts `days` whole local days. `exdates` skips occurrences.
 */
export type RecurringAllDayWhen = { kind: 'recurring-all-day'; rrule: string; dtstart: string; days: number; exdates: string[] };
/**
 * RRULE occurrences starting at `startTime` local time, each lasting `durationMinutes` of wall-clock time
 * (09:00 + 480 ends at 17:00 on the clock, even on a DST day). `exdates` lists skipped occurrence dates.
 */
export type RecurringTimedWhen = {
  kind: 'recurring-timed';
  rrule: string;
  dtstart: string;
  startTime: string;
  durationMinutes: number;
  exdates: string[];
};
export type ExceptionWhen = DatesWhen | PeriodWhen | RecurringAllDayWhen | RecurringTimedWhen;

type ExceptionBase = { exceptionId: string; label: string; when: ExceptionWhen };
/** Closed for the whole of each occurrence (holiday, training day). */
export type ClosedException = ExceptionBase & { effect: 'closed' };
/** Open for each occurrence; if `hours` is set, only during those hours of each day (closed otherwise). */
export type OpenException = ExceptionBase & { effect: 'open'; hours: DailyHours[] | null };
export type ScheduleException = ClosedException | OpenException;

/** A manual override beating everything else until `expiresAt` (null: until cleared). */
export type EmergencyOverride = {
  state: 'closed' | 'open';
  reason: string;
  by: string | null;
  /** ISO instant it was set. */
  at: string;
  expiresAt: string | null;
};

export type ScheduleDefinition = {
  scheduleId: string;
  tenantId: string;
  name: string;
  timezone: string;
  mode: ScheduleMode;
  templates: ScheduleTemplate[];
  rotation: ScheduleRotation | null;
  exceptions: ScheduleException[];
  emergency: EmergencyOverride | null;
};
