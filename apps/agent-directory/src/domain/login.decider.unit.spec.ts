// Specification of logins: role defaults, privileges, call-slot profiles, the licence gate, and the
// effective permissions other services filter by.
import { PRIVILEGES, foldEvents, type LoginEvent, type LoginRole, type LoginView, type Privilege } from '@cc/contracts';
import { specificationOf } from './decider-specification.fixture';
import { agent, tenantWith } from './agent-directory.fixture';
import { DEFAULT_PRIVILEGES, effectivePermissions, loginDecider, type CreateLogin } from './login.decider';
import type { TenantState } from './tenant.decider';

const given = specificationOf(loginDecider);
const licensed = tenantWith(['callSlots']);
const unlicensed = tenantWith([]);

const create = (overrides: Partial<CreateLogin> = {}): CreateLogin => ({
  type: 'CreateLogin',
  loginId: 'ada@acme.test',
  email: 'ada@acme.test',
  role: 'MANAGER',
  privileges: null,
  callSlotProfile: null,
  agent: { agentId: agent(1), status: 'active' },
  tenant: licensed,
  ...overrides,
});
const loginView = (overrides: Partial<LoginView> = {}): LoginView => ({
  loginId: 'ada@acme.test',
  email: 'ada@acme.test',
  role: 'MANAGER',
  privileges: [...DEFAULT_PRIVILEGES.MANAGER],
  callSlotProfile: { kind: 'all' },
  agentId: agent(1),
  status: 'active',
  ...overrides,
});
const created = (overrides: Partial<LoginView> = {}): LoginEvent => ({ type: 'LoginCreated', data: { login: loginView(overrides) } });

describe('login decider', () => {
  describe('given no login', () => {
    it.each<LoginRole>(['AGENT', 'MANAGER'])("creates a %s login with the role's default privileges", (role) => {
      given([])
        .when(create({ role }))
        .then([created({ role, privileges: [...DEFAULT_PRIVILEGES[role]] })]);
    });

    it('creates an ADMIN login holding every privilege', () => {
      given([])
        .when(create({ role: 'ADMIN', agent: null }))
        .then([created({ role: 'ADMIN', privileges: [...PRIVILEGES], agentId: null })]);
    });

    it('stores explicit privileges once, in canonical order', () => {
      given([])
        .when(create({ role: 'AGENT', privileges: ['callLogs:read', 'agents:read', 'callLogs:read'] }))
        .then([created({ role: 'AGENT', privileges: ['agents:read', 'callLogs:read'] })]);
    });

    it('refuses an explicit privilege list for an ADMIN', () => {
      given([])
        .when(create({ role: 'ADMIN', privileges: ['agents:read'] }))
        .thenError('AGENT_DIRECTORY.ADMIN_PRIVILEGES_FIXED', { kind: 'validation', errors: [expect.objectContaining({ path: 'privileges' })] });
    });

    it('refuses granting a call-slot privilege without the callSlots licence (403, path privileges[i])', () => {
      given([])
        .when(create({ privileges: ['agents:read', 'callSlots:write'], tenant: unlicensed }))
        .thenError('AGENT_DIRECTORY.LICENCE_REQUIRED', {
          kind: 'forbidden',
          errors: [expect.objectContaining({ path: 'privileges[1]' })],
          details: { licence: 'callSlots' },
        });
    });

    it('stores role defaults without the licence (gated when read, so a later licence just works)', () => {
      const [event] = given([]).when(create({ tenant: unlicensed })).events();
      expect(event?.data.login.privileges).toContain('callSlots:read');
    });

    it('creates with a call-slot profile (ids unique and sorted) when licensed', () => {
      given([])
        .when(create({ callSlotProfile: { kind: 'subset', callSlotIds: ['sales', 'billing', 'sales'] } }))
        .then([created({ callSlotProfile: { kind: 'subset', callSlotIds: ['billing', 'sales'] } })]);
    });

    it('refuses a call-slot profile without the callSlots licence', () => {
      given([])
        .when(create({ callSlotProfile: { kind: 'all' }, tenant: unlicensed }))
        .thenError('AGENT_DIRECTORY.LICENCE_REQUIRED', { details: { licence: 'callSlots' } });
    });

    it.each(['unregistered', 'removed'] as const)('refuses linking to an agent that is %s (path agentId)', (status) => {
      given([])
        .when(create({ agent: { agentId: agent(1), status } }))
        .thenError('AGENT_DIRECTORY.LINKED_AGENT_NOT_FOUND', { errors: [expect.objectContaining({ path: 'agentId' })] });
    });

    it.each([
      { type: 'ChangeLoginPrivileges' as const, privileges: [] as Privilege[], tenant: licensed },
      { type: 'DisableLogin' as const },
    ])('refuses $type for an unknown login (404)', (command) => {
      given([]).when(command).thenError('AGENT_DIRECTORY.LOGIN_NOT_FOUND', { kind: 'not_found' });
    });
  });

  describe('given a MANAGER login', () => {
    it('refuses creating the same login name again', () => {
      given([created()]).when(create()).thenError('AGENT_DIRECTORY.LOGIN_EXISTS', { kind: 'conflict' });
    });

    it("changes the role and resets privileges to the new role's defaults", () => {
      given([created()])
        .when({ type: 'ChangeLoginRole', role: 'AGENT', privileges: null, tenant: licensed })
        .then([{ type: 'LoginRoleChanged', data: { login: loginView({ role: 'AGENT', privileges: [...DEFAULT_PRIVILEGES.AGENT] }), previousRole: 'MANAGER' } }]);
    });

    it('changes the role with explicit privileges', () => {
      given([created()])
        .when({ type: 'ChangeLoginRole', role: 'AGENT', privileges: ['callLogs:read'], tenant: licensed })
        .then([{ type: 'LoginRoleChanged', data: { login: loginView({ role: 'AGENT', privileges: ['callLogs:read'] }), previousRole: 'MANAGER' } }]);
    });

    it('makes an ADMIN hold every privilege', () => {
      const [event] = given([created()]).when({ type: 'ChangeLoginRole', role: 'ADMIN', privileges: null, tenant: licensed }).events();
      expect(event?.data.login.privileges).toEqual([...PRIVILEGES]);
    });

    it('writes nothing for the same role without privileges', () => {
      given([created()]).when({ type: 'ChangeLoginRole', role: 'MANAGER', privileges: null, tenant: licensed }).thenNothing();
    });

    it('replaces the privileges, naming what was granted and revoked', () => {
      given([created({ privileges: ['agents:read', 'callLogs:read'] })])
        .when({ type: 'ChangeLoginPrivileges', privileges: ['callLogs:read', 'callSlots:read'], tenant: licensed })
        .then([
          {
            type: 'LoginPrivilegesChanged',
            data: { login: loginView({ privileges: ['callSlots:read', 'callLogs:read'] }), granted: ['callSlots:read'], revoked: ['agents:read'] },
          },
        ]);
    });

    it('writes nothing for the same set in another order', () => {
      given([created({ privileges: ['agents:read', 'callLogs:read'] })])
        .when({ type: 'ChangeLoginPrivileges', privileges: ['callLogs:read', 'agents:read'], tenant: licensed })
        .thenNothing();
    });

    it('refuses a call-slot privilege when the tenant lost the licence', () => {
      given([created()])
        .when({ type: 'ChangeLoginPrivileges', privileges: ['callSlots:read'], tenant: unlicensed })
        .thenError('AGENT_DIRECTORY.LICENCE_REQUIRED', { errors: [expect.objectContaining({ path: 'privileges[0]' })] });
    });

    it('assigns a call-slot profile; the same profile writes nothing', () => {
      const subset = { kind: 'subset' as const, callSlotIds: ['sales'] };
      given([created()])
        .when({ type: 'AssignCallSlotProfile', callSlotProfile: subset, tenant: licensed })
        .then([{ type: 'CallSlotProfileAssigned', data: { login: loginView({ callSlotProfile: subset }) } }]);
      given([created()]).when({ type: 'AssignCallSlotProfile', callSlotProfile: { kind: 'all' }, tenant: licensed }).thenNothing();
    });

    it('refuses a call-slot profile without the licence (403 LICENCE_REQUIRED)', () => {
      given([created()])
        .when({ type: 'AssignCallSlotProfile', callSlotProfile: { kind: 'all' }, tenant: unlicensed })
        .thenError('AGENT_DIRECTORY.LICENCE_REQUIRED', { kind: 'forbidden', details: { licence: 'callSlots' } });
    });

    it('disables and enables the login; repeats write nothing', () => {
      given([created()]).when({ type: 'DisableLogin' }).then([{ type: 'LoginDisabled', data: { login: loginView({ status: 'disabled' }) } }]);
      given([created()]).when({ type: 'EnableLogin' }).thenNothing();
      given([created(), { type: 'LoginDisabled', data: { login: loginView({ status: 'disabled' }) } }])
        .when({ type: 'EnableLogin' })
        .then([{ type: 'LoginEnabled', data: { login: loginView() } }]);
    });
  });

  describe('given an ADMIN login', () => {
    it('refuses editing its privilege list', () => {
      given([created({ role: 'ADMIN', privileges: [...PRIVILEGES] })])
        .when({ type: 'ChangeLoginPrivileges', privileges: ['agents:read'], tenant: licensed })
        .thenError('AGENT_DIRECTORY.ADMIN_PRIVILEGES_FIXED');
    });
  });
});

describe('effectivePermissions', () => {
  const tenant = (features: ('callSlots' | 'campaigns')[]): TenantState => ({ status: 'registered', tenant: tenantWith(features) });
  const loginOf = (...events: LoginEvent[]) => foldEvents(loginDecider, events);
  const subset = { kind: 'subset' as const, callSlotIds: ['sales'] };

  it('passes privileges and profile through when the tenant is licensed', () => {
    expect(effectivePermissions(loginOf(created({ callSlotProfile: subset })), tenant(['callSlots']))).toEqual({
      loginId: 'ada@acme.test',
      active: true,
      role: 'MANAGER',
      privileges: [...DEFAULT_PRIVILEGES.MANAGER].filter((p) => p !== 'campaigns:read'),
      callSlotProfile: subset,
      agentId: agent(1),
      callLogScope: 'reportees',
      licensedFeatures: ['callSlots'],
    });
  });

  it('drops call-slot privileges and the profile without the callSlots licence', () => {
    const permissions = effectivePermissions(loginOf(created({ callSlotProfile: subset })), tenant([]));
    expect(permissions.privileges.filter((p) => p.startsWith('callSlots:') || p.startsWith('campaigns:'))).toEqual([]);
    expect(permissions.privileges).toContain('callLogs:read');
    expect(permissions.callSlotProfile).toEqual({ kind: 'subset', callSlotIds: [] });
  });

  it('gates even an ADMIN: all privileges except those of unlicensed features', () => {
    const admin = loginOf(created({ role: 'ADMIN', privileges: [...PRIVILEGES], agentId: null }));
    expect(effectivePermissions(admin, tenant(['callSlots'])).privileges).toEqual(PRIVILEGES.filter((p) => !p.startsWith('campaigns:')));
    expect(effectivePermissions(admin, tenant(['callSlots', 'campaigns'])).privileges).toEqual([...PRIVILEGES]);
    expect(effectivePermissions(admin, tenant([])).callLogScope).toBe('all');
  });

  it.each<[LoginRole, string | null, Privilege[], string]>([
    ['ADMIN', null, [], 'all'],
    ['MANAGER', agent(1), ['callLogs:read'], 'reportees'],
    ['MANAGER', null, ['callLogs:read'], 'none'], // a manager of nobody in the org
    ['AGENT', agent(1), ['callLogs:read'], 'own'],
    ['AGENT', null, ['callLogs:read'], 'none'],
    ['MANAGER', agent(1), ['agents:read'], 'none'], // no callLogs:read
  ])('%s linked to %s with %j sees call logs: %s', (role, agentId, privileges, scope) => {
    const login = loginOf(created({ role, agentId, privileges: role === 'ADMIN' ? [...PRIVILEGES] : privileges }));
    expect(effectivePermissions(login, tenant(['callSlots'])).callLogScope).toBe(scope);
  });

  it('gives a disabled login nothing', () => {
    const login = loginOf(created(), { type: 'LoginDisabled', data: { login: loginView({ status: 'disabled' }) } });
    expect(effectivePermissions(login, tenant(['callSlots']))).toMatchObject({
      active: false,
      privileges: [],
      callSlotProfile: { kind: 'subset', callSlotIds: [] },
      callLogScope: 'none',
    });
  });

  it('refuses an unknown login or tenant', () => {
    expect(() => effectivePermissions(loginOf(), tenant([]))).toThrow(expect.objectContaining({ code: 'AGENT_DIRECTORY.LOGIN_NOT_FOUND' }));
    expect(() => effectivePermissions(loginOf(created()), { status: 'unregistered' })).toThrow(
      expect.objectContaining({ code: 'AGENT_DIRECTORY.TENANT_NOT_FOUND' }),
    );
  });
});
