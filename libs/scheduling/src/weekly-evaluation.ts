// Evaluates weekly wall-clock ranges at an instant in an IANA zone, DST-correct (see wall-clock.ts and
// docs/decisions/0002-dst-semantics.md). Used for agent working hours and schedule templates.
import { MINUTES_PER_DAY, parseClockTime } from './clock-time';
import { dayNumberOf, isoWeekdayOfDayNumber, localDateOfDayNumber, type LocalDate } from './local-date';
import { localMomentOf } from './time-zone';
import { wallTimeToEpoch } from './wall-clock';
import { coversWholeWeek, type WeeklyRange } from './weekly-range';
import { isoWeekdayOf, isWeekday } from './weekday';

const DAY_MS = 86_400_000;
/** How far ahead a next change is looked for before answering "never". */
export const SEARCH_HORIZON_DAYS = 400;

export type WeeklyInterval = { start: Date; end: Date; range: WeeklyRange };
export type WeeklyEvaluation = {
  /** `at` falls inside one of the ranges. */
  inside: boolean;
  /** The (input) range containing `at`; the earliest-starting one if several do. */
  range: WeeklyRange | null;
  /** The next instant `inside` flips; null if it never does (no ranges, or the whole week covered). */
  nextChange: Date | null;
};

/** A range pre-parsed for repeated evaluation. */
export type CompiledRange = { range: WeeklyRange; isoWeekday: number; start: number; end: number };

/** An occurrence of a range as epoch ms, [start, end). */
export type RangeOccurrence = { start: number; end: number; range: WeeklyRange };

const compiledCache = new WeakMap<readonly WeeklyRange[], CompiledRange[]>();
const wholeWeekCache = new WeakMap<readonly WeeklyRange[], boolean>();

/**
 * Parses ranges once (cached per array object: replicas evaluate the same arrays many times; treat them
 * as immutable); malformed ones are dropped (validate with validateWeeklyRanges first).
 */
export function compileWeeklyRanges(ranges: readonly WeeklyRange[]): CompiledRange[] {
  const cached = compiledCache.get(ranges);
  if (cached) return cached;
  const out: CompiledRange[] = [];
  for (const range of ranges) {
    if (!isWeekday(range.day)) continue;
    const start = parseClockTime(range.start);
    const end = parseClockTime(range.end, true);
    if (start === null || end === null || start === end) continue;
    out.push({ range, isoWeekday: isoWeekdayOf(range.day), start, end: end > start ? end : end + MINUTES_PER_DAY });
  }
  compiledCache.set(ranges, out);
  return out;
}

function coversWholeWeekCached(ranges: readonly WeeklyRange[]): boolean {
  let whole = wholeWeekCache.get(ranges);
  if (whole === undefined) wholeWeekCache.set(ranges, (whole = coversWholeWeek(ranges)));
  return whole;
}

/** The occurrences of the ranges that start on local date `date` (empty ones, inside a DST gap, omitted). */
export function occurrencesOnDate(compiled: readonly CompiledRange[], date: LocalDate, isoWeekday: number, zone: string): RangeOccurrence[] {
  const out: RangeOccurrence[] = [];
  for (const c of compiled) {
    if (c.isoWeekday !== isoWeekday) continue;
    const start = wallTimeToEpoch(date, c.start, zone, 'earliest');
    const end = wallTimeToEpoch(date, c.end, zone, 'latest');
    if (end > start) out.push({ start, end, range: c.range });
  }
  return out;
}

/** Every occurrence overlapping [fromMs, toMs), unclipped, sorted by start. */
export function occurrencesBetween(compiled: readonly CompiledRange[], zone: string, fromMs: number, toMs: number): RangeOccurrence[] {
  if (compiled.length === 0 || toMs <= fromMs) return [];
  // A range lasts at most a day plus a DST shift, so one starting two local days earlier can still reach `fromMs`.
  const firstDay = dayNumberOf(localMomentOf(fromMs, zone)) - 2;
  const lastDay = dayNumberOf(localMomentOf(toMs, zone));
  const out: RangeOccurrence[] = [];
  for (let n = firstDay; n <= lastDay; n++) {
    const date = localDateOfDayNumber(n);
    for (const o of occurrencesOnDate(compiled, date, isoWeekdayOfDayNumber(n), zone)) {
      if (o.end > fromMs && o.start < toMs) out.push(o);
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Merges sorted-or-not [start, end) intervals that overlap or touch. */
export function unionIntervals(intervals: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

const epochOf = (at: Date, name: string): number => {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} is not a valid Date`);
  return t;
};

/**
 * The occurrences of `ranges` in `zone` overlapping [from, to), clipped to it, sorted by start. Not merged:
 * each keeps the range it came from (touching or overlapping ranges give touching or overlapping intervals).
 */
export function weeklyIntervals(ranges: readonly WeeklyRange[], zone: string, from: Date, to: Date): WeeklyInterval[] {
  const fromMs = epochOf(from, 'from');
  const toMs = epochOf(to, 'to');
  return occurrencesBetween(compileWeeklyRanges(ranges), zone, fromMs, toMs).map((o) => ({
    start: new Date(Math.max(o.start, fromMs)),
    end: new Date(Math.min(o.end, toMs)),
    range: o.range,
  }));
}

/** Is `at` inside the weekly ranges in `zone`, which range, and when does that answer next change? */
export function evaluateWeekly(ranges: readonly WeeklyRange[], zone: string, at: Date): WeeklyEvaluation {
  const t = epochOf(at, 'at');
  const compiled = compileWeeklyRanges(ranges);
  if (compiled.length === 0) return { inside: false, range: null, nextChange: null };
  const containing = occurrencesBetween(compiled, zone, t, t + 1).find((o) => o.start <= t && t < o.end) ?? null;
  const inside = containing !== null;
  if (coversWholeWeekCached(ranges)) return { inside, range: containing?.range ?? null, nextChange: null };
  // Every week has an uncovered wall-clock minute, so a change comes within two weeks (one week's only
  // gap could fall in a skipped DST hour); the growing look-ahead keeps the common case cheap.
  for (const days of [2, 8, 16, SEARCH_HORIZON_DAYS]) {
    const blocks = unionIntervals(occurrencesBetween(compiled, zone, t, t + days * DAY_MS));
    const next = inside
      ? blocks.find((b) => b.start <= t && t < b.end)?.end
      : blocks.find((b) => b.start > t)?.start;
    if (next !== undefined && next < t + days * DAY_MS) return { inside, range: containing?.range ?? null, nextChange: new Date(next) };
  }
  return { inside, range: containing?.range ?? null, nextChange: null };
}
