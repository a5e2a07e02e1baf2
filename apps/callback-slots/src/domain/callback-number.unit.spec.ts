// Specification of which numbers may be called back: real numbers only, never blacklisted ones,
// never premium rate; the blacklist is named first when both apply.
import { blacklistDecider, initialBlacklistState, type BlacklistState } from './blacklist.decider';
import { callbackNumberVerdict } from './callback-number';

const listed = (kind: 'number' | 'prefix', value: string): BlacklistState =>
  blacklistDecider.decide({ type: 'AddBlacklistEntry', kind, value, note: null }, initialBlacklistState()).reduce(blacklistDecider.evolve, initialBlacklistState());

describe('callbackNumberVerdict', () => {
  it.each([
    ['07911 123456', '+447911123456'],
    ['447911123456', '+447911123456'],
    ['+44 1234 567890', '+441234567890'],
  ])('accepts %s as %s', (input, e164) => {
    expect(callbackNumberVerdict(input, 'GB', initialBlacklistState())).toEqual({ ok: true, e164 });
  });

  it.each([
    ['12', 'invalid', 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER', initialBlacklistState()],
    ['09065 000000', 'not-allowed', 'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED', initialBlacklistState()],
    ['07911 123456', 'blacklisted', 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED', listed('number', '+447911123456')],
    ['07911 123456', 'blacklisted', 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED', listed('prefix', '+447911')],
    ['09065 000000', 'blacklisted', 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED', listed('prefix', '+449')],
  ])('refuses %s as %s', (input, reason, code, blacklist) => {
    expect(callbackNumberVerdict(input, 'GB', blacklist)).toMatchObject({ ok: false, reason, code });
  });
});
