// Turns what an operator types as a phone number into E.164, the only form we store or send on.
// One implementation for every service, so `441234567890` means the same number everywhere.
import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type NumberType,
  type PhoneNumber,
} from 'libphonenumber-js/max';

export type NormalisedPhoneNumber = {
  ok: true;
  /** `+441234567890` */
  e164: string;
  /** Country the number belongs to, when the numbering plan tells (`undefined` for non-geographic `+800…`). */
  country: CountryCode | undefined;
  /** `MOBILE`, `FIXED_LINE`, `PREMIUM_RATE`, … (`undefined` when the plan cannot tell). Lets callers refuse number classes. */
  type: NumberType;
};

export type PhoneNumberRejection = {
  ok: false;
  reason:
    | 'NOT_A_NUMBER' // letters, stray symbols, no digits
    | 'HAS_EXTENSION' // "… ext. 12": we dial whole numbers only
    | 'INVALID' // parses, but no such number exists in that numbering plan
    | 'AMBIGUOUS'; // digits-only input that is a valid number read nationally AND read internationally
  message: string;
};

export type PhoneNumberResult = NormalisedPhoneNumber | PhoneNumberRejection;

// Digits and the separators people type between them. A `+` may only lead. Anything else
// (letters, `tel:`, `#`, `*`, full-width digits) is refused rather than "extracted" around.
const ALLOWED = /^\+?[0-9 ().\-/]+$/;

/**
 * Normalises `input` to E.164, reading numbers without `+` with `defaultCountry`'s plan. Pure.
 *
 * Accepted forms (default country GB):
 * - `+44 1234 567890`, `0044 1234 567890` (international, with `+` or the country's IDD prefix);
 * - `01234 567890`, `(01234) 567890` (national, with trunk prefix);
 * - `441234567890` (the seed's form: digits with the country code, no `+`);
 * - `12125550123` (any country's code without `+`, when that is the only valid reading).
 *
 * Digits-only input without a leading `0` can be read two ways: nationally (`2125550123` in the US)
 * or as the seed's international-without-plus form. We take the reading that is a valid number;
 * when both are valid and differ, the international one wins only if it starts with the default
 * country's own calling code (`49…` for DE, the seed's form); otherwise the input is refused as
 * AMBIGUOUS instead of guessing, because a wrong guess forwards calls to a stranger.
 *
 * Validity uses libphonenumber-js `max` metadata (real number ranges, not just lengths).
 * Throws only for a programming error: an unsupported `defaultCountry`.
 */
export function normalisePhoneNumber(input: string, defaultCountry: CountryCode): PhoneNumberResult {
  if (!isSupportedCountry(defaultCountry)) {
    throw new Error(`normalisePhoneNumber: unsupported default country "${String(defaultCountry)}"`);
  }
  const text = input.trim();
  if (!ALLOWED.test(text) || !/[0-9]/.test(text)) {
    if (/^\+?[0-9 ().\-/]+\s*(ext\.?|x|#)\s*[0-9]+$/i.test(text)) {
      return reject('HAS_EXTENSION', 'phone number extensions are not supported: give the whole number to dial');
    }
    return reject('NOT_A_NUMBER', 'not a phone number: use digits, optionally a leading "+", spaces, "-", "(", ")"');
  }

  if (text.startsWith('+')) {
    return accept(parse(text, undefined)) ?? reject('INVALID', `"${input}" is not a valid international number`);
  }

  const digits = text.replace(/[^0-9]/g, '');
  const national = accept(parse(text, defaultCountry));
  const international = digits.startsWith('0') ? undefined : accept(parse(`+${digits}`, undefined));

  if (national && international && national.e164 !== international.e164) {
    if (digits.startsWith(getCountryCallingCode(defaultCountry))) return international;
    return reject(
      'AMBIGUOUS',
      `"${input}" is both ${national.e164} (national) and ${international.e164} (international): write it with "+" or a leading 0`,
    );
  }
  return (
    national ??
    international ??
    reject('INVALID', `"${input}" is not a valid number (read as ${defaultCountry} national or as international without "+")`)
  );
}

function parse(text: string, defaultCountry: CountryCode | undefined): PhoneNumber | undefined {
  // extract: false = the whole string must be the number; libphonenumber's default would pull a
  // number out of surrounding text.
  return parsePhoneNumberFromString(text, { defaultCountry, extract: false });
}

function accept(parsed: PhoneNumber | undefined): NormalisedPhoneNumber | undefined {
  if (!parsed || parsed.ext !== undefined || !parsed.isValid()) return undefined;
  return { ok: true, e164: parsed.number, country: parsed.country, type: parsed.getType() };
}

function reject(reason: PhoneNumberRejection['reason'], message: string): PhoneNumberRejection {
  return { ok: false, reason, message };
}
