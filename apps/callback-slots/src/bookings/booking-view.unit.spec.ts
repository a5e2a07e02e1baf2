// A booking's API view is folded from its occurrence stream, times included.
import { CallbackBookedEvent } from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import { bookingViewsOf } from './booking-view';

const booked = CallbackBookedEvent.example;
const recorded = (revision: number, type: string, data: unknown, occurredAt: string): RecordedEvent =>
  ({ id: `00000000-0000-4000-8000-00000000000${revision}`, type, version: 1, tenantId: 'acme', occurredAt, correlationId: 'c', causationId: null, actor: 'a', data, streamId: 's', revision, position: String(revision) }) as RecordedEvent;

describe('bookingViewsOf', () => {
  it('a booked callback is booked since its event, with every field of the event', () => {
    const views = bookingViewsOf([recorded(0, 'CallbackBooked', booked, '2026-11-20T10:00:00.000Z')]);
    expect(views.get(booked.bookingId)).toMatchObject({ ...booked, status: 'booked', bookedAt: '2026-11-20T10:00:00.000Z', cancelledAt: null, cancelReason: null });
  });

  it('a cancellation sets reason, target and time; a second one changes nothing', () => {
    const cancel = (reason: string, at: string) =>
      recorded(1, 'CallbackCancelled', { bookingId: booked.bookingId, callSlotId: booked.callSlotId, startIso: booked.startIso, reason, rescheduledTo: null, note: null }, at);
    const views = bookingViewsOf([
      recorded(0, 'CallbackBooked', booked, '2026-11-20T10:00:00.000Z'),
      cancel('requested', '2026-11-21T08:00:00.000Z'),
      cancel('reschedule-compensated', '2026-11-22T08:00:00.000Z'),
    ]);
    expect(views.get(booked.bookingId)).toMatchObject({ status: 'cancelled', cancelReason: 'requested', cancelledAt: '2026-11-21T08:00:00.000Z' });
  });

  it('capacity changes are not bookings', () => {
    const views = bookingViewsOf([recorded(0, 'OccurrenceCapacityChanged', { callSlotId: 'x', startIso: booked.startIso, endIso: booked.endIso, capacity: 1 }, booked.startIso)]);
    expect(views.size).toBe(0);
  });
});
