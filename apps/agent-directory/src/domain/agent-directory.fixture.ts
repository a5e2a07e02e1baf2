// Shared test data for the agent-directory deciders: a tenant, agent ids and a registered agent's view.
import type { AgentView, TenantSettings, TenantView } from '@cc/contracts';

/** A valid (v4-shaped) UUID per number: agent(1) = 00000000-0000-4000-8000-000000000001. */
export const agent = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const settings: TenantSettings = {
  extensionDigits: { min: 4, max: 4 },
  defaultTimezone: 'Europe/London',
  defaultCountry: 'GB',
};

export const tenantWith = (features: TenantView['licence']['features'], maxAgents = 50): TenantView => ({
  tenantId: 'acme',
  name: 'Acme Ltd',
  licence: { features, maxAgents },
  settings,
});

/** An agent as registered with every default: extension only, always working, call flow after hours. */
export const agentView = (overrides: Partial<AgentView> = {}): AgentView => ({
  agentId: agent(1),
  name: 'Ada Lovelace',
  email: 'ada@acme.test',
  mobile: null,
  extension: '2001',
  ringPreference: { kind: 'extensionOnly' },
  workingHours: { mode: 'always' },
  afterHours: { kind: 'followCallFlow' },
  role: 'AGENT',
  managerId: null,
  status: 'active',
  ...overrides,
});
