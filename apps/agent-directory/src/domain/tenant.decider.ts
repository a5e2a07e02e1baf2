// The tenant aggregate (`tenant-{tenant}`): licence (feature flags, maxAgents) set by the platform operator
// and settings (extension plan, default zone and country) set by the tenant's admin. Other aggregates get
// the tenant's view on their commands; `requireLicence` is the one licence gate.
import { isDeepStrictEqual } from 'node:util';
import {
  AGENT_DIRECTORY_ERRORS as E,
  CountryCodeSchema,
  EXTENSION_DIGITS_MAX,
  EXTENSION_DIGITS_MIN,
  FEATURE_REQUIRES,
  LICENSABLE_FEATURES,
  MAX_AGENTS_LIMIT,
  isLicensed,
  type CountryCode,
  type Decider,
  type ExtensionDigits,
  type FieldError,
  type LicensableFeature,
  type TenantEvent,
  type TenantLicence,
  type TenantSettings,
  type TenantView,
} from '@cc/contracts';
import { normalizeZone } from '@cc/scheduling';
import { directoryError } from './directory-error';

export type TenantState = { status: 'unregistered' } | { status: 'registered'; tenant: TenantView };

export type RegisterTenant = {
  type: 'RegisterTenant';
  tenantId: string;
  name: string;
  licence: TenantLicence;
  settings: TenantSettings;
};
export type ChangeTenantLicence = { type: 'ChangeTenantLicence'; licence: TenantLicence };
/** Fields left out stay as they are. */
export type ChangeTenantSettings = { type: 'ChangeTenantSettings'; settings: Partial<TenantSettings> };
export type TenantCommand = RegisterTenant | ChangeTenantLicence | ChangeTenantSettings;

export const initialTenantState = (): TenantState => ({ status: 'unregistered' });

export function evolveTenant(_state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantRegistered':
    case 'TenantLicenceChanged':
    case 'TenantSettingsChanged':
      return { status: 'registered', tenant: event.data.tenant };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'RegisterTenant': {
      if (state.status === 'registered') {
        throw directoryError(E.TENANT_EXISTS, `Tenant ${command.tenantId} is already registered`);
      }
      const tenant: TenantView = {
        tenantId: command.tenantId,
        name: command.name.trim(),
        licence: normaliseLicence(command.licence),
        settings: normaliseSettings(command.settings),
      };
      return [{ type: 'TenantRegistered', data: { tenant } }];
    }
    case 'ChangeTenantLicence': {
      const current = requireTenant(state);
      const licence = normaliseLicence(command.licence);
      if (isDeepStrictEqual(licence, current.licence)) return [];
      return [{ type: 'TenantLicenceChanged', data: { tenant: { ...current, licence } } }];
    }
    case 'ChangeTenantSettings': {
      const current = requireTenant(state);
      const settings = normaliseSettings({ ...current.settings, ...definedOnly(command.settings) });
      if (isDeepStrictEqual(settings, current.settings)) return [];
      return [{ type: 'TenantSettingsChanged', data: { tenant: { ...current, settings } } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const tenantDecider: Decider<TenantState, TenantCommand, TenantEvent> = {
  initialState: initialTenantState,
  evolve: evolveTenant,
  decide: decideTenant,
};

/** The registered tenant, or AGENT_DIRECTORY.TENANT_NOT_FOUND. */
export function requireTenant(state: TenantState): TenantView {
  if (state.status !== 'registered') {
    throw directoryError(E.TENANT_NOT_FOUND, 'The tenant is not registered in agent-directory');
  }
  return state.tenant;
}

/**
 * The licence gate: returns the tenant when it is licensed for `feature`, otherwise throws
 * AGENT_DIRECTORY.LICENCE_REQUIRED (403) naming the licence (`details.licence`).
 */
export function requireLicence(tenant: TenantState | TenantView, feature: LicensableFeature): TenantView {
  const view = 'status' in tenant ? requireTenant(tenant) : tenant;
  if (!isLicensed(view, feature)) {
    throw directoryError(
      E.LICENCE_REQUIRED,
      `This needs the "${feature}" licence, which tenant ${view.tenantId} does not have`,
      [],
      { licence: feature },
    );
  }
  return view;
}

/** Features deduplicated and in LICENSABLE_FEATURES order; a feature's prerequisite must be licensed too. */
function normaliseLicence(licence: TenantLicence): TenantLicence {
  const features = LICENSABLE_FEATURES.filter((f) => licence.features.includes(f));
  const errors: FieldError[] = [];
  for (const feature of features) {
    const needed = FEATURE_REQUIRES[feature];
    if (needed !== undefined && !features.includes(needed)) {
      errors.push({ path: 'licence.features', message: `"${feature}" needs "${needed}" licensed too` });
    }
  }
  if (!Number.isInteger(licence.maxAgents) || licence.maxAgents < 1 || licence.maxAgents > MAX_AGENTS_LIMIT) {
    errors.push({ path: 'licence.maxAgents', message: `must be a whole number from 1 to ${MAX_AGENTS_LIMIT}` });
  }
  if (errors.length > 0) throw invalidSettings(errors);
  return { features, maxAgents: licence.maxAgents };
}

function normaliseSettings(settings: TenantSettings): TenantSettings {
  const errors: FieldError[] = [];
  const digits: ExtensionDigits = settings.extensionDigits;
  const inBounds = (n: number): boolean => Number.isInteger(n) && n >= EXTENSION_DIGITS_MIN && n <= EXTENSION_DIGITS_MAX;
  if (!inBounds(digits.min)) errors.push({ path: 'settings.extensionDigits.min', message: `must be ${EXTENSION_DIGITS_MIN} to ${EXTENSION_DIGITS_MAX}` });
  if (!inBounds(digits.max)) errors.push({ path: 'settings.extensionDigits.max', message: `must be ${EXTENSION_DIGITS_MIN} to ${EXTENSION_DIGITS_MAX}` });
  if (inBounds(digits.min) && inBounds(digits.max) && digits.min > digits.max) {
    errors.push({ path: 'settings.extensionDigits.max', message: `must not be below min (${digits.min})` });
  }
  const zone = normalizeZone(settings.defaultTimezone);
  if (zone === null) errors.push({ path: 'settings.defaultTimezone', message: `"${settings.defaultTimezone}" is not an IANA time zone` });
  if (!CountryCodeSchema.safeParse(settings.defaultCountry).success) {
    errors.push({ path: 'settings.defaultCountry', message: `"${settings.defaultCountry}" is not a country with a known numbering plan` });
  }
  if (errors.length > 0) throw invalidSettings(errors);
  return {
    extensionDigits: { min: digits.min, max: digits.max },
    defaultTimezone: zone as string,
    defaultCountry: settings.defaultCountry as CountryCode,
  };
}

const invalidSettings = (errors: FieldError[]) =>
  directoryError(E.INVALID_TENANT_SETTINGS, `Tenant licence or settings are invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
