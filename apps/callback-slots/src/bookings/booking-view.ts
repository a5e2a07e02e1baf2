// A booking as the API shows it (BookingView), folded from its occurrence stream: the stream holds
// both halves (booked, cancelled) with their times, so answers never wait for the projection.
import type { BookingView, CallbackBookedData, CallbackCancelledData } from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';

export function bookingViewOfBooked(data: CallbackBookedData, bookedAt: string): BookingView {
  return {
    bookingId: data.bookingId,
    callSlotId: data.callSlotId,
    startIso: data.startIso,
    endIso: data.endIso,
    status: 'booked',
    callbackNumber: data.callbackNumber,
    callerCli: data.callerCli,
    source: data.source,
    campaignId: data.campaignId,
    idempotencyKey: data.idempotencyKey,
    offerSessionId: data.offerSessionId,
    callId: data.callId,
    rescheduledFrom: data.rescheduledFrom,
    rescheduledTo: null,
    cancelReason: null,
    bookedAt,
    cancelledAt: null,
  };
}

export function cancelledView(view: BookingView, data: CallbackCancelledData, cancelledAt: string): BookingView {
  return { ...view, status: 'cancelled', cancelReason: data.reason, rescheduledTo: data.rescheduledTo, cancelledAt };
}

/** Every booking of one occurrence stream by id (a second cancellation of one booking is ignored, as `evolve` does). */
export function bookingViewsOf(events: readonly RecordedEvent[]): Map<string, BookingView> {
  const views = new Map<string, BookingView>();
  for (const event of events) {
    if (event.type === 'CallbackBooked') {
      const data = event.data as CallbackBookedData;
      views.set(data.bookingId, bookingViewOfBooked(data, event.occurredAt));
    } else if (event.type === 'CallbackCancelled') {
      const data = event.data as CallbackCancelledData;
      const view = views.get(data.bookingId);
      if (view && view.status === 'booked') views.set(data.bookingId, cancelledView(view, data, event.occurredAt));
    }
  }
  return views;
}
