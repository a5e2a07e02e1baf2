// Exceptions to a schedule's weekly rules (holidays, one-off closures and openings, recurring ones):
// their validation and the instants each one covers in the schedule's zone.
import type { FieldError } from '@cc/contracts';
import { parseClockTime } from './clock-time';
import { addDays, compareLocalDates, dayNumberOf, formatLocalDate, parseLocalDate, type LocalDate } from './local-date';
import { parseLocalDateTime } from './local-date-time';
import { compileRecurrence, compiledRecurrenceStarts, recurrenceRuleProblem, type CompiledRecurrence } from './recurrence';
import type { DailyHours, ExceptionWhen, ScheduleException } from './schedule-definition';
import { localMomentOf } from './time-zone';
import { wallTimeToEpoch } from './wall-clock';
import { compileWeeklyRanges, occurrencesBetween } from './weekly-evaluation';
import type { WeeklyRange } from './weekly-range';
import { WEEKDAYS } from './weekday';

export const MAX_EXCEPTION_DAYS = 366;
export const MAX_EXCEPTION_MINUTES = 7 * 1440;

export type ExceptionIssueCode = 'INVALID_DATE' | 'END_BEFORE_START' | 'INVALID_RRULE' | 'INVALID_DURATION' | 'INVALID_HOURS' | 'INVALID_LABEL';
export type ExceptionIssue = FieldError & { code: ExceptionIssueCode };

const hoursAsRanges = (hours: readonly DailyHours[]): WeeklyRange[] =>
  WEEKDAYS.flatMap((day) => hours.map((h) => ({ day, start: h.start, end: h.end })));

/**
 * Problems with the daily hours of an 'open' exception: malformed times, empty ranges and overlaps,
 * counting a range that crosses midnight against the next day's hours.
 */
export function validateDailyHours(hours: readonly DailyHours[], path = 'hours'): ExceptionIssue[] {
  const issues: ExceptionIssue[] = [];
  if (hours.length === 0) issues.push({ path, code: 'INVALID_HOURS', message: 'must list at least one range, or be null for all day' });
  const spans: { index: number; start: number; end: number }[] = [];
  hours.forEach((h, index) => {
    const start = parseClockTime(h.start);
    const end = parseClockTime(h.end, true);
    if (start === null) issues.push({ path: `${path}[${index}].start`, code: 'INVALID_HOURS', message: 'must be HH:mm between 00:00 and 23:59' });
    if (end === null) issues.push({ path: `${path}[${index}].end`, code: 'INVALID_HOURS', message: 'must be HH:mm between 00:00 and 24:00' });
    if (start !== null && end !== null && start === end) {
      issues.push({ path: `${path}[${index}].end`, code: 'INVALID_HOURS', message: 'must differ from start (a range cannot be empty)' });
    }
    if (start !== null && end !== null && start !== end) spans.push({ index, start, end: end > start ? end : end + 1440 });
  });
  const meets = (a: { start: number; end: number }, b: { start: number; end: number }, shift: number): boolean =>
    a.start < b.end + shift && b.start + shift < a.end;
  for (let j = 1; j < spans.length; j++) {
    const b = spans[j]!;
    const a = spans.slice(0, j).find((a) => meets(a, b, 0) || meets(a, b, 1440) || meets(a, b, -1440));
    if (a) issues.push({ path: `${path}[${b.index}]`, code: 'INVALID_HOURS', message: `overlaps ${path}[${a.index}] (${hours[a.index]!.start}-${hours[a.index]!.end})` });
  }
  return issues;
}

/** Problems with one exception, with paths under `path` (e.g. `exceptions[3]`). */
export function validateScheduleException(ex: ScheduleException, path = 'exception'): ExceptionIssue[] {
  const issues: ExceptionIssue[] = [];
  const push = (p: string, code: ExceptionIssueCode, message: string): void => void issues.push({ path: `${path}.${p}`, code, message });
  if (typeof ex.label !== 'string' || ex.label.trim() === '') push('label', 'INVALID_LABEL', 'must not be empty');
  const w = ex.when;
  switch (w.kind) {
    case 'dates': {
      const from = parseLocalDate(w.from);
      const to = parseLocalDate(w.to);
      if (!from) push('when.from', 'INVALID_DATE', 'must be a date YYYY-MM-DD');
      if (!to) push('when.to', 'INVALID_DATE', 'must be a date YYYY-MM-DD');
      if (from && to && compareLocalDates(to, from) < 0) push('when.to', 'END_BEFORE_START', 'must not be before from');
      if (from && to && compareLocalDates(to, from) >= MAX_EXCEPTION_DAYS) push('when.to', 'INVALID_DURATION', `must be within ${MAX_EXCEPTION_DAYS} days of from`);
      break;
    }
    case 'period': {
      const start = parseLocalDateTime(w.start);
      const end = parseLocalDateTime(w.end);
      if (!start) push('when.start', 'INVALID_DATE', 'must be a local date-time YYYY-MM-DDTHH:mm');
      if (!end) push('when.end', 'INVALID_DATE', 'must be a local date-time YYYY-MM-DDTHH:mm');
      if (start && end) {
        const minutes = (dayNumberOf(end.date) - dayNumberOf(start.date)) * 1440 + end.minuteOfDay - start.minuteOfDay;
        if (minutes <= 0) push('when.end', 'END_BEFORE_START', 'must be after start');
        else if (minutes > MAX_EXCEPTION_DAYS * 1440) push('when.end', 'INVALID_DURATION', `must be within ${MAX_EXCEPTION_DAYS} days of start`);
      }
      break;
    }
    case 'recurring-all-day':
    case 'recurring-timed': {
      const problem = recurrenceRuleProblem(w.rrule);
      if (problem) push('when.rrule', 'INVALID_RRULE', problem);
      if (!parseLocalDate(w.dtstart)) push('when.dtstart', 'INVALID_DATE', 'must be a date YYYY-MM-DD');
      w.exdates.forEach((d, i) => {
        if (!parseLocalDate(d)) push(`when.exdates[${i}]`, 'INVALID_DATE', 'must be a date YYYY-MM-DD');
      });
      if (w.kind === 'recurring-all-day') {
        if (!Number.isInteger(w.days) || w.days < 1 || w.days > MAX_EXCEPTION_DAYS) push('when.days', 'INVALID_DURATION', `must be a whole number of days, 1-${MAX_EXCEPTION_DAYS}`);
      } else {
        if (parseClockTime(w.startTime) === null) push('when.startTime', 'INVALID_DATE', 'must be HH:mm between 00:00 and 23:59');
        if (!Number.isInteger(w.durationMinutes) || w.durationMinutes < 1 || w.durationMinutes > MAX_EXCEPTION_MINUTES) {
          push('when.durationMinutes', 'INVALID_DURATION', `must be a whole number of minutes, 1-${MAX_EXCEPTION_MINUTES}`);
        }
      }
      break;
    }
    default: {
      const _exhaustive: never = w;
      push('when.kind', 'INVALID_DATE', `unknown kind ${JSON.stringify((_exhaustive as { kind?: unknown }).kind)}`);
    }
  }
  if (ex.effect === 'open' && ex.hours !== null) issues.push(...validateDailyHours(ex.hours, `${path}.hours`));
  return issues;
}

/** An instant interval [start, end) in epoch ms. */
export type Span = { start: number; end: number };

/** A window of instants with its first and last local dates in the zone (computed once per evaluation). */
export type ZonedWindow = { zone: string; fromMs: number; toMs: number; firstDate: LocalDate; lastDate: LocalDate };

export function zonedWindow(zone: string, fromMs: number, toMs: number): ZonedWindow {
  return { zone, fromMs, toMs, firstDate: localMomentOf(fromMs, zone), lastDate: localMomentOf(toMs, zone) };
}

/** An exception's `when`, parsed once (cached per object: replicas evaluate the same definition many times). */
type PreparedWhen =
  | { kind: 'fixed'; start: { date: LocalDate; minute: number }; end: { date: LocalDate; minute: number } }
  | { kind: 'recurring'; rule: CompiledRecurrence; skipped: Set<string>; lengthMinutes: number; spanDays: number };
const prepared = new WeakMap<ExceptionWhen, PreparedWhen>();

function prepare(when: ExceptionWhen): PreparedWhen {
  const cached = prepared.get(when);
  if (cached) return cached;
  let out: PreparedWhen;
  switch (when.kind) {
    case 'dates':
      out = { kind: 'fixed', start: { date: parseLocalDate(when.from)!, minute: 0 }, end: { date: addDays(parseLocalDate(when.to)!, 1), minute: 0 } };
      break;
    case 'period': {
      const start = parseLocalDateTime(when.start)!;
      const end = parseLocalDateTime(when.end)!;
      out = { kind: 'fixed', start: { date: start.date, minute: start.minuteOfDay }, end: { date: end.date, minute: end.minuteOfDay } };
      break;
    }
    case 'recurring-all-day':
      out = {
        kind: 'recurring',
        rule: compileRecurrence(when.rrule, parseLocalDate(when.dtstart)!, 0),
        skipped: new Set(when.exdates),
        lengthMinutes: when.days * 1440,
        spanDays: when.days,
      };
      break;
    case 'recurring-timed': {
      const startMinute = parseClockTime(when.startTime)!;
      out = {
        kind: 'recurring',
        rule: compileRecurrence(when.rrule, parseLocalDate(when.dtstart)!, startMinute),
        skipped: new Set(when.exdates),
        lengthMinutes: when.durationMinutes,
        spanDays: Math.ceil((startMinute + when.durationMinutes) / 1440),
      };
      break;
    }
    default: {
      const _exhaustive: never = when;
      throw new Error(`unknown exception kind ${JSON.stringify(_exhaustive)}`);
    }
  }
  prepared.set(when, out);
  return out;
}

/**
 * The instants an exception covers that overlap the window, unclipped, sorted. Call with a valid exception.
 * Each occurrence starts at the first instant the clock shows its start and ends at the last instant it
 * shows its end (docs/decisions/0002-dst-semantics.md).
 */
export function exceptionSpans(when: ExceptionWhen, window: ZonedWindow): Span[] {
  const { zone, fromMs, toMs, firstDate, lastDate } = window;
  const spans: Span[] = [];
  const keep = (start: number, end: number): void => {
    if (end > start && end > fromMs && start < toMs) spans.push({ start, end });
  };
  const p = prepare(when);
  switch (p.kind) {
    case 'fixed':
      keep(wallTimeToEpoch(p.start.date, p.start.minute, zone, 'earliest'), wallTimeToEpoch(p.end.date, p.end.minute, zone, 'latest'));
      break;
    case 'recurring':
      for (const occ of compiledRecurrenceStarts(p.rule, addDays(firstDate, -p.spanDays - 1), addDays(lastDate, 1))) {
        if (p.skipped.size > 0 && p.skipped.has(formatLocalDate(occ.date))) continue;
        keep(wallTimeToEpoch(occ.date, occ.minuteOfDay, zone, 'earliest'), wallTimeToEpoch(occ.date, occ.minuteOfDay + p.lengthMinutes, zone, 'latest'));
      }
      break;
    default: {
      const _exhaustive: never = p;
      throw new Error(`unknown prepared exception ${JSON.stringify(_exhaustive)}`);
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The open parts of an 'open' exception with `hours`: each local day's hours inside [fromMs, toMs). */
export function dailyHoursSpans(hours: readonly DailyHours[], zone: string, fromMs: number, toMs: number): Span[] {
  return occurrencesBetween(compileWeeklyRanges(hoursAsRanges(hours)), zone, fromMs, toMs).map((o) => ({ start: o.start, end: o.end }));
}
