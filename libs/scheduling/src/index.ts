// Public API of @cc/scheduling: pure, DST-correct time-rule evaluation shared by services.
export { WEEKDAYS, type Weekday, isWeekday, isoWeekdayOf, weekdayOfIso } from './weekday';
export { parseClockTime, formatClockTime, MINUTES_PER_DAY } from './clock-time';
export {
  type LocalDate,
  parseLocalDate,
  formatLocalDate,
  addDays,
  mondayOf,
  isoWeekdayOfDate,
  compareLocalDates,
} from './local-date';
export { isValidZone, normalizeZone, offsetMinutesAt, localMomentOf, type LocalMoment } from './time-zone';
export { wallTimeToEpoch, type WallTimeChoice } from './wall-clock';
export {
  type WeeklyRange,
  type WeeklyRangeIssue,
  type WeeklyRangeIssueCode,
  validateWeeklyRanges,
  mergeWeeklyRanges,
  sortWeeklyRanges,
  sameWeeklyRange,
  coversWholeWeek,
} from './weekly-range';
export {
  type WeeklyInterval,
  type WeeklyEvaluation,
  evaluateWeekly,
  weeklyIntervals,
  SEARCH_HORIZON_DAYS,
} from './weekly-evaluation';
export type {
  ScheduleDefinition,
  ScheduleMode,
  ScheduleTemplate,
  ScheduleRotation,
  ScheduleException,
  ClosedException,
  OpenException,
  ExceptionWhen,
  DatesWhen,
  PeriodWhen,
  RecurringAllDayWhen,
  RecurringTimedWhen,
  DailyHours,
  EmergencyOverride,
} from './schedule-definition';
export {
  evaluateSchedule,
  previewSchedule,
  MAX_PREVIEW_DAYS,
  type DecidedBy,
  type ScheduleEvaluation,
  type EvaluateOptions,
  type PreviewInterval,
} from './schedule-evaluation';
export { templateAt, templateOnDate, rotationWeekIndex, type TemplateInEffect } from './schedule-rotation';
export {
  validateScheduleException,
  validateDailyHours,
  MAX_EXCEPTION_DAYS,
  MAX_EXCEPTION_MINUTES,
  type ExceptionIssue,
  type ExceptionIssueCode,
} from './schedule-exception';
export { validateScheduleDefinition } from './schedule-validation';
export { recurrenceRuleProblem } from './recurrence';
export { parseLocalDateTime, type LocalDateTime } from './local-date-time';
export {
  parseICalendarExceptions,
  EXCEPTION_ID_PATTERN,
  type ICalendarImport,
  type ICalendarImportOptions,
} from './icalendar-import';
