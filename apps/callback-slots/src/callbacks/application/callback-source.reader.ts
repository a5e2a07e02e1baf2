// What the firing path needs from the rest of callback-slots, read from the event store (the truth,
// not a projection): is the booking still booked (its occurrence stream), and the call slot's dial
// order and retry policy (its call-slot stream). Incremental, so a check is one short query.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEFAULT_CALL_SLOT_SETTINGS, toCallSlotStreamId, toTimeSlotStreamId, type CallSlotEvent, type CallSlotSettings, type TimeSlotEvent } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { callSlotDecider, type CallSlotState } from '../../domain/call-slot.decider';
import { timeSlotDecider, type TimeSlotState } from '../../domain/time-slot.decider';
import type { DueBooking } from '../domain/callback.decider';
import { FIRING_EVENT_STORE } from './firing-store';
import { IncrementalStreamReader } from './incremental-stream.reader';

export type BookingPointer = { tenantId: string; bookingId: string; callSlotId: string; startIso: string };

@Injectable()
export class CallbackSourceReader {
  private readonly logger = new Logger('CallbackSourceReader');
  private readonly timeSlots: IncrementalStreamReader<TimeSlotState>;
  private readonly callSlots: IncrementalStreamReader<CallSlotState>;

  constructor(@Inject(FIRING_EVENT_STORE) store: EventStore) {
    this.timeSlots = new IncrementalStreamReader(store, {
      initialState: timeSlotDecider.initialState,
      evolve: (state, event) => timeSlotDecider.evolve(state, event as unknown as TimeSlotEvent),
    });
    this.callSlots = new IncrementalStreamReader(store, {
      initialState: callSlotDecider.initialState,
      evolve: (state, event) => callSlotDecider.evolve(state, event as unknown as CallSlotEvent),
    }, 2_000);
  }

  /** The booking as booked now, or null when it was cancelled (or moved) or never existed. */
  async liveBooking(pointer: BookingPointer): Promise<DueBooking | null> {
    const { state } = await this.timeSlots.read(toTimeSlotStreamId(pointer.tenantId, pointer.callSlotId, pointer.startIso));
    if (state.status !== 'Open') return null;
    const record = state.bookings.get(pointer.bookingId);
    if (!record || record.status !== 'booked') return null;
    return {
      bookingId: record.bookingId,
      callSlotId: state.callSlotId,
      startIso: state.startIso,
      endIso: state.endIso,
      callbackNumber: record.callbackNumber,
      callerCli: record.callerCli,
      campaignId: record.campaignId,
    };
  }

  /** The call slot's current settings (also of a deleted one: its bookings are still called back). */
  async settings(tenantId: string, callSlotId: string): Promise<CallSlotSettings> {
    const { state } = await this.callSlots.read(toCallSlotStreamId(tenantId, callSlotId));
    if (state.status === 'Empty') {
      this.logger.warn(`call slot ${tenantId}/${callSlotId} has no stream: its callbacks use the default settings`);
      return DEFAULT_CALL_SLOT_SETTINGS;
    }
    return state.definition.settings;
  }
}
