// The schedule aggregate (stream `schedule-{tenant}-{scheduleId}`): mode, weekly templates, rotation,
// exceptions and emergency override. Pure decide/evolve; every event carries the whole resulting schedule.
import { isDeepStrictEqual } from 'node:util';
import {
  DomainError,
  MAX_RANGES_PER_TEMPLATE,
  MAX_TEMPLATES,
  SCHEDULE_ERRORS as E,
  type Decider,
  type FieldError,
  type ScheduleDefinitionData,
  type ScheduleEvent,
  type ScheduleEventData,
  type ScheduleEventType,
} from '@cc/contracts';
import {
  formatLocalDate,
  localMomentOf,
  mondayOf,
  normalizeZone,
  parseLocalDate,
  sameWeeklyRange,
  sortWeeklyRanges,
  templateAt,
  validateScheduleException,
  validateWeeklyRanges,
  type ExceptionIssue,
  type ScheduleDefinition,
  type ScheduleException,
  type ScheduleMode,
  type ScheduleRotation,
  type WeeklyRange,
  type WeeklyRangeIssue,
} from '@cc/scheduling';

// Compile-time proof that the evaluator's type and the wire schema describe the same definition.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _definitionShapesMatch: SameShape<ScheduleDefinition, ScheduleDefinitionData> = true;
void _definitionShapesMatch;

export type ScheduleState =
  /** No event yet. */
  | { status: 'none' }
  | { status: 'active'; schedule: ScheduleDefinition }
  /** Deleted: kept for audit; the id cannot be reused and every command is refused with 410. */
  | { status: 'deleted'; schedule: ScheduleDefinition };

type CommandBase = {
  /** When the command is handled (the adapter's clock): rotation week, override expiry. */
  now: Date;
  /** Who asks (`user:...`), recorded as the emergency override's `by`. */
  actor: string | null;
};

export type CreateSchedule = CommandBase & {
  type: 'CreateSchedule';
  tenantId: string;
  scheduleId: string;
  name: string;
  timezone: string;
  mode: ScheduleMode;
};
export type RenameSchedule = CommandBase & { type: 'RenameSchedule'; name: string };
export type ChangeScheduleTimezone = CommandBase & { type: 'ChangeScheduleTimezone'; timezone: string };
export type SetScheduleMode = CommandBase & { type: 'SetScheduleMode'; mode: ScheduleMode };
export type AddTemplate = CommandBase & { type: 'AddTemplate'; templateId: string; name: string; ranges: WeeklyRange[] };
export type RenameTemplate = CommandBase & { type: 'RenameTemplate'; templateId: string; name: string };
export type SetTemplateRanges = CommandBase & { type: 'SetTemplateRanges'; templateId: string; ranges: WeeklyRange[] };
export type AddTimeSlot = CommandBase & { type: 'AddTimeSlot'; templateId: string; range: WeeklyRange };
export type RemoveTimeSlot = CommandBase & { type: 'RemoveTimeSlot'; templateId: string; range: WeeklyRange };
/** `force`: allow deleting the template in effect now (its successor takes over). */
export type DeleteTemplate = CommandBase & { type: 'DeleteTemplate'; templateId: string; force: boolean };
export type ActivateRotation = CommandBase & { type: 'ActivateRotation'; anchorDate: string; firstTemplateId: string };
export type DeactivateRotation = CommandBase & { type: 'DeactivateRotation' };
export type AddException = CommandBase & { type: 'AddException'; exception: ScheduleException };
export type RemoveException = CommandBase & { type: 'RemoveException'; exceptionId: string };
/** Merge already-parsed exceptions (a holiday calendar): known ids replaced in place, new ones appended. */
export type ImportExceptions = CommandBase & { type: 'ImportExceptions'; exceptions: ScheduleException[]; source: string | null };
export type SetEmergencyOverride = CommandBase & {
  type: 'SetEmergencyOverride';
  state: 'closed' | 'open';
  reason: string;
  expiresAt: Date | null;
};
export type ClearEmergencyOverride = CommandBase & { type: 'ClearEmergencyOverride' };
export type DeleteSchedule = CommandBase & { type: 'DeleteSchedule' };

export type ScheduleCommand =
  | CreateSchedule
  | RenameSchedule
  | ChangeScheduleTimezone
  | SetScheduleMode
  | AddTemplate
  | RenameTemplate
  | SetTemplateRanges
  | AddTimeSlot
  | RemoveTimeSlot
  | DeleteTemplate
  | ActivateRotation
  | DeactivateRotation
  | AddException
  | RemoveException
  | ImportExceptions
  | SetEmergencyOverride
  | ClearEmergencyOverride
  | DeleteSchedule;

type ErrorDef = (typeof E)[keyof typeof E];
const fail = (def: ErrorDef, message: string, errors: FieldError[] = [], details: Record<string, unknown> = {}): never => {
  throw new DomainError(def.code, def.kind, message, errors, details);
};
const strip = ({ path, message }: FieldError): FieldError => ({ path, message });

export const initialState = (): ScheduleState => ({ status: 'none' });

export function evolve(state: ScheduleState, event: ScheduleEvent): ScheduleState {
  switch (event.type) {
    case 'ScheduleDeleted':
      return { status: 'deleted', schedule: event.data.schedule };
    case 'ScheduleCreated':
    case 'ScheduleRenamed':
    case 'ScheduleTimezoneChanged':
    case 'ScheduleModeSet':
    case 'ScheduleTemplateAdded':
    case 'ScheduleTemplateRenamed':
    case 'ScheduleTemplateRangesSet':
    case 'ScheduleTimeSlotAdded':
    case 'ScheduleTimeSlotRemoved':
    case 'ScheduleTemplateDeleted':
    case 'ScheduleRotationActivated':
    case 'ScheduleRotationDeactivated':
    case 'ScheduleExceptionAdded':
    case 'ScheduleExceptionRemoved':
    case 'ScheduleExceptionsImported':
    case 'ScheduleEmergencyOverrideSet':
    case 'ScheduleEmergencyOverrideCleared':
      // Event-carried state: the event holds the whole resulting schedule.
      return state.status === 'deleted' ? state : { status: 'active', schedule: event.data.schedule };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function decide(command: ScheduleCommand, state: ScheduleState): ScheduleEvent[] {
  switch (state.status) {
    case 'none':
      if (command.type === 'CreateSchedule') return create(command);
      return fail(E.NOT_FOUND, 'schedule not found', [], { command: command.type });
    case 'deleted':
      return fail(E.DELETED, `schedule ${state.schedule.scheduleId} was deleted`, [], { command: command.type });
    case 'active':
      return decideActive(command, state.schedule);
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

export const scheduleDecider: Decider<ScheduleState, ScheduleCommand, ScheduleEvent> = { initialState, evolve, decide };

// --------------------------------------------------------------------------------------------- helpers

/** Builds an event whose data is the change fields plus the whole resulting schedule. */
function emit<T extends ScheduleEventType>(type: T, data: ScheduleEventData<T>): ScheduleEvent[] {
  return [{ type, data } as Extract<ScheduleEvent, { type: T }>];
}

function requireName(name: string, path: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') fail(E.INVALID_NAME, `${path} must not be empty`, [{ path, message: 'must not be empty' }]);
  return trimmed;
}

function requireZone(timezone: string): string {
  const zone = normalizeZone(timezone);
  if (zone === null) return fail(E.UNKNOWN_ZONE, `unknown IANA time zone "${timezone}"`, [{ path: 'timezone', message: `unknown IANA time zone "${timezone}"` }]);
  return zone;
}

const RANGE_ERROR: Record<WeeklyRangeIssue['code'], ErrorDef> = {
  INVALID_DAY: E.INVALID_TIME,
  INVALID_TIME: E.INVALID_TIME,
  START_EQUALS_END: E.START_EQUALS_END,
  OVERLAP: E.OVERLAPPING_SLOTS,
};

/** Throws the first issue's code with every issue's path, if any. */
function rejectRangeIssues(issues: WeeklyRangeIssue[]): void {
  const first = issues[0];
  if (first) fail(RANGE_ERROR[first.code], `invalid time slots: ${first.path} ${first.message}`, issues.map(strip));
}

function rejectExceptionIssues(issues: ExceptionIssue[]): void {
  const first = issues[0];
  if (!first) return;
  const def = issues.some((i) => i.code === 'INVALID_RRULE') ? E.INVALID_RRULE : first.code === 'INVALID_LABEL' ? E.INVALID_NAME : E.INVALID_EXCEPTION;
  fail(def, `invalid exception: ${first.path} ${first.message}`, issues.map(strip));
}

function findTemplate(schedule: ScheduleDefinition, templateId: string, path = 'templateId') {
  const index = schedule.templates.findIndex((t) => t.templateId === templateId);
  if (index < 0) fail(E.TEMPLATE_NOT_FOUND, `template ${templateId} not found`, [{ path, message: `no template "${templateId}"` }]);
  return { index, template: schedule.templates[index]! };
}

const withTemplateRanges = (schedule: ScheduleDefinition, index: number, ranges: WeeklyRange[]): ScheduleDefinition => ({
  ...schedule,
  templates: schedule.templates.map((t, i) => (i === index ? { ...t, ranges } : t)),
});

/** The local Monday of `now`'s week in the schedule's zone: where a re-anchored rotation starts. */
const thisMonday = (schedule: ScheduleDefinition, now: Date): string => formatLocalDate(mondayOf(localMomentOf(now.getTime(), schedule.timezone)));

// -------------------------------------------------------------------------------------------- commands

function create(c: CreateSchedule): ScheduleEvent[] {
  const schedule: ScheduleDefinition = {
    scheduleId: c.scheduleId,
    tenantId: c.tenantId,
    name: requireName(c.name, 'name'),
    timezone: requireZone(c.timezone),
    mode: c.mode,
    templates: [],
    rotation: null,
    exceptions: [],
    emergency: null,
  };
  return emit('ScheduleCreated', { schedule });
}

function decideActive(c: ScheduleCommand, s: ScheduleDefinition): ScheduleEvent[] {
  switch (c.type) {
    case 'CreateSchedule':
      return fail(E.ALREADY_EXISTS, `schedule ${s.scheduleId} already exists`, [{ path: 'scheduleId', message: 'already exists' }]);

    case 'RenameSchedule': {
      const name = requireName(c.name, 'name');
      if (name === s.name) return [];
      return emit('ScheduleRenamed', { name, previousName: s.name, schedule: { ...s, name } });
    }

    case 'ChangeScheduleTimezone': {
      const timezone = requireZone(c.timezone);
      if (timezone === s.timezone) return [];
      return emit('ScheduleTimezoneChanged', { timezone, previousTimezone: s.timezone, schedule: { ...s, timezone } });
    }

    case 'SetScheduleMode':
      if (c.mode === s.mode) return [];
      return emit('ScheduleModeSet', { mode: c.mode, previousMode: s.mode, schedule: { ...s, mode: c.mode } });

    case 'AddTemplate': {
      if (s.templates.some((t) => t.templateId === c.templateId)) {
        return fail(E.TEMPLATE_EXISTS, `template ${c.templateId} already exists`, [{ path: 'templateId', message: 'already exists' }]);
      }
      if (s.templates.length >= MAX_TEMPLATES) return fail(E.TOO_MANY_TEMPLATES, `a schedule has at most ${MAX_TEMPLATES} templates`);
      const name = requireName(c.name, 'name');
      rejectRangeIssues(validateWeeklyRanges(c.ranges, 'ranges'));
      const template = { templateId: c.templateId, name, ranges: sortWeeklyRanges(c.ranges) };
      return emit('ScheduleTemplateAdded', { template, schedule: { ...s, templates: [...s.templates, template] } });
    }

    case 'RenameTemplate': {
      const { index, template } = findTemplate(s, c.templateId);
      const name = requireName(c.name, 'name');
      if (name === template.name) return [];
      const templates = s.templates.map((t, i) => (i === index ? { ...t, name } : t));
      return emit('ScheduleTemplateRenamed', { templateId: c.templateId, name, previousName: template.name, schedule: { ...s, templates } });
    }

    case 'SetTemplateRanges': {
      const { index, template } = findTemplate(s, c.templateId);
      rejectRangeIssues(validateWeeklyRanges(c.ranges, 'ranges'));
      const ranges = sortWeeklyRanges(c.ranges);
      if (isDeepStrictEqual(ranges, template.ranges)) return [];
      return emit('ScheduleTemplateRangesSet', { templateId: c.templateId, ranges, schedule: withTemplateRanges(s, index, ranges) });
    }

    case 'AddTimeSlot': {
      const { index, template } = findTemplate(s, c.templateId);
      rejectRangeIssues(validateWeeklyRanges([c.range], 'range').map((i) => ({ ...i, path: i.path.replace(/^range\[0\]/, 'range') })));
      if (template.ranges.some((r) => sameWeeklyRange(r, c.range))) return [];
      if (template.ranges.length >= MAX_RANGES_PER_TEMPLATE) {
        return fail(E.TOO_MANY_SLOTS, `a template has at most ${MAX_RANGES_PER_TEMPLATE} time slots`);
      }
      // Check the new slot against the existing ones; the overlap is reported on the new slot.
      const overlap = validateWeeklyRanges([...template.ranges, c.range]).find((i) => i.path === `ranges[${template.ranges.length}]`);
      if (overlap) {
        const withWhat = overlap.message.replace(/^overlaps ranges\[\d+\] /, 'overlaps existing slot ');
        fail(E.OVERLAPPING_SLOTS, `time slot ${withWhat}`, [{ path: 'range', message: withWhat }]);
      }
      const ranges = sortWeeklyRanges([...template.ranges, c.range]);
      return emit('ScheduleTimeSlotAdded', { templateId: c.templateId, range: c.range, schedule: withTemplateRanges(s, index, ranges) });
    }

    case 'RemoveTimeSlot': {
      const { index, template } = findTemplate(s, c.templateId);
      const at = template.ranges.findIndex((r) => sameWeeklyRange(r, c.range));
      if (at < 0) {
        return fail(E.SLOT_NOT_FOUND, `template ${c.templateId} has no slot ${c.range.day} ${c.range.start}-${c.range.end}`, [
          { path: 'range', message: 'no such time slot' },
        ]);
      }
      const removed = template.ranges[at]!;
      const ranges = template.ranges.filter((_, i) => i !== at);
      return emit('ScheduleTimeSlotRemoved', { templateId: c.templateId, range: removed, schedule: withTemplateRanges(s, index, ranges) });
    }

    case 'DeleteTemplate':
      return deleteTemplate(c, s);

    case 'ActivateRotation': {
      const anchor = parseLocalDate(c.anchorDate);
      if (!anchor) return fail(E.INVALID_ANCHOR, 'anchorDate is not a calendar date', [{ path: 'anchorDate', message: 'must be a date YYYY-MM-DD' }]);
      findTemplate(s, c.firstTemplateId, 'firstTemplateId');
      const rotation: ScheduleRotation = { active: true, anchorDate: formatLocalDate(anchor), firstTemplateId: c.firstTemplateId };
      if (isDeepStrictEqual(rotation, s.rotation)) return [];
      return emit('ScheduleRotationActivated', { rotation, schedule: { ...s, rotation } });
    }

    case 'DeactivateRotation': {
      if (!s.rotation?.active) return [];
      // The template in effect this week stays: switching rotation off must not flip today's hours.
      const inEffect = templateAt(s, c.now)!.template.templateId;
      const rotation: ScheduleRotation = { ...s.rotation, active: false, firstTemplateId: inEffect };
      return emit('ScheduleRotationDeactivated', { rotation, templateInEffect: inEffect, schedule: { ...s, rotation } });
    }

    case 'AddException': {
      rejectExceptionIssues(validateScheduleException(c.exception, 'exception'));
      const existing = s.exceptions.find((e) => e.exceptionId === c.exception.exceptionId);
      if (existing) {
        if (isDeepStrictEqual(existing, c.exception)) return [];
        return fail(E.EXCEPTION_EXISTS, `exception ${c.exception.exceptionId} already exists`, [{ path: 'exception.exceptionId', message: 'already exists' }]);
      }
      return emit('ScheduleExceptionAdded', { exception: c.exception, schedule: { ...s, exceptions: [...s.exceptions, c.exception] } });
    }

    case 'RemoveException': {
      if (!s.exceptions.some((e) => e.exceptionId === c.exceptionId)) {
        return fail(E.EXCEPTION_NOT_FOUND, `exception ${c.exceptionId} not found`, [{ path: 'exceptionId', message: 'no such exception' }]);
      }
      const exceptions = s.exceptions.filter((e) => e.exceptionId !== c.exceptionId);
      return emit('ScheduleExceptionRemoved', { exceptionId: c.exceptionId, schedule: { ...s, exceptions } });
    }

    case 'ImportExceptions':
      return importExceptions(c, s);

    case 'SetEmergencyOverride': {
      const reason = requireName(c.reason, 'reason');
      if (c.expiresAt !== null && !(c.expiresAt.getTime() > c.now.getTime())) {
        fail(E.EXPIRY_IN_PAST, 'expiresAt must be in the future', [{ path: 'expiresAt', message: `must be after ${c.now.toISOString()}` }]);
      }
      const emergency = {
        state: c.state,
        reason,
        by: c.actor,
        at: c.now.toISOString(),
        expiresAt: c.expiresAt === null ? null : c.expiresAt.toISOString(),
      };
      return emit('ScheduleEmergencyOverrideSet', { emergency, schedule: { ...s, emergency } });
    }

    case 'ClearEmergencyOverride':
      if (s.emergency === null) return [];
      return emit('ScheduleEmergencyOverrideCleared', { previous: s.emergency, schedule: { ...s, emergency: null } });

    case 'DeleteSchedule':
      return emit('ScheduleDeleted', { schedule: s });

    default: {
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}

/**
 * Deleting a template (the seed lets an operator delete a weekly schedule at any time; we keep calls safe):
 * - the only template of a custom schedule cannot go (SCHEDULE.LAST_TEMPLATE): switch to 24/7 or add one;
 * - the template in effect now (custom mode) needs `force` (SCHEDULE.TEMPLATE_IN_USE); with it, the next
 *   template in order (wrapping) takes over at once;
 * - with rotation active and more than one template left, the rotation is re-anchored at this local week's
 *   Monday with the template that applies from now on as first, so this week keeps its hours and the
 *   cycle continues in the new template order;
 * - otherwise, if the deleted template was `firstTemplateId`, its successor becomes first.
 */
function deleteTemplate(c: DeleteTemplate, s: ScheduleDefinition): ScheduleEvent[] {
  const { index } = findTemplate(s, c.templateId);
  const remaining = s.templates.filter((_, i) => i !== index);
  if (s.mode === 'custom' && remaining.length === 0) {
    return fail(E.LAST_TEMPLATE, 'the only template of a custom schedule cannot be deleted; switch to 24/7 or add another template first', [
      { path: 'templateId', message: 'last template' },
    ]);
  }
  const current = templateAt(s, c.now);
  const deletingCurrent = current?.template.templateId === c.templateId;
  if (s.mode === 'custom' && deletingCurrent && !c.force) {
    return fail(
      E.TEMPLATE_IN_USE,
      `template ${c.templateId} is in effect now; delete with force to hand over to the next template`,
      [{ path: 'templateId', message: 'in effect now' }],
      { weekIndex: current?.weekIndex ?? null },
    );
  }
  const successor = remaining.length > 0 ? s.templates[(index + 1) % s.templates.length]! : null;
  // The template that applies from now on (this week), whatever the mode.
  const fromNow = deletingCurrent ? successor : (current?.template ?? null);
  let rotation: ScheduleRotation | null = s.rotation;
  if (rotation && remaining.length === 0) rotation = null;
  else if (rotation && rotation.active && fromNow) rotation = { active: true, anchorDate: thisMonday(s, c.now), firstTemplateId: fromNow.templateId };
  else if (rotation && rotation.firstTemplateId === c.templateId && successor) rotation = { ...rotation, firstTemplateId: successor.templateId };
  const schedule: ScheduleDefinition = { ...s, templates: remaining, rotation };
  return emit('ScheduleTemplateDeleted', {
    templateId: c.templateId,
    rotationBefore: s.rotation,
    rotation,
    reanchored: !isDeepStrictEqual(rotation, s.rotation) && rotation !== null,
    templateInEffect: s.mode === 'custom' ? (templateAt(schedule, c.now)?.template.templateId ?? null) : null,
    forced: c.force && deletingCurrent,
    schedule,
  });
}

function importExceptions(c: ImportExceptions, s: ScheduleDefinition): ScheduleEvent[] {
  const issues: FieldError[] = [];
  const seen = new Map<string, number>();
  c.exceptions.forEach((ex, i) => {
    const first = seen.get(ex.exceptionId);
    if (first !== undefined) issues.push({ path: `exceptions[${i}].exceptionId`, message: `duplicate of exceptions[${first}]` });
    else seen.set(ex.exceptionId, i);
  });
  if (issues.length > 0) fail(E.INVALID_EXCEPTION, 'the import names an exception id twice', issues);
  rejectExceptionIssues(c.exceptions.flatMap((ex, i) => validateScheduleException(ex, `exceptions[${i}]`)));

  const incoming = new Map(c.exceptions.map((ex) => [ex.exceptionId, ex]));
  const replaced: string[] = [];
  const exceptions = s.exceptions.map((ex) => {
    const next = incoming.get(ex.exceptionId);
    if (!next || isDeepStrictEqual(next, ex)) return ex;
    replaced.push(ex.exceptionId);
    return next;
  });
  const known = new Set(s.exceptions.map((e) => e.exceptionId));
  const added = c.exceptions.filter((ex) => !known.has(ex.exceptionId));
  if (added.length === 0 && replaced.length === 0) return [];
  return emit('ScheduleExceptionsImported', {
    added: added.map((e) => e.exceptionId),
    replaced,
    source: c.source,
    schedule: { ...s, exceptions: [...exceptions, ...added] },
  });
}
