// The agent-directory API schemas: defaults, query-string forms, and refusals at the edge.
import {
  AgentDirectoryRpc,
  ChangeAgentProfileRequestSchema,
  ChangeTenantSettingsRequestSchema,
  ListAgentsRequestSchema,
  RegisterAgentRequestSchema,
  ReporteesRequestSchema,
} from './messages';
import { DeviceStateReportSchema } from './device-state';
import { LoginIdSchema } from './login-view';
import { RingPreferenceSchema } from './agent-view';

describe('agent-directory messages', () => {
  it('names every RPC subject agent-directory.{verb}', () => {
    expect(AgentDirectoryRpc.isWorking.subject).toBe('agent-directory.is-working');
    for (const def of Object.values(AgentDirectoryRpc)) expect(def.subject).toMatch(/^agent-directory\.[a-z-]+$/);
  });

  it('fills registration defaults: role AGENT, no promotion', () => {
    expect(RegisterAgentRequestSchema.parse({ name: 'Ada', extension: '2001' })).toEqual({
      name: 'Ada',
      extension: '2001',
      role: 'AGENT',
      promoteManager: false,
    });
  });

  it('reads list filters and pagination from a query string', () => {
    expect(ListAgentsRequestSchema.parse({ name: 'ada', limit: '20' })).toEqual({ name: 'ada', limit: 20 });
    expect(ListAgentsRequestSchema.parse({})).toEqual({ limit: 50 });
    expect(ListAgentsRequestSchema.safeParse({ limit: '201' }).success).toBe(false);
  });

  it('asks for transitive reportees unless told otherwise, also as "false" in a query string', () => {
    const managerId = '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';
    expect(ReporteesRequestSchema.parse({ managerId }).transitive).toBe(true);
    expect(ReporteesRequestSchema.parse({ managerId, transitive: 'false' }).transitive).toBe(false);
  });

  it.each([
    ['an empty profile change', () => ChangeAgentProfileRequestSchema.safeParse({})],
    ['an empty settings change', () => ChangeTenantSettingsRequestSchema.safeParse({})],
    ['a device report without a state', () => DeviceStateReportSchema.safeParse({ extension: '2001', observedAt: '2026-11-23T09:00:00Z' })],
    ['a fifth ring preference', () => RingPreferenceSchema.safeParse({ kind: 'mobileThenExtension' })],
    ['an unknown field', () => RegisterAgentRequestSchema.safeParse({ name: 'Ada', extension: '2001', pin: '1234' })],
  ])('refuses %s', (_, parse) => expect(parse().success).toBe(false));

  it('normalises login names to lower case', () => {
    expect(LoginIdSchema.parse(' Ada@Acme.TEST ')).toBe('ada@acme.test');
  });
});
