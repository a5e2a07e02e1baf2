// Turns what an operator sends for an agent (raw numbers, optional defaults, ranges in any order) into the
// stored, normalised form, refusing what breaks a field rule with its own code and field path.
import {
  AGENT_DIRECTORY_ERRORS as E,
  MOBILE_AFTER_SECONDS_DEFAULT,
  MOBILE_AFTER_SECONDS_MAX,
  MOBILE_AFTER_SECONDS_MIN,
  normalisePhoneNumber,
  ringsMobile,
  type AfterHoursPolicy,
  type AfterHoursPolicyInput,
  type CountryCode,
  type ExtensionDigits,
  type RingPreference,
  type RingPreferenceInput,
  type WorkingHours,
  type WorkingHoursInput,
} from '@cc/contracts';
import { normalizeZone, sortWeeklyRanges, validateWeeklyRanges } from '@cc/scheduling';
import { directoryError } from './directory-error';

/** Number classes we never ring or forward to: premium rate numbers are the classic toll-fraud target. */
const REFUSED_NUMBER_TYPES = new Set(['PREMIUM_RATE']);

const describeDigits = (digits: ExtensionDigits): string =>
  digits.min === digits.max ? `${digits.min} digits` : `${digits.min} to ${digits.max} digits`;

/** An extension must be digits only and as long as the tenant's extension plan allows. */
export function checkExtension(extension: string, digits: ExtensionDigits, path = 'extension'): string {
  if (!/^[0-9]+$/.test(extension) || extension.length < digits.min || extension.length > digits.max) {
    throw directoryError(E.INVALID_EXTENSION, `Extension "${extension}" must be ${describeDigits(digits)}`, [
      { path, message: `must be ${describeDigits(digits)}` },
    ]);
  }
  return extension;
}

/** A typed phone number (`441234567890`, `07911 123456`) as E.164, read with the tenant's default country. */
export function normaliseNumber(raw: string, defaultCountry: CountryCode, path: string): string {
  const result = normalisePhoneNumber(raw, defaultCountry);
  if (!result.ok) {
    throw directoryError(E.INVALID_NUMBER, `"${raw}" is not a usable phone number: ${result.message}`, [
      { path, message: result.message },
    ], { reason: result.reason });
  }
  if (result.type !== undefined && REFUSED_NUMBER_TYPES.has(result.type)) {
    throw directoryError(E.NUMBER_NOT_ALLOWED, `${result.e164} is a ${result.type} number, which is never rung`, [
      { path, message: `${result.type} numbers are not allowed` },
    ], { type: result.type });
  }
  return result.e164;
}

/** The preference with its default delay applied; the delay must lie in MOBILE_AFTER_SECONDS_MIN..MAX. */
export function resolveRingPreference(input: RingPreferenceInput, path = 'ringPreference'): RingPreference {
  switch (input.kind) {
    case 'simultaneous':
    case 'extensionOnly':
    case 'mobileOnly':
      return { kind: input.kind };
    case 'extensionThenMobile': {
      const seconds = input.mobileAfterSeconds ?? MOBILE_AFTER_SECONDS_DEFAULT;
      if (!Number.isInteger(seconds) || seconds < MOBILE_AFTER_SECONDS_MIN || seconds > MOBILE_AFTER_SECONDS_MAX) {
        const message = `must be a whole number of seconds from ${MOBILE_AFTER_SECONDS_MIN} to ${MOBILE_AFTER_SECONDS_MAX}`;
        throw directoryError(E.RING_DELAY_OUT_OF_RANGE, `Mobile ring delay ${seconds} s ${message}`, [
          { path: `${path}.mobileAfterSeconds`, message },
        ]);
      }
      return { kind: 'extensionThenMobile', mobileAfterSeconds: seconds };
    }
    default: {
      const _exhaustive: never = input;
      return _exhaustive;
    }
  }
}

/** Refuses a preference that rings the mobile when there is no mobile; `path` names the field being changed. */
export function requireMobileFor(preference: RingPreference, mobile: string | null, path: string): void {
  if (mobile === null && ringsMobile(preference)) {
    throw directoryError(
      E.MOBILE_REQUIRED,
      `Ring preference "${preference.kind}" rings the mobile, but the agent has no mobile number`,
      [{ path, message: `"${preference.kind}" needs a mobile number` }],
      { ringPreference: preference.kind },
    );
  }
}

/**
 * Working hours as stored: the zone defaults to the tenant's and is spelled canonically, ranges are sorted
 * (Monday first). Overlapping ranges are REFUSED, not merged: an overlap in what an operator typed is
 * nearly always a slip (a wrong day or hour), and merging would hide it; the error points at the later
 * range (`workingHours.ranges[3]`). Adjacent ranges (09:00-12:00, 12:00-13:00) are fine and kept as given.
 */
export function resolveWorkingHours(input: WorkingHoursInput, defaultZone: string, path = 'workingHours'): WorkingHours {
  switch (input.mode) {
    case 'always':
      return { mode: 'always' };
    case 'weekly': {
      const requested = input.timezone ?? defaultZone;
      const timezone = normalizeZone(requested);
      const issues = validateWeeklyRanges(input.ranges, `${path}.ranges`).map(({ path: p, message }) => ({ path: p, message }));
      if (timezone === null) issues.unshift({ path: `${path}.timezone`, message: `"${requested}" is not an IANA time zone` });
      if (issues.length > 0) {
        throw directoryError(E.INVALID_WORKING_HOURS, `Working hours are invalid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
      }
      const ranges = sortWeeklyRanges(input.ranges.map(({ day, start, end }) => ({ day, start, end })));
      return { mode: 'weekly', timezone: timezone as string, ranges };
    }
    default: {
      const _exhaustive: never = input;
      return _exhaustive;
    }
  }
}

/** The after-hours policy as stored; forwarding to the agent's own extension would ring the agent again. */
export function resolveAfterHours(
  input: AfterHoursPolicyInput,
  ownExtension: string,
  defaultCountry: CountryCode,
  path = 'afterHours',
): AfterHoursPolicy {
  switch (input.kind) {
    case 'voicemail':
    case 'followCallFlow':
      return { kind: input.kind };
    case 'forwardExtension':
      checkNotOwnExtension(input.extension, ownExtension, `${path}.extension`);
      return { kind: 'forwardExtension', extension: input.extension };
    case 'forwardNumber':
      return { kind: 'forwardNumber', e164: normaliseNumber(input.number, defaultCountry, `${path}.number`) };
    default: {
      const _exhaustive: never = input;
      return _exhaustive;
    }
  }
}

export function checkNotOwnExtension(target: string, ownExtension: string, path: string): void {
  if (target === ownExtension) {
    throw directoryError(
      E.AFTER_HOURS_TARGET_IS_SELF,
      `After hours would forward extension ${ownExtension} to itself`,
      [{ path, message: 'must not be the agent\'s own extension' }],
    );
  }
}
