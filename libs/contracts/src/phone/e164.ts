// The stored, canonical forms of dialable identifiers shared by agent-directory, divert and callback-slots:
// E.164 numbers, ISO country codes (to read national input) and internal extensions.
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** `+` then 2-15 digits, no leading zero in the country code (ITU-T E.164). Example: `+441234567890`. */
export const E164Schema = z.string().regex(/^\+[1-9][0-9]{1,14}$/, 'an E.164 number: "+" then 2 to 15 digits');
export type E164 = z.infer<typeof E164Schema>;

export type { CountryCode };

/** ISO 3166-1 alpha-2 code that libphonenumber-js has a numbering plan for (`GB`, `DE`, `US`). */
export const CountryCodeSchema = z.custom<CountryCode>(
  (value) => typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isSupportedCountry(value),
  { message: 'an ISO 3166-1 alpha-2 country code with a known numbering plan, e.g. "GB"' },
);

/**
 * An internal extension (`2001`): 2 to 10 ASCII digits. Extensions appear in stream ids and NATS
 * subjects, so the alphabet is kept to digits on purpose.
 */
export const ExtensionSchema = z.string().regex(/^[0-9]{2,10}$/, 'an extension: 2 to 10 digits, e.g. "2001"');
export type Extension = z.infer<typeof ExtensionSchema>;

/** What an operator typed as a phone number, before normalisation (`441234567890`, `01234 567890`). */
export const RawPhoneNumberSchema = z.string().trim().min(1).max(40);
