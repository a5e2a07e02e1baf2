// The schedule service's read side: get, list, exceptions, audit trail, and the evaluations (isOpen with
// what decided it and the next transition; preview intervals for a calendar). Evaluations use the pure
// @cc/scheduling evaluator on the schedule as it is now; "now" is the injected clock.
import { Inject, Injectable } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import {
  toScheduleStreamId,
  type IsOpenRequest,
  type IsOpenResponse,
  type ListExceptionsResponse,
  type ListSchedulesRequest,
  type ListSchedulesResponse,
  type PreviewScheduleRequest,
  type PreviewScheduleResponse,
  type ScheduleAuditEntry,
  type ScheduleAuditRequest,
  type ScheduleAuditResponse,
  type ScheduleEventType,
  type ScheduleView,
} from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CLOCK, EVENT_STORE, Metrics, type Clock } from '@cc/platform';
import { evaluateSchedule, previewSchedule } from '@cc/scheduling';
import { SchedulesProjectionRunner } from '../projections/schedules.projection-runner';
import { SchedulesRepository } from '../projections/schedules.repository';
import type { ScheduleCaller } from './schedule-caller';
import { notFound, ScheduleReader } from './schedule-reader';

@Injectable()
export class ScheduleQueries {
  private readonly evaluation: Histogram<'query'>;

  constructor(
    private readonly reader: ScheduleReader,
    private readonly repository: SchedulesRepository,
    private readonly projection: SchedulesProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.evaluation = metrics.histogram('schedule_evaluation_seconds', 'Time spent evaluating a schedule (isOpen, preview)', ['query'], [
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
    ]);
  }

  /** The definition with its status: a deleted schedule is still shown (status 'deleted'), for audit. */
  async get(caller: ScheduleCaller, request: { scheduleId: string }): Promise<ScheduleView> {
    const { state, revision } = await this.reader.current(caller, request.scheduleId);
    if (state.status === 'none' || revision === null) throw notFound(request.scheduleId);
    return { status: state.status, schedule: state.schedule, revision };
  }

  async list(caller: ScheduleCaller, request: ListSchedulesRequest): Promise<ListSchedulesResponse> {
    // Read-your-writes: a schedule created a moment ago is on the page.
    await this.projection.caughtUp();
    const { items, total } = await this.repository.list(caller.tenantId, request);
    return { items, total, page: request.page, pageSize: request.pageSize };
  }

  async listExceptions(caller: ScheduleCaller, request: { scheduleId: string }): Promise<ListExceptionsResponse> {
    const { schedule, revision } = await this.reader.active(caller, request.scheduleId);
    return { scheduleId: request.scheduleId, timezone: schedule.timezone, exceptions: schedule.exceptions, revision };
  }

  async isOpen(caller: ScheduleCaller, request: IsOpenRequest): Promise<IsOpenResponse> {
    const { schedule } = await this.reader.active(caller, request.scheduleId);
    const at = request.at === undefined ? this.clock.now() : new Date(request.at);
    const stop = this.evaluation.startTimer({ query: 'is-open' });
    const result = evaluateSchedule(schedule, at);
    stop();
    return {
      scheduleId: request.scheduleId,
      at: at.toISOString(),
      open: result.open,
      decidedBy: result.decidedBy,
      nextTransition: result.nextTransition?.toISOString() ?? null,
      ...(result.week ? { week: result.week } : {}),
    };
  }

  async preview(caller: ScheduleCaller, request: PreviewScheduleRequest): Promise<PreviewScheduleResponse> {
    const { schedule } = await this.reader.active(caller, request.scheduleId);
    const from = new Date(request.from);
    const to = new Date(request.to);
    const stop = this.evaluation.startTimer({ query: 'preview' });
    const intervals = previewSchedule(schedule, from, to);
    stop();
    return {
      scheduleId: request.scheduleId,
      from: from.toISOString(),
      to: to.toISOString(),
      timezone: schedule.timezone,
      intervals: intervals.map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString(), decidedBy: i.decidedBy })),
    };
  }

  /**
   * The schedule's stream is its audit trail: who (actor), when, what changed and why (an emergency
   * override's reason), oldest first. Deleted schedules keep theirs.
   */
  async audit(caller: ScheduleCaller, request: ScheduleAuditRequest): Promise<ScheduleAuditResponse> {
    const streamId = toScheduleStreamId(caller.tenantId, request.scheduleId);
    const events = await this.store.readStream(streamId, { fromRevision: request.fromRevision, maxCount: request.limit + 1 });
    if (events.length === 0 && (request.fromRevision === 0 || (await this.store.readStream(streamId, { maxCount: 1 })).length === 0)) {
      throw notFound(request.scheduleId);
    }
    const page = events.slice(0, request.limit);
    const entries = page.map((event): ScheduleAuditEntry => {
      const { schedule: _schedule, ...change } = event.data as Record<string, unknown>;
      return {
        revision: event.revision,
        eventId: event.id,
        type: event.type as ScheduleEventType,
        version: event.version,
        occurredAt: event.occurredAt,
        actor: event.actor,
        correlationId: event.correlationId,
        change,
      };
    });
    return { scheduleId: request.scheduleId, entries, nextFromRevision: events.length > request.limit ? page[page.length - 1]!.revision + 1 : null };
  }
}
