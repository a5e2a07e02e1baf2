// A tenant as agent-directory owns it: its licence (feature flags and limits, set by the platform operator)
// and its settings (extension plan, default zone and country). Other services gate features on `licence`.
import { z } from 'zod';
import { CountryCodeSchema } from '../phone';
import { TenantIdSchema } from '../tenant';

/**
 * Features a tenant must be licensed for. Call slots are licensable (seed 003); campaigns (bulk callback
 * submission into call slots) are sold on top of call slots and need them.
 */
export const LICENSABLE_FEATURES = ['callSlots', 'campaigns'] as const;
export const LicensableFeatureSchema = z.enum(LICENSABLE_FEATURES);
export type LicensableFeature = z.infer<typeof LicensableFeatureSchema>;

/** A feature that only makes sense with another one (`campaigns` fill call slots). */
export const FEATURE_REQUIRES: { readonly [F in LicensableFeature]?: LicensableFeature } = { campaigns: 'callSlots' };

export const MAX_AGENTS_LIMIT = 100_000;

export const TenantLicenceSchema = z.strictObject({
  /** Licensed features, unique, in LICENSABLE_FEATURES order. */
  features: z.array(LicensableFeatureSchema),
  /** Agents (active or disabled, not removed) the tenant may have. */
  maxAgents: z.number().int().min(1).max(MAX_AGENTS_LIMIT),
});
export type TenantLicence = z.infer<typeof TenantLicenceSchema>;

/** Extension plan bounds: no PBX dial plan uses 1-digit or >10-digit internal numbers (ExtensionSchema). */
export const EXTENSION_DIGITS_MIN = 2;
export const EXTENSION_DIGITS_MAX = 10;
export const DEFAULT_EXTENSION_DIGITS = { min: 3, max: 6 } as const;

export const ExtensionDigitsSchema = z.strictObject({
  min: z.number().int().min(EXTENSION_DIGITS_MIN).max(EXTENSION_DIGITS_MAX),
  max: z.number().int().min(EXTENSION_DIGITS_MIN).max(EXTENSION_DIGITS_MAX),
});
export type ExtensionDigits = z.infer<typeof ExtensionDigitsSchema>;

export const TenantSettingsSchema = z.strictObject({
  /** Length bounds of new extensions (existing ones stay valid when the plan changes). */
  extensionDigits: ExtensionDigitsSchema,
  /** IANA zone for agents' working hours when an agent gives none (`Europe/London`). */
  defaultTimezone: z.string().min(1).max(64),
  /** Numbering plan used to read numbers typed without `+` (`01234 567890` in GB). */
  defaultCountry: CountryCodeSchema,
});
export type TenantSettings = z.infer<typeof TenantSettingsSchema>;

/** Everything a replica needs about a tenant: every tenant event carries it whole. */
export const TenantViewSchema = z.strictObject({
  tenantId: TenantIdSchema,
  name: z.string().min(1).max(200),
  licence: TenantLicenceSchema,
  settings: TenantSettingsSchema,
});
export type TenantView = z.infer<typeof TenantViewSchema>;

export const exampleTenantView: TenantView = {
  tenantId: 'acme',
  name: 'Acme Ltd',
  licence: { features: ['callSlots'], maxAgents: 250 },
  settings: { extensionDigits: { min: 4, max: 4 }, defaultTimezone: 'Europe/London', defaultCountry: 'GB' },
};

/** True when the tenant's licence includes `feature`. */
export const isLicensed = (tenant: Pick<TenantView, 'licence'>, feature: LicensableFeature): boolean =>
  tenant.licence.features.includes(feature);
