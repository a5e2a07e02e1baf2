// Specification of campaigns: settings and cancellation, the item idempotency key (duplicate vs
// conflict, rejections keep the key free), the content hash, the cap rule and refusal mapping.
import type { CampaignItem } from '@cc/contracts';
import { capAllows, rejectionReasonOf, tryNextOccurrence } from './campaign-booking-rules';
import { campaignDecider, assertTakesItems, type CampaignCommand, type CampaignState } from './campaign.decider';
import { campaignItemDecider, campaignItemHash, previousSubmission, type CampaignItemCommand, type CampaignItemState } from './campaign-item.decider';

const given = (...commands: CampaignCommand[]): CampaignState =>
  commands.reduce((state, command) => campaignDecider.decide(command, state).reduce(campaignDecider.evolve, state), campaignDecider.initialState());
const configure = (capPerTimeSlot: number | null = 3, name = 'Winter'): CampaignCommand => ({ type: 'ConfigureCampaign', campaignId: 'winter', name, capPerTimeSlot });
const cancel: CampaignCommand = { type: 'CancelCampaign', campaignId: 'winter', reason: null };

describe('campaign', () => {
  describe('given no campaign', () => {
    it('configuring creates it with its full settings', () => {
      expect(campaignDecider.decide(configure(), campaignDecider.initialState())).toEqual([
        { type: 'CampaignConfigured', data: { campaignId: 'winter', name: 'Winter', capPerTimeSlot: 3 } },
      ]);
    });
    it('takes no items and cannot be cancelled: 404', () => {
      expect(() => assertTakesItems('winter', given())).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CAMPAIGN_NOT_FOUND' }));
      expect(() => campaignDecider.decide(cancel, given())).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CAMPAIGN_NOT_FOUND' }));
    });
  });

  describe('given an active campaign', () => {
    it('the same settings again change nothing; a new cap is recorded', () => {
      const state = given(configure());
      expect(campaignDecider.decide(configure(), state)).toEqual([]);
      expect(campaignDecider.decide(configure(null), state)).toHaveLength(1);
      expect(() => assertTakesItems('winter', state)).not.toThrow();
    });
    it('cancelling records it once', () => {
      const state = given(configure(), cancel);
      expect(state).toMatchObject({ status: 'Cancelled', capPerTimeSlot: 3 });
      expect(campaignDecider.decide(cancel, state)).toEqual([]);
    });
  });

  describe('given a cancelled campaign', () => {
    it('takes no items and no changes: 409', () => {
      const state = given(configure(), cancel);
      expect(() => assertTakesItems('winter', state)).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CAMPAIGN_CANCELLED', kind: 'conflict' }));
      expect(() => campaignDecider.decide(configure(), state)).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CAMPAIGN_CANCELLED' }));
    });
  });
});

describe('campaign item', () => {
  const item: CampaignItem = {
    idempotencyKey: 'renewal-1',
    callbackNumber: '07911 123456',
    target: { kind: 'slot', callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00Z' },
  };
  const hash = campaignItemHash(item);
  const ref = { campaignId: 'winter', idempotencyKey: 'renewal-1', itemHash: hash };
  const booking = { bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10', callSlotId: 'support-uk', startIso: '2026-11-23T09:00:00.000Z', endIso: '2026-11-23T09:30:00.000Z' };
  const fold = (...commands: CampaignItemCommand[]): CampaignItemState =>
    commands.reduce((state, command) => campaignItemDecider.decide(command, state).reduce(campaignItemDecider.evolve, state), campaignItemDecider.initialState());
  const booked: CampaignItemCommand = { type: 'RecordItemBooked', item: ref, booking };
  const rejected: CampaignItemCommand = { type: 'RecordItemRejected', item: ref, reason: 'full', detail: 'full' };

  it('the same content is the same item, however the instant is spelled or the number spaced', () => {
    expect(campaignItemHash({ ...item, callbackNumber: '07911123456', target: { kind: 'slot', callSlotId: 'support-uk', startIso: '2026-11-23T10:00:00+01:00' } })).toBe(hash);
    expect(campaignItemHash({ ...item, callbackNumber: '07911 123457' })).not.toBe(hash);
    expect(campaignItemHash({ ...item, target: { kind: 'earliest', callSlotId: 'support-uk', from: '2026-11-23T09:00:00Z', to: '2026-11-24T09:00:00Z' } })).not.toBe(hash);
  });

  it('a new key is new; a rejection keeps it free, so submitting again tries again', () => {
    expect(previousSubmission(fold(), hash)).toEqual({ kind: 'new' });
    const afterRejection = fold(rejected, rejected);
    expect(afterRejection).toEqual({ status: 'Open', rejections: 2 });
    expect(previousSubmission(afterRejection, 'b'.repeat(64))).toEqual({ kind: 'new' });
  });

  it('once booked, the same content is a duplicate of that booking and other content a conflict', () => {
    const state = fold(rejected, booked);
    expect(previousSubmission(state, hash)).toEqual({ kind: 'duplicate', booking });
    expect(previousSubmission(state, 'b'.repeat(64))).toEqual({ kind: 'conflict', bookingId: booking.bookingId });
  });

  it('recording the same booking twice is a no-op; another booking for the key is refused with 409', () => {
    const state = fold(booked);
    expect(campaignItemDecider.decide(booked, state)).toEqual([]);
    expect(() => campaignItemDecider.decide({ ...booked, booking: { ...booking, bookingId: '0d7b7f55-2f1a-4e0c-8f43-8f2f6c1b9a22' } }, state)).toThrow(
      expect.objectContaining({ code: 'CALLBACK_SLOTS.CAMPAIGN_ITEM_KEY_REUSED', kind: 'conflict' }),
    );
    expect(() => campaignItemDecider.decide(rejected, state)).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CAMPAIGN_ITEM_KEY_REUSED' }));
  });
});

describe('campaign booking rules', () => {
  it.each([
    [null, 1000, true],
    [3, 2, true],
    [3, 3, false],
    [1, 0, true],
  ])('cap %p with %i of the campaign booked: allowed %p', (cap, live, allowed) => expect(capAllows(cap, live)).toBe(allowed));

  it.each([
    ['CALLBACK_SLOTS.SLOT_FULL', 'full'],
    ['CALLBACK_SLOTS.SLOT_IN_PAST', 'in-past'],
    ['CALLBACK_SLOTS.OCCURRENCE_CLOSED', 'closed'],
    ['CALLBACK_SLOTS.UNKNOWN_OCCURRENCE', 'unknown-slot'],
    ['CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND', 'unknown-slot'],
    ['CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER', 'invalid-number'],
    ['CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED', 'invalid-number'],
    ['CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED', 'blacklisted'],
    ['CONCURRENCY.CONFLICT', null],
  ])('%s rejects the item as %p', (code, reason) => expect(rejectionReasonOf(code)).toBe(reason));

  it('in a window, a full, started, closed or capped occurrence means: try the next one', () => {
    expect(['full', 'in-past', 'closed', 'campaign-cap'].every((r) => tryNextOccurrence(r as never))).toBe(true);
    expect(['invalid-number', 'blacklisted', 'unknown-slot'].some((r) => tryNextOccurrence(r as never))).toBe(false);
  });
});
