// Reads one schedule as it is now: the read model's row (one small query) plus any events the projection
// has not applied yet (usually none), folded with the decider's evolve. Strongly consistent without
// waiting for the projection, and without reading the whole stream (every event carries the whole schedule).
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, SCHEDULE_ERRORS, toScheduleStreamId, type ScheduleEvent } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, toDomainEvent } from '@cc/platform';
import type { ScheduleDefinition } from '@cc/scheduling';
import { evolve, initialState, type ScheduleState } from '../domain/schedule.decider';
import { SchedulesRepository } from '../projections/schedules.repository';
import type { ScheduleCaller } from './schedule-caller';

export type CurrentSchedule = { state: ScheduleState; revision: number | null };

@Injectable()
export class ScheduleReader {
  constructor(
    private readonly repository: SchedulesRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async current(caller: ScheduleCaller, scheduleId: string): Promise<CurrentSchedule> {
    const streamId = toScheduleStreamId(caller.tenantId, scheduleId);
    const snapshot = await this.repository.snapshot(caller.tenantId, scheduleId);
    const newer = await this.store.readStream(streamId, snapshot ? { fromRevision: snapshot.revision + 1 } : {});
    let state: ScheduleState = snapshot ? { status: snapshot.status, schedule: snapshot.schedule } : initialState();
    for (const recorded of newer) state = evolve(state, toDomainEvent(recorded) as ScheduleEvent);
    const revision = newer.length > 0 ? newer[newer.length - 1]!.revision : (snapshot?.revision ?? null);
    return { state, revision };
  }

  /** The schedule to evaluate: 404 if it never existed, 410 once deleted. */
  async active(caller: ScheduleCaller, scheduleId: string): Promise<{ schedule: ScheduleDefinition; revision: number }> {
    const { state, revision } = await this.current(caller, scheduleId);
    switch (state.status) {
      case 'none':
        throw notFound(scheduleId);
      case 'deleted':
        throw new DomainError(SCHEDULE_ERRORS.DELETED.code, SCHEDULE_ERRORS.DELETED.kind, `schedule ${scheduleId} was deleted`, [
          { path: 'scheduleId', message: 'deleted' },
        ]);
      case 'active':
        return { schedule: state.schedule, revision: revision! };
      default: {
        const _exhaustive: never = state;
        return _exhaustive;
      }
    }
  }
}

export function notFound(scheduleId: string): DomainError {
  const { code, kind } = SCHEDULE_ERRORS.NOT_FOUND;
  return new DomainError(code, kind, `schedule ${scheduleId} not found`, [{ path: 'scheduleId', message: `no schedule "${scheduleId}"` }]);
}
