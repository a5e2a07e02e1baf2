// Weekly wall-clock ranges ("mon 09:00-17:00"): the building block of working hours, schedule
// templates and open-hours exceptions. Validation and normalisation live here, evaluation in weekly-evaluation.ts.
import type { FieldError } from '@cc/contracts';
import { formatClockTime, MINUTES_PER_DAY, parseClockTime } from './clock-time';
import { isWeekday, WEEKDAYS, type Weekday } from './weekday';

/**
 * One weekly range in local wall-clock time. `end <= start` means it crosses midnight into the next day
 * (`sun 22:00-02:00` ends Monday 02:00); `end` may be '24:00'. `start == end` is invalid.
 * @example { day: 'mon', start: '09:00', end: '17:30' }
 */
export type WeeklyRange = { day: Weekday; start: string; end: string };

export type WeeklyRangeIssueCode = 'INVALID_DAY' | 'INVALID_TIME' | 'START_EQUALS_END' | 'OVERLAP';

/** A FieldError with a machine-readable reason, so callers can pick their error code. */
export type WeeklyRangeIssue = FieldError & { code: WeeklyRangeIssueCode };

export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A range as minutes since Monday 00:00: [start, end) with start < end <= start + 1440 (end may pass 10080). */
export type WeekSpan = { start: number; end: number };

/** The week span of a well-formed range, or null if it is malformed. */
export function weekSpanOf(range: WeeklyRange): WeekSpan | null {
  if (!isWeekday(range.day)) return null;
  const start = parseClockTime(range.start);
  const end = parseClockTime(range.end, true);
  if (start === null || end === null || start === end) return null;
  const dayStart = WEEKDAYS.indexOf(range.day) * MINUTES_PER_DAY;
  return { start: dayStart + start, end: dayStart + (end > start ? end : end + MINUTES_PER_DAY) };
}

/** Splits a span that runs past Sunday midnight into pieces inside [0, 10080). */
function piecesOf(span: WeekSpan): WeekSpan[] {
  if (span.end <= MINUTES_PER_WEEK) return [span];
  return [
    { start: span.start, end: MINUTES_PER_WEEK },
    { start: 0, end: span.end - MINUTES_PER_WEEK },
  ];
}

const describe = (r: WeeklyRange): string => `${r.day} ${r.start}-${r.end}`;

/**
 * Problems with a list of weekly ranges, each with a field path under `path` (default 'ranges'):
 * malformed day or time (`ranges[1].start`), start equal to end (`ranges[2].end`), and overlaps,
 * including those created by a range crossing midnight (reported on the later range, `ranges[3]`).
 * Adjacent ranges (mon 09:00-12:00 and mon 12:00-17:00) do not overlap.
 */
export function validateWeeklyRanges(ranges: readonly WeeklyRange[], path = 'ranges'): WeeklyRangeIssue[] {
  const issues: WeeklyRangeIssue[] = [];
  const spans: { index: number; pieces: WeekSpan[] }[] = [];
  ranges.forEach((range, index) => {
    const at = `${path}[${index}]`;
    if (range === null || typeof range !== 'object') {
      issues.push({ path: at, message: 'must be { day, start, end }', code: 'INVALID_DAY' });
      return;
    }
    let wellFormed = true;
    if (!isWeekday(range.day)) {
      issues.push({ path: `${at}.day`, message: `must be one of ${WEEKDAYS.join(', ')}`, code: 'INVALID_DAY' });
      wellFormed = false;
    }
    const start = parseClockTime(range.start);
    const end = parseClockTime(range.end, true);
    if (start === null) {
      issues.push({ path: `${at}.start`, message: 'must be HH:mm between 00:00 and 23:59', code: 'INVALID_TIME' });
      wellFormed = false;
    }
    if (end === null) {
      issues.push({ path: `${at}.end`, message: 'must be HH:mm between 00:00 and 24:00', code: 'INVALID_TIME' });
      wellFormed = false;
    }
    if (start !== null && end !== null && start === end) {
      issues.push({ path: `${at}.end`, message: 'must differ from start (a range cannot be empty)', code: 'START_EQUALS_END' });
      wellFormed = false;
    }
    const span = wellFormed ? weekSpanOf(range) : null;
    if (span) spans.push({ index, pieces: piecesOf(span) });
  });
  for (let j = 1; j < spans.length; j++) {
    const later = spans[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = spans[i]!;
      const overlaps = later.pieces.some((a) => earlier.pieces.some((b) => a.start < b.end && b.start < a.end));
      if (overlaps) {
        issues.push({
          path: `${path}[${later.index}]`,
          message: `overlaps ${path}[${earlier.index}] (${describe(ranges[earlier.index]!)})`,
          code: 'OVERLAP',
        });
        break;
      }
    }
  }
  return issues;
}

/** Unions week spans (overlapping or touching), circularly: a block may wrap past Sunday midnight. */
export function unionWeekSpans(spans: readonly WeekSpan[]): WeekSpan[] {
  const pieces = spans.flatMap(piecesOf).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: WeekSpan[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push({ ...p });
  }
  if (merged.length === 1 && merged[0]!.start === 0 && merged[0]!.end === MINUTES_PER_WEEK) return merged;
  // Join a block ending at Sunday 24:00 with one starting Monday 00:00.
  const first = merged[0];
  const last = merged[merged.length - 1];
  if (merged.length > 1 && first && last && first.start === 0 && last.end === MINUTES_PER_WEEK) {
    merged.shift();
    last.end = MINUTES_PER_WEEK + first.end;
  }
  return merged;
}

/** True if the ranges cover every minute of the week (then they are always "inside"). */
export function coversWholeWeek(ranges: readonly WeeklyRange[]): boolean {
  const union = unionWeekSpans(ranges.map(weekSpanOf).filter((s): s is WeekSpan => s !== null));
  return union.length === 1 && union[0]!.end - union[0]!.start >= MINUTES_PER_WEEK;
}

function rangeAt(start: number, end: number): WeeklyRange {
  const dayIndex = Math.floor(start / MINUTES_PER_DAY) % 7;
  const startMinute = start % MINUTES_PER_DAY;
  const endMinute = end - (start - startMinute);
  return {
    day: WEEKDAYS[dayIndex]!,
    start: formatClockTime(startMinute),
    end: endMinute === MINUTES_PER_DAY ? '24:00' : formatClockTime(endMinute % MINUTES_PER_DAY),
  };
}

/**
 * Merges overlapping and adjacent ranges (malformed ones are dropped: validate first) into the fewest
 * ranges, sorted Monday first. A merged block shorter than a day stays one range even if it crosses
 * midnight (`mon 22:00-02:00`); longer blocks are cut at midnights (`mon 09:00-24:00`, `tue 00:00-10:00`).
 * A whole week becomes seven `00:00-24:00` ranges.
 */
export function mergeWeeklyRanges(ranges: readonly WeeklyRange[]): WeeklyRange[] {
  const blocks = unionWeekSpans(ranges.map(weekSpanOf).filter((s): s is WeekSpan => s !== null));
  const out: WeeklyRange[] = [];
  for (const block of blocks) {
    const length = block.end - block.start;
    if (length < MINUTES_PER_DAY || (length === MINUTES_PER_DAY && block.start % MINUTES_PER_DAY === 0)) {
      out.push(rangeAt(block.start, block.end));
      continue;
    }
    let cursor = block.start;
    while (cursor < block.end) {
      const nextMidnight = (Math.floor(cursor / MINUTES_PER_DAY) + 1) * MINUTES_PER_DAY;
      const pieceEnd = Math.min(block.end, nextMidnight);
      out.push(rangeAt(cursor, pieceEnd));
      cursor = pieceEnd;
    }
  }
  return sortWeeklyRanges(out);
}

/** Sorts ranges Monday first, then by start time, then by end (stable for display and comparison). */
export function sortWeeklyRanges(ranges: readonly WeeklyRange[]): WeeklyRange[] {
  const key = (r: WeeklyRange): number => WEEKDAYS.indexOf(r.day) * MINUTES_PER_DAY + (parseClockTime(r.start) ?? 0);
  return [...ranges].sort((a, b) => key(a) - key(b) || a.end.localeCompare(b.end));
}

/** Same range (day, start and end; '00:00' and '24:00' ends are the same instant of the next day). */
export function sameWeeklyRange(a: WeeklyRange, b: WeeklyRange): boolean {
  const sa = weekSpanOf(a);
  const sb = weekSpanOf(b);
  if (!sa || !sb) return a.day === b.day && a.start === b.start && a.end === b.end;
  return sa.start === sb.start && sa.end === sb.end;
}
