// Specification of the callback-slots event contracts: examples parse, consumers validate by type and
// version, and cross-field rules hold (a reschedule names its target, a booked offer its booking).
import {
  CALLBACK_SLOTS_EVENTS,
  CallbackCancelledEvent,
  CallbackBookedEvent,
  OfferEndedEvent,
  parseCallbackSlotsEvent,
} from './events';
import { UtcInstantSchema } from './call-slot-definition';

describe('callback-slots events', () => {
  it('every event is defined for the callback-slots service, once per type', () => {
    expect(new Set(CALLBACK_SLOTS_EVENTS.map((d) => d.type)).size).toBe(CALLBACK_SLOTS_EVENTS.length);
    expect(CALLBACK_SLOTS_EVENTS.every((d) => d.service === 'callback-slots' && d.version === 1)).toBe(true);
  });

  it.each(CALLBACK_SLOTS_EVENTS.map((d) => [d.type, d] as const))('%s: its example round-trips through parseCallbackSlotsEvent', (type, def) => {
    expect(parseCallbackSlotsEvent({ type, version: def.version, data: def.example })).toEqual({ type, data: def.example });
  });

  it('refuses an unknown type, an unknown version and data that breaks the schema', () => {
    expect(() => parseCallbackSlotsEvent({ type: 'SlotExploded', version: 1, data: {} })).toThrow(/not a callback-slots event type/);
    expect(() => parseCallbackSlotsEvent({ type: 'CallbackBooked', version: 2, data: CallbackBookedEvent.example })).toThrow(/not supported/);
    expect(() =>
      parseCallbackSlotsEvent({ type: 'CallbackBooked', version: 1, data: { ...CallbackBookedEvent.example, callbackNumber: '01234 567890' } }),
    ).toThrow();
  });

  it('writes occurrence instants in one form only (UTC with milliseconds)', () => {
    expect(UtcInstantSchema.safeParse('2026-11-23T09:00:00.000Z').success).toBe(true);
    expect(UtcInstantSchema.safeParse('2026-11-23T09:00:00Z').success).toBe(false);
    expect(UtcInstantSchema.safeParse('2026-11-23T10:00:00.000+01:00').success).toBe(false);
  });

  it('a cancellation names its new booking exactly when it is a reschedule', () => {
    const base = { ...CallbackCancelledEvent.example };
    expect(CallbackCancelledEvent.schema.safeParse({ ...base, reason: 'requested' }).success).toBe(false);
    expect(CallbackCancelledEvent.schema.safeParse({ ...base, reason: 'requested', rescheduledTo: null }).success).toBe(true);
    expect(CallbackCancelledEvent.schema.safeParse({ ...base, rescheduledTo: null }).success).toBe(false);
  });

  it('an offer names its booking exactly when it ended booked', () => {
    const base = OfferEndedEvent.example;
    expect(OfferEndedEvent.schema.safeParse({ ...base, bookingId: null }).success).toBe(false);
    expect(OfferEndedEvent.schema.safeParse({ ...base, reason: 'declined-all' }).success).toBe(false);
    expect(OfferEndedEvent.schema.safeParse({ ...base, reason: 'declined-all', bookingId: null }).success).toBe(true);
  });
});
