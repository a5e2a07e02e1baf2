// Specification of the callback-slots request/reply contracts: subjects, the settings rules, and the
// cross-field checks done at the edge (campaign bookings, calendar ranges, DTMF keys).
import { CallSlotSettingsSchema, DEFAULT_CALL_SLOT_SETTINGS, DtmfKeyMapSchema } from './call-slot-definition';
import {
  BookCallbackRequestSchema,
  CalendarRequestSchema,
  CallbackSlotsRpc,
  EnterCallbackNumberRequestSchema,
  GenerateTimeSlotsRequestSchema,
  OfferDtmfRequestSchema,
  OfferReplySchema,
} from './messages';

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('callback-slots messages', () => {
  it('answers on callback-slots.{verb} subjects', () => {
    expect(Object.values(CallbackSlotsRpc).map((r) => r.subject)).toEqual([
      'callback-slots.availability',
      'callback-slots.offer-start',
      'callback-slots.offer-dtmf',
      'callback-slots.offer-number',
      'callback-slots.offer-abandon',
      'callback-slots.book',
      'callback-slots.cancel',
    ]);
  });

  it('accepts the default settings and refuses a horizon shorter than the window', () => {
    expect(CallSlotSettingsSchema.safeParse(DEFAULT_CALL_SLOT_SETTINGS).success).toBe(true);
    expect(pathsOf(CallSlotSettingsSchema.safeParse({ ...DEFAULT_CALL_SLOT_SETTINGS, offerWindowDays: 8 }))).toEqual(['offerHorizonDays']);
  });

  it('refuses one DTMF key for two actions, naming the second', () => {
    expect(pathsOf(DtmfKeyMapSchema.safeParse({ choose: '1', repeat: '2', decline: '1', confirm: '#' }))).toEqual(['decline']);
  });

  it('takes DTMF keys one at a time and callback numbers as digits only', () => {
    expect(OfferDtmfRequestSchema.safeParse({ sessionId: '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11', key: '#' }).success).toBe(true);
    expect(OfferDtmfRequestSchema.safeParse({ sessionId: '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11', key: '12' }).success).toBe(false);
    expect(EnterCallbackNumberRequestSchema.safeParse({ sessionId: '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11', digits: '' }).success).toBe(true);
    expect(EnterCallbackNumberRequestSchema.safeParse({ sessionId: '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11', digits: '0791#' }).success).toBe(false);
  });

  it('requires a campaign id for campaign bookings and only there; the IVR does not book over this API', () => {
    const base = { callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00Z', callbackNumber: '441234567890' };
    expect(BookCallbackRequestSchema.safeParse({ ...base, source: 'campaign', campaignId: 'winter' }).success).toBe(true);
    expect(pathsOf(BookCallbackRequestSchema.safeParse({ ...base, source: 'campaign' }))).toEqual(['campaignId']);
    expect(pathsOf(BookCallbackRequestSchema.safeParse({ ...base, source: 'api', campaignId: 'winter' }))).toEqual(['campaignId']);
    expect(BookCallbackRequestSchema.safeParse({ ...base, source: 'ivr' }).success).toBe(false);
  });

  it('limits a calendar to 62 days, "to" not before "from"', () => {
    expect(CalendarRequestSchema.safeParse({ callSlotId: 'support-uk', from: '2026-11-01', to: '2027-01-01' }).success).toBe(true);
    expect(pathsOf(CalendarRequestSchema.safeParse({ callSlotId: 'support-uk', from: '2026-11-01', to: '2027-01-02' }))).toEqual(['to']);
    expect(pathsOf(CalendarRequestSchema.safeParse({ callSlotId: 'support-uk', from: '2026-11-02', to: '2026-11-01' }))).toEqual(['to']);
  });

  it('a grid replaces the chosen weekdays unless told to add', () => {
    const parsed = GenerateTimeSlotsRequestSchema.parse({
      callSlotId: 'support-uk',
      grid: { weekdays: ['mon'], from: '09:00', to: '12:00', everyMinutes: 15, capacity: 2 },
    });
    expect(parsed.grid.mode).toBe('replace-weekdays');
    expect(
      GenerateTimeSlotsRequestSchema.safeParse({ callSlotId: 'support-uk', grid: { weekdays: ['mon', 'mon'], from: '09:00', to: '12:00', everyMinutes: 15, capacity: 2 } })
        .success,
    ).toBe(false);
  });

  it('an ended offer never claims to be booked or not offered (those have their own replies)', () => {
    const sessionId = '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11';
    expect(OfferReplySchema.safeParse({ sessionId, status: 'ended', reason: 'booked', notice: null }).success).toBe(false);
    expect(OfferReplySchema.safeParse({ sessionId, status: 'ended', reason: 'limit-reached', notice: null }).success).toBe(true);
  });
});
