// The schedule service's stable error codes and the kind (HTTP status) each always maps to.
import type { ErrorKind } from '../domain-error';

export const SCHEDULE_ERRORS = {
  /** No schedule with this id in the tenant. */
  NOT_FOUND: { code: 'SCHEDULE.NOT_FOUND', kind: 'not_found' },
  /** The schedule was deleted; its id cannot be reused. */
  DELETED: { code: 'SCHEDULE.DELETED', kind: 'gone' },
  /** CreateSchedule for an id that exists. */
  ALREADY_EXISTS: { code: 'SCHEDULE.ALREADY_EXISTS', kind: 'conflict' },
  /** `timezone` is not an IANA zone the runtime knows. */
  UNKNOWN_ZONE: { code: 'SCHEDULE.UNKNOWN_ZONE', kind: 'validation' },
  /** A name, label or reason is empty. */
  INVALID_NAME: { code: 'SCHEDULE.INVALID_NAME', kind: 'validation' },
  /** A time slot's day or time is malformed. Path e.g. `ranges[1].start`. */
  INVALID_TIME: { code: 'SCHEDULE.INVALID_TIME', kind: 'validation' },
  /** A time slot with start == end. Path e.g. `ranges[2].end`. */
  START_EQUALS_END: { code: 'SCHEDULE.START_EQUALS_END', kind: 'validation' },
  /** Time slots of one template overlap (also across midnight). Path of the later slot, e.g. `ranges[3]`. */
  OVERLAPPING_SLOTS: { code: 'SCHEDULE.OVERLAPPING_SLOTS', kind: 'validation' },
  /** AddTimeSlot beyond MAX_RANGES_PER_TEMPLATE. */
  TOO_MANY_SLOTS: { code: 'SCHEDULE.TOO_MANY_SLOTS', kind: 'conflict' },
  /** RemoveTimeSlot for a slot the template does not have. */
  SLOT_NOT_FOUND: { code: 'SCHEDULE.SLOT_NOT_FOUND', kind: 'not_found' },
  TEMPLATE_NOT_FOUND: { code: 'SCHEDULE.TEMPLATE_NOT_FOUND', kind: 'not_found' },
  TEMPLATE_EXISTS: { code: 'SCHEDULE.TEMPLATE_EXISTS', kind: 'conflict' },
  /** DeleteTemplate of the template in effect now (custom mode) without `force`. details: `{ weekIndex }`. */
  TEMPLATE_IN_USE: { code: 'SCHEDULE.TEMPLATE_IN_USE', kind: 'conflict' },
  /** DeleteTemplate of the only template of a custom schedule (switch to 24/7 or add one first). */
  LAST_TEMPLATE: { code: 'SCHEDULE.LAST_TEMPLATE', kind: 'conflict' },
  /** AddTemplate beyond MAX_TEMPLATES. */
  TOO_MANY_TEMPLATES: { code: 'SCHEDULE.TOO_MANY_TEMPLATES', kind: 'conflict' },
  /** Rotation anchor is not a calendar date. */
  INVALID_ANCHOR: { code: 'SCHEDULE.INVALID_ANCHOR', kind: 'validation' },
  /** An exception's dates, times, duration or hours are invalid. */
  INVALID_EXCEPTION: { code: 'SCHEDULE.INVALID_EXCEPTION', kind: 'validation' },
  /** An exception's RRULE cannot be used (syntax, BYHOUR, sub-daily FREQ). Path `exception.when.rrule`. */
  INVALID_RRULE: { code: 'SCHEDULE.INVALID_RRULE', kind: 'validation' },
  /** AddException with an id in use for a different exception. */
  EXCEPTION_EXISTS: { code: 'SCHEDULE.EXCEPTION_EXISTS', kind: 'conflict' },
  EXCEPTION_NOT_FOUND: { code: 'SCHEDULE.EXCEPTION_NOT_FOUND', kind: 'not_found' },
  /** An emergency override whose expiry is not after `now`. */
  EXPIRY_IN_PAST: { code: 'SCHEDULE.EXPIRY_IN_PAST', kind: 'validation' },
} as const satisfies Record<string, { code: `SCHEDULE.${string}`; kind: ErrorKind }>;

export type ScheduleErrorCode = (typeof SCHEDULE_ERRORS)[keyof typeof SCHEDULE_ERRORS]['code'];
