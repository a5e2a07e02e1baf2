// Which weekly template is in effect on a local date: week-by-week rotation counted on calendar dates
// from the anchor's local Monday, so year boundaries (ISO week 52/53/1) and DST days never shift it.
import { dayNumberOf, isoWeekdayOfDayNumber, mondayOf, parseLocalDate, type LocalDate } from './local-date';
import type { ScheduleDefinition, ScheduleRotation, ScheduleTemplate } from './schedule-definition';
import { localMomentOf } from './time-zone';

export type TemplateInEffect = {
  template: ScheduleTemplate;
  /** Rotation week index (0 = the anchor's week, negative before it); null when rotation is off. */
  weekIndex: number | null;
};

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** Weeks from the local week containing `anchorDate` to the local week containing `date`. */
export function rotationWeekIndex(anchorDate: LocalDate, date: LocalDate): number {
  return Math.round((dayNumberOf(mondayOf(date)) - dayNumberOf(mondayOf(anchorDate))) / 7);
}

/**
 * The template in effect on local date `date` (custom mode's base rules; 24/7 mode ignores it).
 * Rotation active with N templates: week k uses templates[(k + indexOf(firstTemplateId)) mod N].
 * Rotation off (or absent): `firstTemplateId` if it names a template, else the first template.
 * Null when there is no template.
 */
export function templateOnDate(def: Pick<ScheduleDefinition, 'templates' | 'rotation'>, date: LocalDate): TemplateInEffect | null {
  return templateOnDay(def, dayNumberOf(date));
}

/** Day number of the Monday of the anchor's week (cached per rotation object); null if inactive or malformed. */
const anchorMondays = new WeakMap<ScheduleRotation, number | null>();
function anchorMondayOf(rotation: ScheduleRotation): number | null {
  let monday = anchorMondays.get(rotation);
  if (monday === undefined) {
    const anchor = parseLocalDate(rotation.anchorDate);
    monday = anchor ? dayNumberOf(mondayOf(anchor)) : null;
    anchorMondays.set(rotation, monday);
  }
  return monday;
}

/** templateOnDate for a day number (days since 1970-01-01), the evaluator's inner loop. */
export function templateOnDay(def: Pick<ScheduleDefinition, 'templates' | 'rotation'>, dayNumber: number): TemplateInEffect | null {
  const { templates, rotation } = def;
  if (templates.length === 0) return null;
  const firstIndex = Math.max(0, rotation ? templates.findIndex((t) => t.templateId === rotation.firstTemplateId) : 0);
  const anchorMonday = rotation?.active ? anchorMondayOf(rotation) : null;
  if (anchorMonday === null) return { template: templates[firstIndex]!, weekIndex: null };
  const weekIndex = Math.round((dayNumber - (isoWeekdayOfDayNumber(dayNumber) - 1) - anchorMonday) / 7);
  return { template: templates[mod(weekIndex + firstIndex, templates.length)]!, weekIndex };
}

/** The template in effect at an instant (its local date in the schedule's zone). */
export function templateAt(def: Pick<ScheduleDefinition, 'templates' | 'rotation' | 'timezone'>, at: Date): TemplateInEffect | null {
  return templateOnDate(def, localMomentOf(at.getTime(), def.timezone));
}
