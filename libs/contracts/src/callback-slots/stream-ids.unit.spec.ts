// Specification of the callback-slots stream ids: the exact DESIGN.md shapes, and one spelling per
// occurrence instant (two spellings would be two streams, i.e. double capacity).
import {
  canonicalUtcInstant,
  toBlacklistStreamId,
  toCallSlotStreamId,
  toOfferSessionStreamId,
  toTimeSlotStreamId,
} from './stream-ids';

describe('callback-slots stream ids', () => {
  it.each([
    [toCallSlotStreamId('acme', 'support-uk'), 'callslot-acme-support-uk'],
    [toTimeSlotStreamId('acme', 'support-uk', '2026-11-23T09:00:00.000Z'), 'timeslot-acme-support-uk-2026-11-23T09:00:00.000Z'],
    [toBlacklistStreamId('acme'), 'blacklist-acme'],
    [toOfferSessionStreamId('acme', '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11'), 'offersession-acme-7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11'],
  ])('%s', (actual, expected) => expect(actual).toBe(expected));

  it.each(['2026-11-23T09:00:00Z', '2026-11-23T10:00:00+01:00', '2026-11-23T04:00:00.000-05:00', '2026-11-23T09:00:00.000000Z'])(
    'names one stream for every spelling of the same instant (%s)',
    (start) => expect(toTimeSlotStreamId('acme', 'support-uk', start)).toBe('timeslot-acme-support-uk-2026-11-23T09:00:00.000Z'),
  );

  it.each(['2026-11-23', '2026-11-23T09:00:00', '2026-02-30T09:00:00Z', 'tomorrow'])('refuses "%s" as an occurrence start', (start) => {
    expect(() => toTimeSlotStreamId('acme', 'support-uk', start)).toThrow();
    expect(() => canonicalUtcInstant(start)).toThrow(/ISO 8601 instant/);
  });

  it('refuses tenant and call slot ids that would blur the stream id', () => {
    expect(() => toCallSlotStreamId('Acme', 'support-uk')).toThrow();
    expect(() => toCallSlotStreamId('acme', 'Support UK')).toThrow();
    expect(() => toOfferSessionStreamId('acme', 'not-a-uuid')).toThrow();
  });
});
