// Which occurrences of a call slot still take a callback, from the call slot (its stream) and the load
// table (projection): the router's cheap "offer callbacks at all?", the offer dialogue's candidates,
// the calendar and the campaign submitter's earliest free occurrence.
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type CalendarResponse, type CallbackAvailabilityResponse, type CallSlotProfile, type OccurrenceView } from '@cc/contracts';
import { CLOCK, type Clock } from '@cc/platform';
import { assertVisible } from '../access/call-slot-profile';
import { availableOccurrences, callbackAvailability, offerWindowEnd, type LoadedOccurrence } from '../domain/availability';
import type { ActiveCallSlot } from '../domain/call-slot.decider';
import { calendarView } from '../domain/calendar-view';
import { OccurrenceLoadsRepository } from '../projections/occurrence-loads.repository';
import { CallSlotCatalog, callSlotNotFound } from './call-slot-catalog';

/** Longest range searched for a free occurrence (a year of weekly time slots is at most ~105,000 occurrences). */
export const EARLIEST_FREE_MAX_DAYS = 366;

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly callSlots: CallSlotCatalog,
    private readonly loads: OccurrenceLoadsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Seed 003: offer callbacks only if a free time slot starts within the offer window (6 days). A deleted call slot is never offerable. */
  async availability(tenantId: string, callSlotId: string, profile?: CallSlotProfile): Promise<CallbackAvailabilityResponse> {
    assertVisible(profile, callSlotId);
    const { state } = await this.callSlots.read(tenantId, callSlotId);
    if (state.status === 'Empty') throw callSlotNotFound(callSlotId);
    if (state.status !== 'Active') return { callSlotId, offerable: false, nextFree: null };
    const now = this.clock.now().toISOString();
    const loads = await this.loads.loads(tenantId, callSlotId, now, offerWindowEnd(now, state.definition.zone, state.definition.settings));
    const { offerable, nextFree } = callbackAvailability(state, loads, now);
    return { callSlotId, offerable, nextFree: nextFree === null ? null : occurrenceViewOf(nextFree) };
  }

  /** Free occurrences of an active call slot starting after `nowIso` and before `untilIso`, ascending, lazily. */
  async candidates(tenantId: string, callSlot: ActiveCallSlot, nowIso: string, untilIso: string): Promise<Iterable<LoadedOccurrence>> {
    const loads = await this.loads.loads(tenantId, callSlot.definition.callSlotId, nowIso, untilIso);
    return { [Symbol.iterator]: () => availableOccurrences(callSlot, loads, nowIso, untilIso) };
  }

  async earliestFree(tenantId: string, callSlotId: string, fromIso: string, toIso: string): Promise<OccurrenceView | null> {
    const from = new Date(Math.max(Date.parse(fromIso), this.clock.now().getTime())).toISOString();
    if (Date.parse(toIso) - Date.parse(from) > EARLIEST_FREE_MAX_DAYS * 86_400_000) {
      throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', `search at most ${EARLIEST_FREE_MAX_DAYS} days ahead`, [
        { path: 'to', message: `at most ${EARLIEST_FREE_MAX_DAYS} days after from` },
      ]);
    }
    if (Date.parse(toIso) <= Date.parse(from)) return null;
    const callSlot = await this.callSlots.active(tenantId, callSlotId);
    const first = (await this.candidates(tenantId, callSlot, from, toIso))[Symbol.iterator]().next();
    return first.done ? null : occurrenceViewOf(first.value);
  }

  /** Every local date of [fromDate, toDate] with each occurrence's capacity, bookings and free places (deleted call slots too). */
  async calendar(tenantId: string, callSlotId: string, fromDate: string, toDate: string, profile?: CallSlotProfile): Promise<CalendarResponse> {
    assertVisible(profile, callSlotId);
    const { state } = await this.callSlots.read(tenantId, callSlotId);
    if (state.status === 'Empty') throw callSlotNotFound(callSlotId);
    const empty = calendarView(state, new Map(), fromDate, toDate);
    const occurrences = empty.days.flatMap((day) => day.occurrences);
    if (occurrences.length === 0) return empty;
    const loads = await this.loads.loads(
      tenantId,
      callSlotId,
      occurrences[0]!.startIso,
      new Date(Date.parse(occurrences[occurrences.length - 1]!.startIso) + 1).toISOString(),
    );
    return calendarView(state, loads, fromDate, toDate);
  }
}

export const occurrenceViewOf = (o: LoadedOccurrence): OccurrenceView => ({
  startIso: o.startIso,
  endIso: o.endIso,
  localDate: o.localDate,
  weekday: o.weekday,
  localStart: o.localStart,
  localEnd: o.localEnd,
  capacity: o.capacity,
  capacityOverridden: o.capacityOverridden,
  booked: o.booked,
  free: o.free,
  closed: o.closed,
});
