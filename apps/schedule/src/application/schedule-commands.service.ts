// The schedule service's write side: every HTTP route and NATS handler that changes a schedule calls one
// of these. Each turns a validated request into a decider command (time from the injected clock, ids
// generated when the client left them out, iCalendar text parsed into exceptions), then loads the
// stream, decides and appends with optimistic concurrency (If-Match / expectedRevision pins a revision).
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { z } from 'zod';
import {
  DomainError,
  SCHEDULE_ERRORS,
  toScheduleStreamId,
  type ActivateRotationRequestSchema,
  type AddExceptionRequestSchema,
  type AddTemplateRequestSchema,
  type AddTimeSlotRequestSchema,
  type ChangeScheduleTimezoneRequestSchema,
  type ClearEmergencyOverrideRequestSchema,
  type CreateScheduleRequestSchema,
  type DeactivateRotationRequestSchema,
  type DeleteScheduleRequestSchema,
  type DeleteTemplateRequestSchema,
  type DeleteTemplateResult,
  type FieldError,
  type ImportExceptionsRequestSchema,
  type ImportExceptionsResult,
  type RemoveExceptionRequestSchema,
  type RemoveTimeSlotRequestSchema,
  type RenameScheduleRequestSchema,
  type RenameTemplateRequestSchema,
  type ScheduleChangeResult,
  type ScheduleEvent,
  type ScheduleEventData,
  type ScheduleEventType,
  type SetEmergencyOverrideRequestSchema,
  type SetScheduleModeRequestSchema,
  type SetTemplateRangesRequestSchema,
} from '@cc/contracts';
import { CLOCK, CommandExecutor, Metrics, type Clock, type ExecuteResult } from '@cc/platform';
import { parseICalendarExceptions, type ScheduleException } from '@cc/scheduling';
import { scheduleDecider, type ScheduleCommand, type ScheduleState } from '../domain/schedule.decider';
import type { ScheduleCaller } from './schedule-caller';

type Input<S extends z.ZodType> = z.infer<S>;
/** What every command carries besides its own fields. */
type CommandBase = { now: Date; actor: string };
type Outcome = ExecuteResult<ScheduleState, ScheduleEvent>;

@Injectable()
export class ScheduleCommands {
  private readonly changes: Counter<'command' | 'outcome'>;

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.changes = metrics.counter('schedule_changes_total', 'Schedule commands by command and outcome', ['command', 'outcome']);
  }

  async create(caller: ScheduleCaller, request: Input<typeof CreateScheduleRequestSchema>): Promise<ScheduleChangeResult> {
    const scheduleId = request.scheduleId ?? randomUUID();
    const outcome = await this.run(caller, 'create', scheduleId, undefined, (base) => ({
      type: 'CreateSchedule',
      ...base,
      tenantId: caller.tenantId,
      scheduleId,
      name: request.name,
      timezone: request.timezone,
      mode: request.mode,
    }));
    return changeResult(scheduleId, outcome);
  }

  rename(caller: ScheduleCaller, request: Input<typeof RenameScheduleRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'rename', request, (base) => ({ type: 'RenameSchedule', ...base, name: request.name }));
  }

  changeTimezone(caller: ScheduleCaller, request: Input<typeof ChangeScheduleTimezoneRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'change-timezone', request, (base) => ({ type: 'ChangeScheduleTimezone', ...base, timezone: request.timezone }));
  }

  setMode(caller: ScheduleCaller, request: Input<typeof SetScheduleModeRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'set-mode', request, (base) => ({ type: 'SetScheduleMode', ...base, mode: request.mode }));
  }

  addTemplate(caller: ScheduleCaller, request: Input<typeof AddTemplateRequestSchema>): Promise<ScheduleChangeResult> {
    const templateId = request.templateId ?? randomUUID();
    return this.change(caller, 'add-template', request, (base) => ({
      type: 'AddTemplate',
      ...base,
      templateId,
      name: request.name,
      ranges: request.ranges,
    }));
  }

  renameTemplate(caller: ScheduleCaller, request: Input<typeof RenameTemplateRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'rename-template', request, (base) => ({
      type: 'RenameTemplate',
      ...base,
      templateId: request.templateId,
      name: request.name,
    }));
  }

  setTemplateRanges(caller: ScheduleCaller, request: Input<typeof SetTemplateRangesRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'set-template-ranges', request, (base) => ({
      type: 'SetTemplateRanges',
      ...base,
      templateId: request.templateId,
      ranges: request.ranges,
    }));
  }

  addTimeSlot(caller: ScheduleCaller, request: Input<typeof AddTimeSlotRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'add-time-slot', request, (base) => ({
      type: 'AddTimeSlot',
      ...base,
      templateId: request.templateId,
      range: request.range,
    }));
  }

  removeTimeSlot(caller: ScheduleCaller, request: Input<typeof RemoveTimeSlotRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'remove-time-slot', request, (base) => ({
      type: 'RemoveTimeSlot',
      ...base,
      templateId: request.templateId,
      range: request.range,
    }));
  }

  /** The answer says how the rotation was re-indexed (the ScheduleTemplateDeleted event's facts). */
  async deleteTemplate(caller: ScheduleCaller, request: Input<typeof DeleteTemplateRequestSchema>): Promise<DeleteTemplateResult> {
    const outcome = await this.run(caller, 'delete-template', request.scheduleId, request.expectedRevision, (base) => ({
      type: 'DeleteTemplate',
      ...base,
      templateId: request.templateId,
      force: request.force,
    }));
    const deleted = dataOf(outcome, 'ScheduleTemplateDeleted');
    // The decider either deletes (one event) or refuses; nothing else can come back.
    if (!deleted) throw new Error('DeleteTemplate appended no ScheduleTemplateDeleted event');
    const { rotationBefore, rotation, reanchored, templateInEffect, forced } = deleted;
    return { ...changeResult(request.scheduleId, outcome), templateId: request.templateId, rotationBefore, rotation, reanchored, templateInEffect, forced };
  }

  activateRotation(caller: ScheduleCaller, request: Input<typeof ActivateRotationRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'activate-rotation', request, (base) => ({
      type: 'ActivateRotation',
      ...base,
      anchorDate: request.anchorDate,
      firstTemplateId: request.firstTemplateId,
    }));
  }

  deactivateRotation(caller: ScheduleCaller, request: Input<typeof DeactivateRotationRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'deactivate-rotation', request, (base) => ({ type: 'DeactivateRotation', ...base }));
  }

  addException(caller: ScheduleCaller, request: Input<typeof AddExceptionRequestSchema>): Promise<ScheduleChangeResult> {
    const exception = { ...request.exception, exceptionId: request.exception.exceptionId ?? randomUUID() } as ScheduleException;
    return this.change(caller, 'add-exception', request, (base) => ({ type: 'AddException', ...base, exception }));
  }

  removeException(caller: ScheduleCaller, request: Input<typeof RemoveExceptionRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'remove-exception', request, (base) => ({ type: 'RemoveException', ...base, exceptionId: request.exceptionId }));
  }

  /**
   * Merges a list of exceptions or an iCalendar file (parsed in the schedule's zone, so UTC and TZID times
   * land on its wall clock). Calendar events that cannot be imported are reported in `skipped`; a
   * calendar with nothing importable is refused (400) and nothing is saved.
   */
  async importExceptions(caller: ScheduleCaller, request: Input<typeof ImportExceptionsRequestSchema>): Promise<ImportExceptionsResult> {
    let incoming: ScheduleException[] = [];
    let skipped: FieldError[] = [];
    const outcome = await this.run(caller, 'import-exceptions', request.scheduleId, request.expectedRevision, (base, state) => {
      ({ incoming, skipped } = exceptionsToImport(request, state));
      return { type: 'ImportExceptions', ...base, exceptions: incoming, source: request.source ?? null };
    });
    const imported = dataOf(outcome, 'ScheduleExceptionsImported');
    const added = imported?.added ?? [];
    const replaced = imported?.replaced ?? [];
    const touched = new Set([...added, ...replaced]);
    const unchanged = incoming.map((e) => e.exceptionId).filter((id) => !touched.has(id));
    return { ...changeResult(request.scheduleId, outcome), added, replaced, unchanged, skipped };
  }

  setEmergencyOverride(caller: ScheduleCaller, request: Input<typeof SetEmergencyOverrideRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'set-emergency-override', request, (base) => ({
      type: 'SetEmergencyOverride',
      ...base,
      state: request.state,
      reason: request.reason,
      expiresAt: request.expiresAt === undefined ? null : new Date(request.expiresAt),
    }));
  }

  clearEmergencyOverride(caller: ScheduleCaller, request: Input<typeof ClearEmergencyOverrideRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'clear-emergency-override', request, (base) => ({ type: 'ClearEmergencyOverride', ...base }));
  }

  delete(caller: ScheduleCaller, request: Input<typeof DeleteScheduleRequestSchema>): Promise<ScheduleChangeResult> {
    return this.change(caller, 'delete', request, (base) => ({ type: 'DeleteSchedule', ...base }));
  }

  private async change(
    caller: ScheduleCaller,
    name: string,
    request: { scheduleId: string; expectedRevision?: number | undefined },
    build: (base: CommandBase, state: ScheduleState) => ScheduleCommand,
  ): Promise<ScheduleChangeResult> {
    return changeResult(request.scheduleId, await this.run(caller, name, request.scheduleId, request.expectedRevision, build));
  }

  /** Load, decide, append; a concurrent write re-decides (bounded) unless the caller pinned a revision. */
  private async run(
    caller: ScheduleCaller,
    name: string,
    scheduleId: string,
    expectedRevision: number | undefined,
    build: (base: CommandBase, state: ScheduleState) => ScheduleCommand,
  ): Promise<Outcome> {
    try {
      const outcome = await this.executor.execute<ScheduleState, ScheduleCommand, ScheduleEvent>({
        streamId: toScheduleStreamId(caller.tenantId, scheduleId),
        decider: scheduleDecider,
        // Re-built on every attempt: `now` is read again after a concurrent write.
        command: (state) => build({ now: this.clock.now(), actor: caller.actor }, state),
        tenantId: caller.tenantId,
        actor: caller.actor,
        // -1 is the revision of a stream that does not exist yet.
        ...(expectedRevision === undefined ? {} : { expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision }),
      });
      this.changes.inc({ command: name, outcome: outcome.events.length > 0 ? 'changed' : 'unchanged' });
      return outcome;
    } catch (error) {
      this.changes.inc({ command: name, outcome: 'rejected' });
      throw error;
    }
  }
}

function changeResult(scheduleId: string, outcome: Outcome): ScheduleChangeResult {
  const { state } = outcome;
  // A command that did not throw leaves an existing (active or just deleted) schedule behind.
  if (state.status === 'none' || outcome.revision === null) throw new Error(`schedule ${scheduleId}: command succeeded on a missing stream`);
  return { scheduleId, changed: outcome.events.length > 0, schedule: state.schedule, revision: outcome.revision };
}

/** The data of the appended event of this type, if the command appended one. */
function dataOf<T extends ScheduleEventType>(outcome: Outcome, type: T): ScheduleEventData<T> | undefined {
  return outcome.events.find((e) => e.type === type)?.data as ScheduleEventData<T> | undefined;
}

/** The exceptions an import brings: the list as given, or the calendar's events parsed in the schedule's zone. */
function exceptionsToImport(
  request: Input<typeof ImportExceptionsRequestSchema>,
  state: ScheduleState,
): { incoming: ScheduleException[]; skipped: FieldError[] } {
  if (request.format === 'exceptions') return { incoming: request.exceptions, skipped: [] };
  // No schedule (or a deleted one): the decider refuses the command with 404 / 410 whatever it carries.
  if (state.status !== 'active') return { incoming: [], skipped: [] };
  const parsed = parseICalendarExceptions(request.ics, { effect: request.effect, zone: state.schedule.timezone });
  if (parsed.exceptions.length === 0 && parsed.errors.length > 0) {
    const { code, kind } = SCHEDULE_ERRORS.INVALID_EXCEPTION;
    throw new DomainError(code, kind, `nothing in the calendar can be imported: ${parsed.errors[0]!.path} ${parsed.errors[0]!.message}`, parsed.errors);
  }
  return { incoming: parsed.exceptions, skipped: parsed.errors };
}
