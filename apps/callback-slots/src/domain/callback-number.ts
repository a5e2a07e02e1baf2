// Decides whether a number may be called back: a real number (E.164 via the tenant's default country),
// not blacklisted, not premium rate (toll fraud). One rule for the IVR dialogue and API bookings.
import { normalisePhoneNumber, type CountryCode } from '@cc/contracts';
import { blacklistMatch, type BlacklistState } from './blacklist.decider';

export type CallbackNumberVerdict =
  | { ok: true; e164: string }
  | { ok: false; reason: 'invalid' | 'not-allowed' | 'blacklisted'; code: CallbackNumberRefusalCode; message: string };

export type CallbackNumberRefusalCode =
  | 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER'
  | 'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED'
  | 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED';

/** `input` as typed or keyed (`07911123456`, `447911123456`, `+44 7911 123456`). */
export function callbackNumberVerdict(input: string, defaultCountry: CountryCode, blacklist: BlacklistState): CallbackNumberVerdict {
  const parsed = normalisePhoneNumber(input, defaultCountry);
  if (!parsed.ok) return { ok: false, reason: 'invalid', code: 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER', message: parsed.message };
  const listed = blacklistMatch(blacklist, parsed.e164);
  if (listed) {
    return {
      ok: false,
      reason: 'blacklisted',
      code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED',
      message: `${parsed.e164} is blacklisted (${listed.kind} ${listed.value})`,
    };
  }
  if (parsed.type === 'PREMIUM_RATE') {
    return {
      ok: false,
      reason: 'not-allowed',
      code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED',
      message: `${parsed.e164} is a premium-rate number; callbacks are not made to premium-rate numbers`,
    };
  }
  return { ok: true, e164: parsed.e164 };
}
