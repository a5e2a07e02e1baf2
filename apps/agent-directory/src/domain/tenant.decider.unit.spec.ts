// Specification of the tenant aggregate: licence and settings rules, and the licence gate.
import { DomainError, type TenantEvent } from '@cc/contracts';
import { specificationOf } from './decider-specification.fixture';
import { settings, tenantWith } from './agent-directory.fixture';
import { requireLicence, tenantDecider, type RegisterTenant } from './tenant.decider';

const given = specificationOf(tenantDecider);
const registered: TenantEvent = { type: 'TenantRegistered', data: { tenant: tenantWith(['callSlots']) } };

const register = (overrides: Partial<RegisterTenant> = {}): RegisterTenant => ({
  type: 'RegisterTenant',
  tenantId: 'acme',
  name: 'Acme Ltd',
  licence: { features: ['callSlots'], maxAgents: 50 },
  settings,
  ...overrides,
});

describe('tenant decider', () => {
  describe('given no tenant', () => {
    it('registers it with licence and settings', () => {
      given([]).when(register()).then([registered]);
    });

    it('stores features once, in a fixed order, and the zone in its canonical spelling', () => {
      const [event] = given([])
        .when(
          register({
            licence: { features: ['campaigns', 'callSlots', 'campaigns'], maxAgents: 10 },
            settings: { ...settings, defaultTimezone: 'europe/london' },
          }),
        )
        .events();
      expect(event?.data.tenant.licence.features).toEqual(['callSlots', 'campaigns']);
      expect(event?.data.tenant.settings.defaultTimezone).toBe('Europe/London');
    });

    it.each<[string, Partial<RegisterTenant>, string]>([
      ['an unknown zone', { settings: { ...settings, defaultTimezone: 'Mars/Olympus' } }, 'settings.defaultTimezone'],
      ['an offset instead of a zone', { settings: { ...settings, defaultTimezone: '+01:00' } }, 'settings.defaultTimezone'],
      ['min digits above max', { settings: { ...settings, extensionDigits: { min: 5, max: 4 } } }, 'settings.extensionDigits.max'],
      ['one-digit extensions', { settings: { ...settings, extensionDigits: { min: 1, max: 4 } } }, 'settings.extensionDigits.min'],
      ['an unknown country', { settings: { ...settings, defaultCountry: 'XX' as 'GB' } }, 'settings.defaultCountry'],
      ['campaigns without call slots', { licence: { features: ['campaigns'], maxAgents: 10 } }, 'licence.features'],
      ['no agent seat', { licence: { features: [], maxAgents: 0 } }, 'licence.maxAgents'],
    ])('refuses %s (path %s)', (_, overrides, path) => {
      given([])
        .when(register(overrides))
        .thenError('AGENT_DIRECTORY.INVALID_TENANT_SETTINGS', { kind: 'validation', errors: [expect.objectContaining({ path })] });
    });

    it.each([
      { type: 'ChangeTenantLicence' as const, licence: { features: [], maxAgents: 5 } },
      { type: 'ChangeTenantSettings' as const, settings: { defaultCountry: 'DE' as const } },
    ])('refuses $type: the tenant does not exist', (command) => {
      given([]).when(command).thenError('AGENT_DIRECTORY.TENANT_NOT_FOUND', { kind: 'not_found' });
    });
  });

  describe('given a registered tenant', () => {
    it('refuses to register it again', () => {
      given([registered]).when(register()).thenError('AGENT_DIRECTORY.TENANT_EXISTS', { kind: 'conflict' });
    });

    it('changes the licence and carries the whole tenant', () => {
      given([registered])
        .when({ type: 'ChangeTenantLicence', licence: { features: ['callSlots', 'campaigns'], maxAgents: 500 } })
        .then([{ type: 'TenantLicenceChanged', data: { tenant: { ...tenantWith(['callSlots', 'campaigns'], 500) } } }]);
    });

    it('writes nothing when the licence does not change', () => {
      given([registered]).when({ type: 'ChangeTenantLicence', licence: { features: ['callSlots'], maxAgents: 50 } }).thenNothing();
    });

    it('allows lowering maxAgents (existing agents stay; only new registrations are refused)', () => {
      const [event] = given([registered]).when({ type: 'ChangeTenantLicence', licence: { features: ['callSlots'], maxAgents: 1 } }).events();
      expect(event?.data.tenant.licence.maxAgents).toBe(1);
    });

    it('changes only the settings given', () => {
      given([registered])
        .when({ type: 'ChangeTenantSettings', settings: { defaultTimezone: 'America/New_York', defaultCountry: undefined } })
        .then([
          {
            type: 'TenantSettingsChanged',
            data: { tenant: { ...tenantWith(['callSlots']), settings: { ...settings, defaultTimezone: 'America/New_York' } } },
          },
        ]);
    });

    it('writes nothing when the settings do not change', () => {
      given([registered]).when({ type: 'ChangeTenantSettings', settings: { defaultCountry: 'GB' } }).thenNothing();
    });

    it('validates changed settings like new ones', () => {
      given([registered])
        .when({ type: 'ChangeTenantSettings', settings: { extensionDigits: { min: 6, max: 3 } } })
        .thenError('AGENT_DIRECTORY.INVALID_TENANT_SETTINGS', { errors: [expect.objectContaining({ path: 'settings.extensionDigits.max' })] });
    });
  });
});

describe('requireLicence', () => {
  it('lets a licensed feature through and returns the tenant', () => {
    expect(requireLicence({ status: 'registered', tenant: tenantWith(['callSlots']) }, 'callSlots').tenantId).toBe('acme');
    expect(requireLicence(tenantWith(['callSlots']), 'callSlots').tenantId).toBe('acme');
  });

  it('refuses an unlicensed feature with 403 LICENCE_REQUIRED naming the licence', () => {
    let thrown: unknown;
    try {
      requireLicence(tenantWith([]), 'callSlots');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'AGENT_DIRECTORY.LICENCE_REQUIRED', kind: 'forbidden', details: { licence: 'callSlots' } });
    expect((thrown as DomainError).message).toContain('"callSlots"');
  });

  it('refuses when the tenant is not registered', () => {
    expect(() => requireLicence({ status: 'unregistered' }, 'callSlots')).toThrow(
      expect.objectContaining({ code: 'AGENT_DIRECTORY.TENANT_NOT_FOUND' }),
    );
  });
});
