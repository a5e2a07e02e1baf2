// Turns an iCalendar file (a public-holiday calendar, a company closure calendar) into schedule
// exceptions. Pure: text in, data out; the schedule service decides what to do with them.
import type { FieldError } from '@cc/contracts';
import ICAL from 'ical.js';
import { formatClockTime } from './clock-time';
import { addDays, dayNumberOf, formatLocalDate, type LocalDate } from './local-date';
import { recurrenceRuleProblem } from './recurrence';
import type { ExceptionWhen, ScheduleException } from './schedule-definition';
import { validateScheduleException } from './schedule-exception';
import { isValidZone, localMomentOf } from './time-zone';
import { wallTimeToEpoch } from './wall-clock';

export type ICalendarImportOptions = {
  /** Effect of every imported event; holiday calendars mean 'closed' (the default). */
  effect?: 'closed' | 'open';
  /** The schedule's zone: events with a UTC or TZID time are converted to its wall clock. */
  zone?: string;
  /** Prefix of the generated exception ids (default 'ics:'), followed by the event UID. */
  idPrefix?: string;
};

export type ICalendarImport = { exceptions: ScheduleException[]; errors: FieldError[] };

/** Exception ids are printable ASCII without spaces, at most 200 characters. */
export const EXCEPTION_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Wall = { date: LocalDate; minuteOfDay: number };

const dateOf = (t: Time): LocalDate => ({ year: t.year, month: t.month, day: t.day });

/**
 * The wall-clock time of a DATE-TIME in the target zone: UTC ('Z') and known TZIDs are converted,
 * floating times (and TZIDs the runtime does not know, e.g. Windows names) are taken as written.
 */
function wallOf(t: Time, tzid: string | null, zone: string | undefined): Wall | string {
  const written: Wall = { date: dateOf(t), minuteOfDay: t.hour * 60 + t.minute };
  const isUtc = t.zone?.tzid === 'UTC';
  if (!isUtc && (tzid === null || !isValidZone(tzid))) return written;
  if (!zone) return 'has a UTC or TZID time: pass the schedule zone to convert it';
  const epoch = isUtc
    ? Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute)
    : wallTimeToEpoch(written.date, written.minuteOfDay, tzid!, 'earliest');
  const local = localMomentOf(epoch, zone);
  return { date: { year: local.year, month: local.month, day: local.day }, minuteOfDay: local.minuteOfDay };
}

const formatWall = (w: Wall): string => `${formatLocalDate(w.date)}T${formatClockTime(w.minuteOfDay)}`;
const wallMinutes = (w: Wall): number => dayNumberOf(w.date) * 1440 + w.minuteOfDay;

function timeParam(component: Component, name: string): { time: Time; tzid: string | null } | null {
  const prop = component.getFirstProperty(name);
  if (!prop) return null;
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) return null;
  const tzid = prop.getParameter('tzid');
  return { time: value, tzid: typeof tzid === 'string' ? tzid : null };
}

/**
 * Parses VEVENTs into exceptions: all-day events (DATE values) become `dates` or `recurring-all-day`,
 * timed ones `period` or `recurring-timed`; RRULE and EXDATE are kept; a RECURRENCE-ID override becomes an
 * EXDATE on its series plus a one-off (dropped if CANCELLED). Ids are `{idPrefix}{UID}` (overrides:
 * `{idPrefix}{UID}@{date}`), so importing the same calendar twice names the same exceptions.
 * Events that cannot be imported are reported in `errors` (path `events[i]...`) and skipped.
 */
export function parseICalendarExceptions(icsText: string, options: ICalendarImportOptions = {}): ICalendarImport {
  const effect = options.effect ?? 'closed';
  const prefix = options.idPrefix ?? 'ics:';
  const errors: FieldError[] = [];
  if (options.zone !== undefined && !isValidZone(options.zone)) return { exceptions: [], errors: [{ path: 'zone', message: `unknown time zone "${options.zone}"` }] };
  let roots: Component[];
  try {
    const parsed: unknown = ICAL.parse(icsText);
    const list = Array.isArray(parsed) && Array.isArray(parsed[0]) ? (parsed as unknown[]) : [parsed];
    roots = list.filter((j) => Array.isArray(j) && j.length > 0).map((j) => new ICAL.Component(j as unknown[]));
  } catch (e) {
    return { exceptions: [], errors: [{ path: 'ics', message: `not an iCalendar file: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  if (roots.length === 0 || roots.some((r) => r.name !== 'vcalendar')) return { exceptions: [], errors: [{ path: 'ics', message: 'expected BEGIN:VCALENDAR' }] };

  const events = roots.flatMap((r) => r.getAllSubcomponents('vevent'));
  const exceptions: ScheduleException[] = [];
  const series = new Map<string, ScheduleException>();
  const overrides: { index: number; uid: string; event: Component }[] = [];

  const toException = (exceptionId: string, label: string, when: ExceptionWhen): ScheduleException =>
    effect === 'open' ? { exceptionId, label, effect, hours: null, when } : { exceptionId, label, effect, when };

  /** The `when` of an event's own occurrence (no recurrence), or an error message with its field. */
  const whenOf = (event: Component, path: string): { when: ExceptionWhen; start: Wall; allDay: boolean; lengthMinutes: number } | FieldError => {
    const start = timeParam(event, 'dtstart');
    if (!start) return { path: `${path}.dtstart`, message: 'is missing' };
    const end = timeParam(event, 'dtend');
    const duration = event.getFirstPropertyValue('duration');
    const seconds = duration instanceof ICAL.Duration ? duration.toSeconds() : null;
    if (start.time.isDate) {
      const from = dateOf(start.time);
      const days = end ? dayNumberOf(dateOf(end.time)) - dayNumberOf(from) : seconds !== null ? Math.round(seconds / 86_400) : 1;
      if (days < 1) return { path: `${path}.dtend`, message: 'must be after DTSTART' };
      return { when: { kind: 'dates', from: formatLocalDate(from), to: formatLocalDate(addDays(from, days - 1)) }, start: { date: from, minuteOfDay: 0 }, allDay: true, lengthMinutes: days * 1440 };
    }
    const startWall = wallOf(start.time, start.tzid, options.zone);
    if (typeof startWall === 'string') return { path: `${path}.dtstart`, message: startWall };
    let endWall: Wall | string;
    if (end) endWall = wallOf(end.time, end.tzid, options.zone);
    else if (seconds !== null) endWall = { date: startWall.date, minuteOfDay: startWall.minuteOfDay + Math.round(seconds / 60) };
    else return { path: `${path}.dtend`, message: 'a timed event needs DTEND or DURATION' };
    if (typeof endWall === 'string') return { path: `${path}.dtend`, message: endWall };
    const lengthMinutes = wallMinutes(endWall) - wallMinutes(startWall);
    if (lengthMinutes <= 0) return { path: `${path}.dtend`, message: 'must be after DTSTART' };
    const endNormalised = addMinutes(startWall, lengthMinutes);
    return { when: { kind: 'period', start: formatWall(startWall), end: formatWall(endNormalised) }, start: startWall, allDay: false, lengthMinutes };
  };

  events.forEach((event, index) => {
    const path = `events[${index}]`;
    const uid = event.getFirstPropertyValue('uid');
    if (typeof uid !== 'string' || uid.trim() === '') return void errors.push({ path: `${path}.uid`, message: 'is missing' });
    if (event.getFirstProperty('recurrence-id')) return void overrides.push({ index, uid, event });
    const exceptionId = `${prefix}${uid.trim()}`;
    if (!EXCEPTION_ID_PATTERN.test(exceptionId)) return void errors.push({ path: `${path}.uid`, message: 'makes an exception id that is not 1-200 printable characters without spaces' });
    if (series.has(exceptionId)) return void errors.push({ path: `${path}.uid`, message: `duplicate UID "${uid}"` });
    if (String(event.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
    if (event.getFirstProperty('rdate')) return void errors.push({ path: `${path}.rdate`, message: 'RDATE is not supported' });
    const rrules = event.getAllProperties('rrule');
    if (rrules.length > 1) return void errors.push({ path: `${path}.rrule`, message: 'more than one RRULE is not supported' });
    const label = String(event.getFirstPropertyValue('summary') ?? '').trim() || uid.trim();
    const own = whenOf(event, path);
    if ('path' in own) return void errors.push(own);
    let when: ExceptionWhen = own.when;
    if (rrules.length === 1) {
      const rrule = String(rrules[0]!.getFirstValue());
      const problem = recurrenceRuleProblem(rrule);
      if (problem) return void errors.push({ path: `${path}.rrule`, message: problem });
      const exdates = event
        .getAllProperties('exdate')
        .flatMap((p) => p.getValues())
        .filter((v): v is Time => v instanceof ICAL.Time)
        .map((t) => formatLocalDate(dateOf(t)));
      const dtstart = formatLocalDate(own.start.date);
      when = own.allDay
        ? { kind: 'recurring-all-day', rrule, dtstart, days: Math.round(own.lengthMinutes / 1440), exdates }
        : { kind: 'recurring-timed', rrule, dtstart, startTime: formatClockTime(own.start.minuteOfDay), durationMinutes: own.lengthMinutes, exdates };
    }
    const exception = toException(exceptionId, label, when);
    const issues = validateScheduleException(exception, path);
    if (issues.length > 0) return void errors.push(...issues.map(({ path: p, message }) => ({ path: p, message })));
    series.set(exceptionId, exception);
    exceptions.push(exception);
  });

  for (const { index, uid, event } of overrides) {
    const path = `events[${index}]`;
    const master = series.get(`${prefix}${uid.trim()}`);
    const rid = timeParam(event, 'recurrence-id');
    if (!rid) {
      errors.push({ path: `${path}.recurrence-id`, message: 'is not a date or date-time' });
      continue;
    }
    const ridDate = formatLocalDate(dateOf(rid.time));
    if (master && (master.when.kind === 'recurring-all-day' || master.when.kind === 'recurring-timed') && !master.when.exdates.includes(ridDate)) {
      master.when.exdates.push(ridDate);
    }
    if (String(event.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
    const own = whenOf(event, path);
    if ('path' in own) {
      errors.push(own);
      continue;
    }
    const exceptionId = `${prefix}${uid.trim()}@${ridDate}`;
    if (!EXCEPTION_ID_PATTERN.test(exceptionId)) {
      errors.push({ path: `${path}.uid`, message: 'makes an exception id that is not 1-200 printable characters without spaces' });
      continue;
    }
    const label = String(event.getFirstPropertyValue('summary') ?? '').trim() || master?.label || uid.trim();
    const exception = toException(exceptionId, label, own.when);
    const issues = validateScheduleException(exception, path);
    if (issues.length > 0) errors.push(...issues.map(({ path: p, message }) => ({ path: p, message })));
    else exceptions.push(exception);
  }
  return { exceptions, errors };
}

function addMinutes(w: Wall, minutes: number): Wall {
  const total = w.minuteOfDay + minutes;
  const days = Math.floor(total / 1440);
  return { date: addDays(w.date, days), minuteOfDay: total - days * 1440 };
}
