// Specification of phone-number normalisation: which typed forms become which E.164 number, and which are refused.
import { CountryCodeSchema, E164Schema, ExtensionSchema } from './e164';
import { normalisePhoneNumber, type CountryCode } from './index';

describe('normalisePhoneNumber', () => {
  describe('accepts the forms operators type and returns E.164', () => {
    it.each<[string, CountryCode, string]>([
      ['441234567890', 'GB', '+441234567890'], // the seed's form: country code, no "+"
      ['+44 1234 567890', 'GB', '+441234567890'],
      ['+44 (0)1234 567890', 'GB', '+441234567890'],
      ['01234 567890', 'GB', '+441234567890'],
      ['(01234) 567890', 'GB', '+441234567890'],
      ['01234-567-890', 'GB', '+441234567890'],
      ['0044 1234 567890', 'GB', '+441234567890'], // GB's IDD prefix
      ['  07911 123456  ', 'GB', '+447911123456'],
      ['12125550123', 'GB', '+12125550123'], // another country's code without "+": only valid reading
      ['+1 212 555 0123', 'GB', '+12125550123'], // "+" ignores the default country
      ['2125550123', 'US', '+12125550123'], // national without trunk prefix: only valid reading
      ['491701234567', 'DE', '+491701234567'], // both readings valid in DE; own calling code wins
      ['030 123456', 'DE', '+4930123456'],
      ['+800 1234 5678', 'GB', '+80012345678'], // non-geographic
    ])('%j with default %s is %s', (input, country, e164) => {
      const result = normalisePhoneNumber(input, country);
      expect(result).toMatchObject({ ok: true, e164 });
      expect(E164Schema.safeParse(result.ok && result.e164).success).toBe(true);
    });

    it('tells the number type so callers can refuse classes (premium rate)', () => {
      expect(normalisePhoneNumber('09065 000000', 'GB')).toMatchObject({ ok: true, type: 'PREMIUM_RATE', country: 'GB' });
      expect(normalisePhoneNumber('07911 123456', 'GB')).toMatchObject({ ok: true, type: 'MOBILE' });
    });
  });

  describe('refuses what is not a number', () => {
    it.each<[string, CountryCode, string]>([
      ['', 'GB', 'NOT_A_NUMBER'],
      ['   ', 'GB', 'NOT_A_NUMBER'],
      ['abc', 'GB', 'NOT_A_NUMBER'],
      ['+', 'GB', 'NOT_A_NUMBER'],
      ['Phone: 01234 567890', 'GB', 'NOT_A_NUMBER'], // no extracting a number out of text
      ['tel:+441234567890', 'GB', 'NOT_A_NUMBER'],
      ['++44 1234 567890', 'GB', 'NOT_A_NUMBER'],
      ['44 1234 +567890', 'GB', 'NOT_A_NUMBER'],
      ['１２３４５６７８９０', 'GB', 'NOT_A_NUMBER'], // full-width digits
      ['*123#', 'GB', 'NOT_A_NUMBER'],
      ['01234 567890 ext. 12', 'GB', 'HAS_EXTENSION'],
      ['01234567890x12', 'GB', 'HAS_EXTENSION'],
      ['999', 'GB', 'INVALID'], // emergency short code is no divert target
      ['2001', 'GB', 'INVALID'], // an internal extension is not a phone number
      ['+4412345', 'GB', 'INVALID'],
      ['4412345678901234', 'GB', 'INVALID'],
      ['3612345678', 'US', 'AMBIGUOUS'], // +1 361 234 5678 or +36 1 234 5678
    ])('%j with default %s is refused as %s', (input, country, reason) => {
      const result = normalisePhoneNumber(input, country);
      expect(result).toMatchObject({ ok: false, reason });
      expect(result.ok === false && result.message.length).toBeGreaterThan(0);
    });

    it('names both readings when it refuses an ambiguous number', () => {
      const result = normalisePhoneNumber('3612345678', 'US');
      expect(result.ok === false && result.message).toMatch(/\+13612345678.*\+3612345678/);
    });

    it('throws on an unsupported default country (a configuration bug, not bad input)', () => {
      expect(() => normalisePhoneNumber('01234 567890', 'XX' as CountryCode)).toThrow(/unsupported default country/);
    });
  });
});

describe('identifier schemas', () => {
  it.each([
    ['E164', E164Schema, '+441234567890', true],
    ['E164', E164Schema, '441234567890', false],
    ['E164', E164Schema, '+0441234567890', false],
    ['E164', E164Schema, '+4412345678901234', false],
    ['CountryCode', CountryCodeSchema, 'GB', true],
    ['CountryCode', CountryCodeSchema, 'gb', false],
    ['CountryCode', CountryCodeSchema, 'XX', false],
    ['Extension', ExtensionSchema, '2001', true],
    ['Extension', ExtensionSchema, '7', false],
    ['Extension', ExtensionSchema, '20.01', false],
    ['Extension', ExtensionSchema, '2001a', false],
  ] as const)('%s %j: valid %s', (_name, schema, value, valid) => expect(schema.safeParse(value).success).toBe(valid));
});
