// Is a schedule open at an instant, why, and when does that change; plus the open intervals of a window
// for a UI calendar. Precedence: emergency override > exceptions > 24/7 or the weekly templates.
//
// - Emergency: applies to every instant before `expiresAt` (null: forever), whatever its `at` (a replica's
//   clock may lag the service that set it; an override must not be missed for that).
// - Exceptions: one-offs (`dates`, `period`) beat recurring ones; within each group the later in the list
//   wins. An 'open' exception with `hours` decides its whole window: open in the hours, closed around them.
// - Base: '24/7' is always open; 'custom' uses the template of each local date's rotation week; a range
//   belongs to the date it starts on (a Sunday-night range keeps its week's template after midnight).
// Caches (parsed ranges, rules, exceptions) are keyed on the definition's objects: treat them as immutable.
import { addDays, dayNumberOf, isoWeekdayOfDayNumber, localDateOfDayNumber, mondayOf } from './local-date';
import type { EmergencyOverride, ScheduleDefinition, ScheduleException, ScheduleTemplate } from './schedule-definition';
import { dailyHoursSpans, exceptionSpans, zonedWindow, type ZonedWindow } from './schedule-exception';
import { templateAt, templateOnDate, templateOnDay } from './schedule-rotation';
import { localMomentOf } from './time-zone';
import { wallTimeToEpoch } from './wall-clock';
import { compileWeeklyRanges, occurrencesOnDate, SEARCH_HORIZON_DAYS } from './weekly-evaluation';
import type { WeeklyRange } from './weekly-range';

const DAY_MS = 86_400_000;
/** The first look-ahead for nextTransition; most schedules change within a week. */
const NEAR_WINDOW_MS = 8 * DAY_MS;
/** Longest window previewSchedule accepts. */
export const MAX_PREVIEW_DAYS = SEARCH_HORIZON_DAYS;

/** What decided the answer. */
export type DecidedBy =
  | { kind: 'emergency'; state: 'open' | 'closed'; label: string; expiresAt: string | null }
  | { kind: 'exception'; exceptionId: string; label: string; effect: 'open' | 'closed' }
  | { kind: '24/7' }
  | { kind: 'rule'; templateId: string; templateName: string; range: WeeklyRange }
  | { kind: 'no-rule'; templateId: string | null; templateName: string | null };

export type ScheduleEvaluation = {
  open: boolean;
  decidedBy: DecidedBy;
  /** The next instant `open` flips (searching up to SEARCH_HORIZON_DAYS ahead); null if it never does. */
  nextTransition: Date | null;
  /** The rotation week of `at` (custom mode with rotation active). */
  week?: { index: number; templateId: string };
};

export type EvaluateOptions = {
  /** Skip the look-ahead when only `open` is needed (the call-router's hot path). Default true. */
  nextTransition?: boolean;
};

export type PreviewInterval = { start: Date; end: Date; decidedBy: DecidedBy };

type Segment = { start: number; end: number; open: boolean; decidedBy: DecidedBy };

const epochOf = (at: Date, name: string): number => {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} is not a valid Date`);
  return t;
};

/** The override in force at `atMs`, if any (an unparsable expiry counts as none: it never expires). */
function emergencyAt(emergency: EmergencyOverride | null, atMs: number): { override: EmergencyOverride; untilMs: number } | null {
  if (!emergency) return null;
  const expires = emergency.expiresAt === null ? Number.NaN : Date.parse(emergency.expiresAt);
  const untilMs = Number.isNaN(expires) ? Number.POSITIVE_INFINITY : expires;
  return atMs < untilMs ? { override: emergency, untilMs } : null;
}

/** Replaces whatever [s, e) held with one segment. `segs` is sorted and contiguous. */
function overlay(segs: Segment[], s: number, e: number, open: boolean, decidedBy: DecidedBy): Segment[] {
  if (e <= s) return segs;
  const before: Segment[] = [];
  const after: Segment[] = [];
  for (const seg of segs) {
    if (seg.end <= s) before.push(seg);
    else if (seg.start >= e) after.push(seg);
    else {
      if (seg.start < s) before.push({ ...seg, end: s });
      if (seg.end > e) after.push({ ...seg, start: e });
    }
  }
  return [...before, { start: s, end: e, open, decidedBy }, ...after];
}

function noRule(template: ScheduleTemplate | null): DecidedBy {
  return { kind: 'no-rule', templateId: template?.templateId ?? null, templateName: template?.name ?? null };
}

/** The weekly-rule layer of a custom schedule over [fromMs, toMs): rule occurrences and the gaps between. */
function customSegments(def: ScheduleDefinition, fromMs: number, toMs: number): Segment[] {
  const zone = def.timezone;
  const occurrences: { start: number; end: number; template: ScheduleTemplate; range: WeeklyRange }[] = [];
  const firstDay = dayNumberOf(localMomentOf(fromMs, zone)) - 2;
  const lastDay = dayNumberOf(localMomentOf(toMs, zone));
  for (let n = firstDay; n <= lastDay; n++) {
    const inEffect = templateOnDay(def, n);
    if (!inEffect) continue;
    const template = inEffect.template;
    const ranges = compileWeeklyRanges(template.ranges);
    if (ranges.length === 0) continue;
    for (const o of occurrencesOnDate(ranges, localDateOfDayNumber(n), isoWeekdayOfDayNumber(n), zone)) occurrences.push({ ...o, template });
  }
  occurrences.sort((a, b) => a.start - b.start || a.end - b.end);

  const rotates = def.rotation?.active === true && def.templates.length > 1;
  const segs: Segment[] = [];
  const pushGap = (a: number, b: number): void => {
    // A closed stretch is attributed to the template of its week, so split it where the rotation turns.
    while (a < b) {
      const local = localMomentOf(a, zone);
      const inEffect = templateOnDate(def, local);
      const nextMonday = rotates ? wallTimeToEpoch(addDays(mondayOf(local), 7), 0, zone, 'earliest') : Number.POSITIVE_INFINITY;
      const end = Math.min(b, nextMonday);
      segs.push({ start: a, end, open: false, decidedBy: noRule(inEffect?.template ?? null) });
      a = end;
    }
  };
  let cursor = fromMs;
  for (const o of occurrences) {
    const s = Math.max(o.start, cursor);
    const e = Math.min(o.end, toMs);
    if (e <= s) continue;
    if (s > cursor) pushGap(cursor, s);
    segs.push({ start: s, end: e, open: true, decidedBy: { kind: 'rule', templateId: o.template.templateId, templateName: o.template.name, range: o.range } });
    cursor = e;
  }
  if (cursor < toMs) pushGap(cursor, toMs);
  return segs;
}

/** Recurring exceptions first, then one-offs, each group in list order: later overlays win. */
function byPrecedence(exceptions: readonly ScheduleException[]): ScheduleException[] {
  const recurring = exceptions.filter((e) => e.when.kind === 'recurring-all-day' || e.when.kind === 'recurring-timed');
  const oneOff = exceptions.filter((e) => e.when.kind === 'dates' || e.when.kind === 'period');
  return [...recurring, ...oneOff];
}

function applyException(segs: Segment[], ex: ScheduleException, window: ZonedWindow): Segment[] {
  const { zone, fromMs, toMs } = window;
  const decidedBy: DecidedBy = { kind: 'exception', exceptionId: ex.exceptionId, label: ex.label, effect: ex.effect };
  let out = segs;
  for (const span of exceptionSpans(ex.when, window)) {
    const s = Math.max(span.start, fromMs);
    const e = Math.min(span.end, toMs);
    switch (ex.effect) {
      case 'closed':
        out = overlay(out, s, e, false, decidedBy);
        break;
      case 'open':
        if (ex.hours === null) {
          out = overlay(out, s, e, true, decidedBy);
        } else {
          out = overlay(out, s, e, false, decidedBy);
          for (const h of dailyHoursSpans(ex.hours, zone, s, e)) out = overlay(out, Math.max(h.start, s), Math.min(h.end, e), true, decidedBy);
        }
        break;
      default: {
        const _exhaustive: never = ex;
        throw new Error(`unknown exception effect ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return out;
}

const sameDecision = (a: Segment, b: Segment): boolean => a.open === b.open && JSON.stringify(a.decidedBy) === JSON.stringify(b.decidedBy);

/** The whole answer over [fromMs, toMs): sorted, contiguous segments, adjacent equal ones joined. */
function timeline(def: ScheduleDefinition, fromMs: number, toMs: number): Segment[] {
  let segs: Segment[] =
    def.mode === '24/7' ? [{ start: fromMs, end: toMs, open: true, decidedBy: { kind: '24/7' } }] : customSegments(def, fromMs, toMs);
  if (def.exceptions.length > 0) {
    const window = zonedWindow(def.timezone, fromMs, toMs);
    for (const ex of byPrecedence(def.exceptions)) segs = applyException(segs, ex, window);
  }
  const emergency = emergencyAt(def.emergency, fromMs);
  if (emergency) {
    const { override, untilMs } = emergency;
    segs = overlay(segs, fromMs, Math.min(toMs, untilMs), override.state === 'open', {
      kind: 'emergency',
      state: override.state,
      label: override.reason,
      expiresAt: override.expiresAt,
    });
  }
  const joined: Segment[] = [];
  for (const seg of segs) {
    const last = joined[joined.length - 1];
    if (last && last.end === seg.start && sameDecision(last, seg)) last.end = seg.end;
    else joined.push({ ...seg });
  }
  return joined;
}

/** True when nothing can ever change the answer (saves the long look-ahead). */
function neverChanges(def: ScheduleDefinition, atMs: number): boolean {
  const emergency = emergencyAt(def.emergency, atMs);
  if (emergency) return emergency.untilMs === Number.POSITIVE_INFINITY;
  return def.mode === '24/7' && def.exceptions.length === 0;
}

/**
 * Evaluates a schedule at `at`: open or closed, what decided it, the next transition, the rotation week.
 * Pure: `at` is the only notion of "now". Throws RangeError for an unknown zone or an invalid Date.
 */
export function evaluateSchedule(def: ScheduleDefinition, at: Date, options: EvaluateOptions = {}): ScheduleEvaluation {
  const t = epochOf(at, 'at');
  const wantNext = options.nextTransition !== false;
  const near = timeline(def, t, t + (wantNext ? NEAR_WINDOW_MS : 60_000));
  const head = near[0]!;
  let nextTransition: Date | null = null;
  if (wantNext) {
    let flip = near.find((s) => s.open !== head.open);
    if (!flip && !neverChanges(def, t)) {
      flip = timeline(def, t + NEAR_WINDOW_MS, t + SEARCH_HORIZON_DAYS * DAY_MS).find((s) => s.open !== head.open);
    }
    nextTransition = flip ? new Date(flip.start) : null;
  }
  const result: ScheduleEvaluation = { open: head.open, decidedBy: head.decidedBy, nextTransition };
  if (def.mode === 'custom' && def.rotation?.active) {
    const inEffect = templateAt(def, at);
    if (inEffect && inEffect.weekIndex !== null) result.week = { index: inEffect.weekIndex, templateId: inEffect.template.templateId };
  }
  return result;
}

/**
 * The open intervals within [from, to) with what opened each (clipped to the window), for a calendar view.
 * An emergency override in force at `from` is applied from `from` until it expires.
 */
export function previewSchedule(def: ScheduleDefinition, from: Date, to: Date): PreviewInterval[] {
  const fromMs = epochOf(from, 'from');
  const toMs = epochOf(to, 'to');
  if (toMs <= fromMs) return [];
  if (toMs - fromMs > MAX_PREVIEW_DAYS * DAY_MS) throw new RangeError(`preview window longer than ${MAX_PREVIEW_DAYS} days`);
  return timeline(def, fromMs, toMs)
    .filter((s) => s.open)
    .map((s) => ({ start: new Date(s.start), end: new Date(s.end), decidedBy: s.decidedBy }));
}
