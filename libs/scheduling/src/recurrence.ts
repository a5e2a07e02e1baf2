// RFC 5545 recurrence rules for schedule exceptions. rrule expands them on "floating" dates (the UTC
// fields of its Dates are the local wall date-time); wall-clock.ts turns those into instants in the
// schedule's zone. ical.js's parser is stricter than rrule's, so it validates first.
import ICAL from 'ical.js';
import { RRule, type Options } from 'rrule';
import { dayNumberOf, localDateOfDayNumber, type LocalDate } from './local-date';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const ALLOWED_PARTS = new Set(['FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST']);
const ALLOWED_FREQS = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const MAX_CACHED_RULES = 2_000;

/** 'RRULE:FREQ=...' and 'FREQ=...' both accepted; returns the part after the prefix. */
export const stripRrulePrefix = (text: string): string => text.trim().replace(/^RRULE:/i, '');

/**
 * Why an RRULE is unusable for an exception, or null if it is fine. Times of day come from the exception
 * (`startTime`), so BYHOUR/BYMINUTE/BYSECOND are refused, and so are sub-daily frequencies.
 */
export function recurrenceRuleProblem(text: string): string | null {
  if (typeof text !== 'string' || text.trim() === '') return 'must be an RRULE such as FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25';
  const body = stripRrulePrefix(text);
  if (/[\r\n]/.test(body)) return 'must be a single RRULE line (DTSTART is given separately)';
  const parts = body.split(';');
  for (const part of parts) {
    const [key, value] = part.split('=');
    if (!key || value === undefined || value === '') return `malformed part "${part}"`;
    if (!ALLOWED_PARTS.has(key.toUpperCase())) return `unsupported part ${key.toUpperCase()} (allowed: ${[...ALLOWED_PARTS].join(', ')})`;
  }
  let freq: string | null;
  try {
    freq = ICAL.Recur.fromString(body).freq ?? null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (freq === null || !ALLOWED_FREQS.has(freq)) return `FREQ must be one of ${[...ALLOWED_FREQS].join(', ')}`;
  try {
    const options = RRule.parseString(body);
    for (const value of Object.values(options)) {
      if (Array.isArray(value) && value.some((v) => v === undefined || (typeof v === 'number' && Number.isNaN(v)))) return 'has an invalid value';
    }
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return null;
}

/** A parsed rule with its occurrences cached per calendar year. */
export type CompiledRecurrence = { readonly rule: RRule; readonly years: Map<number, number[]>; readonly dtstartYear: number };
type CachedRule = CompiledRecurrence;
const rules = new Map<string, CachedRule>();

/** Parses (once: cached by text, dtstart and start minute) a valid rule for expansion. */
export function compileRecurrence(text: string, dtstart: LocalDate, startMinute: number): CachedRule {
  const key = `${text}|${dayNumberOf(dtstart)}|${startMinute}`;
  let cached = rules.get(key);
  if (!cached) {
    const options: Partial<Options> = {
      ...RRule.parseString(stripRrulePrefix(text)),
      dtstart: new Date(dayNumberOf(dtstart) * DAY_MS + startMinute * MINUTE_MS),
      tzid: null,
    };
    if (rules.size >= MAX_CACHED_RULES) rules.clear();
    cached = { rule: new RRule(options), years: new Map(), dtstartYear: dtstart.year };
    rules.set(key, cached);
  }
  return cached;
}

/** Floating occurrence starts (ms of UTC-as-local) in one calendar year, cached: rrule iterates from DTSTART each call. */
function startsInYear(cached: CachedRule, year: number): number[] {
  let starts = cached.years.get(year);
  if (!starts) {
    const from = new Date(Date.UTC(year, 0, 1));
    const to = new Date(Date.UTC(year + 1, 0, 1) - 1);
    starts = cached.rule.between(from, to, true).map((d) => d.getTime());
    cached.years.set(year, starts);
  }
  return starts;
}

export type RecurrenceStart = { date: LocalDate; minuteOfDay: number };

/**
 * Occurrence starts (local date and wall minute) of `rrule` from `dtstart` at `startMinute`, whose local
 * date lies in [fromDate, toDate]. Call with a valid rule (see recurrenceRuleProblem).
 */
export function recurrenceStarts(rrule: string, dtstart: LocalDate, startMinute: number, fromDate: LocalDate, toDate: LocalDate): RecurrenceStart[] {
  return compiledRecurrenceStarts(compileRecurrence(rrule, dtstart, startMinute), fromDate, toDate);
}

/** Occurrence starts of a compiled rule whose local date lies in [fromDate, toDate]. */
export function compiledRecurrenceStarts(cached: CompiledRecurrence, fromDate: LocalDate, toDate: LocalDate): RecurrenceStart[] {
  const fromMs = dayNumberOf(fromDate) * DAY_MS;
  const toMs = (dayNumberOf(toDate) + 1) * DAY_MS;
  const out: RecurrenceStart[] = [];
  for (let year = Math.max(fromDate.year, cached.dtstartYear); year <= toDate.year; year++) {
    for (const start of startsInYear(cached, year)) {
      if (start < fromMs || start >= toMs) continue;
      const day = Math.floor(start / DAY_MS);
      out.push({ date: localDateOfDayNumber(day), minuteOfDay: Math.round((start - day * DAY_MS) / MINUTE_MS) });
    }
  }
  return out;
}
