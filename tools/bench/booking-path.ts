// The booking command path P2 and P3 measure, as apps/callback-slots' BookingService runs it for one
// occurrence stream: the real `timeSlotDecider` through the real `CommandExecutor` with a `StateCache`
// (one round trip per booking on a warm stream), one command per stream at a time in a process (the
// service's `KeyedSerializer`), 25 re-decisions after another process's concurrent append, on a real
// `PostgresEventStore`. What it leaves out of `BookingService.book`: reading the call-slot definition,
// the blacklist and the tenant's country, number normalisation, and the API edge.
import { randomUUID } from 'node:crypto';
import { DomainError, toTimeSlotStreamId } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CommandExecutor, StateCache, systemClock } from '@cc/platform';
import { KeyedSerializer } from '../../apps/callback-slots/src/bookings/keyed-serializer';
import { timeSlotDecider, type BookCallback } from '../../apps/callback-slots/src/domain/time-slot.decider';

export const DECIDER_PATH_LABEL =
  "BookingService's stream path: timeSlotDecider via CommandExecutor + StateCache + per-stream serializer, 25 OCC retries, PostgresEventStore (not BookingService.book itself)";

/** BookingService's CONFLICT_RETRIES (not exported there). */
const CONFLICT_RETRIES = 25;

export type Occurrence = { callSlotId: string; startIso: string; endIso: string; capacity: number };

export type BookingOutcome = { kind: 'booked'; revision: number | null } | { kind: 'refused'; code: string };

/** One service instance's booking path: its own store (pool), executor, state cache and per-stream serializer. */
export class DeciderBookingPath {
  readonly cache = new StateCache(20_000);
  private readonly perStream = new KeyedSerializer();
  private readonly executor: CommandExecutor;

  constructor(
    readonly store: EventStore,
    readonly tenantId: string,
  ) {
    this.executor = new CommandExecutor(store, systemClock);
  }

  streamIdOf(occurrence: Occurrence): string {
    return toTimeSlotStreamId(this.tenantId, occurrence.callSlotId, occurrence.startIso);
  }

  /** Books one callback; a DomainError (slot full, conflict after the executor's retries) is an outcome, anything else throws. */
  async book(occurrence: Occurrence, callbackNumber = '+442071838750'): Promise<BookingOutcome> {
    const command: BookCallback = {
      type: 'BookCallback',
      now: new Date().toISOString(),
      bookingId: randomUUID(),
      occurrence: { ...occurrence, closed: false },
      callbackNumber,
      callerCli: null,
      source: 'campaign',
      campaignId: 'bench',
      idempotencyKey: null,
      offerSessionId: null,
      callId: null,
      rescheduledFrom: null,
    };
    try {
      const streamId = this.streamIdOf(occurrence);
      const result = await this.perStream.run(streamId, () =>
        this.executor.execute({
          streamId,
          decider: timeSlotDecider,
          command,
          tenantId: this.tenantId,
          cache: this.cache,
          actor: 'bench',
          retries: CONFLICT_RETRIES,
        }),
      );
      return { kind: 'booked', revision: result.revision };
    } catch (error) {
      if (error instanceof DomainError) return { kind: 'refused', code: error.code };
      throw error;
    }
  }

  /** Folds the stream as stored (not the cache): live bookings and the number of CallbackBooked events. */
  async stored(occurrence: Occurrence): Promise<{ live: number; bookedEvents: number; distinctBookings: number }> {
    const { state, events } = await this.executor.load(this.streamIdOf(occurrence), timeSlotDecider);
    const booked = events.filter((e) => e.type === 'CallbackBooked');
    const ids = new Set(booked.map((e) => (e.data as { bookingId: string }).bookingId));
    return { live: state.status === 'Open' ? state.live : 0, bookedEvents: booked.length, distinctBookings: ids.size };
  }
}

/** Occurrences of one call slot, 15 minutes apart from tomorrow 08:00 UTC (all in the future). */
export function occurrences(callSlotId: string, count: number, capacity: number): Occurrence[] {
  const first = new Date();
  first.setUTCDate(first.getUTCDate() + 1);
  first.setUTCHours(8, 0, 0, 0);
  return Array.from({ length: count }, (_, k) => {
    const start = first.getTime() + k * 15 * 60_000;
    return {
      callSlotId,
      startIso: new Date(start).toISOString(),
      endIso: new Date(start + 15 * 60_000).toISOString(),
      capacity,
    };
  });
}
