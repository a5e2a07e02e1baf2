// Environment variables of the divert service (validated at start; see BaseConfigSchema for the shared ones).
import { BaseConfigSchema } from '@cc/platform';
import { CountryCodeSchema, type CountryCode } from '@cc/contracts';
import { z } from 'zod';

/** The seed product is British: `01234 567890`, `441234567890`. */
export const DEFAULT_DIVERT_COUNTRY = 'GB' as CountryCode;

export const DivertConfigSchema = BaseConfigSchema.extend({
  /**
   * Reads divert numbers typed without "+" for tenants whose default country agent-directory has not
   * told us (yet).
   */
  DIVERT_DEFAULT_COUNTRY: CountryCodeSchema.default(DEFAULT_DIVERT_COUNTRY),
});
export type DivertConfig = z.infer<typeof DivertConfigSchema>;
