// Specification of call-log visibility per role (seed 002, ADR 0003): admins see the tenant, managers
// themselves and their reportees transitively, agents themselves; outside that a request is refused.
import { CALL_LOG_ERRORS } from '@cc/contracts';
import type { ReportingLine } from './reporting-tree';
import { isCallVisible, needsReportingLines, requireAgentVisible, requireCallVisible, visibilityScopeOf, type VisibilityScope } from './visibility-scope';

const lines: ReportingLine[] = [
  { agentId: 'lead', managerId: 'head' },
  { agentId: 'ada', managerId: 'lead' },
  { agentId: 'bob', managerId: 'other-lead' },
];

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('visibility scope', () => {
  describe.each(['ADMIN', 'OPERATOR', 'SERVICE'] as const)('%s', (role) => {
    const scope = visibilityScopeOf({ role, agentId: null }, []);
    it('sees the whole tenant, without a reporting tree or an agent link', () => {
      expect(scope).toEqual({ kind: 'tenant' });
      expect(needsReportingLines({ role, agentId: null })).toBe(false);
      expect(() => requireAgentVisible(scope, 'anyone')).not.toThrow();
      expect(isCallVisible(scope, [])).toBe(true);
    });
  });

  describe('MANAGER', () => {
    const scope = visibilityScopeOf({ role: 'MANAGER', agentId: 'head' }, lines);
    it('sees themself and every reportee below them, transitively', () => {
      expect(needsReportingLines({ role: 'MANAGER', agentId: 'head' })).toBe(true);
      expect(scope).toEqual({ kind: 'agents', viewerAgentId: 'head', agentIds: new Set(['head', 'lead', 'ada']) });
    });
    it("is refused another team's agent with 403 OUTSIDE_VISIBILITY on the query field", () => {
      expect(refusal(() => requireAgentVisible(scope, 'bob'))).toMatchObject({
        code: CALL_LOG_ERRORS.OUTSIDE_VISIBILITY.code,
        kind: 'forbidden',
        errors: [{ path: 'query.agentId', message: expect.any(String) }],
        details: { agentId: 'bob' },
      });
    });
    it('sees a call when any agent it concerns is in scope', () => {
      expect(isCallVisible(scope, ['bob', 'ada'])).toBe(true);
      expect(() => requireCallVisible(scope, { callId: 'c1', agentIds: ['bob'] })).toThrow(
        expect.objectContaining({ code: CALL_LOG_ERRORS.OUTSIDE_VISIBILITY.code, details: { callId: 'c1' } }),
      );
    });
    it('a manager without reportees still sees their own calls', () => {
      expect(visibilityScopeOf({ role: 'MANAGER', agentId: 'bob' }, lines)).toEqual({ kind: 'agents', viewerAgentId: 'bob', agentIds: new Set(['bob']) });
    });
  });

  describe('AGENT', () => {
    const scope: VisibilityScope = visibilityScopeOf({ role: 'AGENT', agentId: 'ada' }, lines);
    it('sees only themself, even with reporting lines below them', () => {
      expect(scope).toEqual({ kind: 'agents', viewerAgentId: 'ada', agentIds: new Set(['ada']) });
      expect(() => requireAgentVisible(scope, 'ada')).not.toThrow();
      expect(() => requireAgentVisible(scope, 'lead', 'managerId')).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ path: 'query.managerId' })] }),
      );
    });
    it('does not see a call that does not concern them (nor a call that concerns nobody)', () => {
      expect(isCallVisible(scope, ['lead'])).toBe(false);
      expect(isCallVisible(scope, [])).toBe(false);
    });
  });

  it.each(['MANAGER', 'AGENT'] as const)('a %s token without an agent id is refused (no "own" to scope by)', (role) => {
    expect(refusal(() => visibilityScopeOf({ role, agentId: null }, lines))).toMatchObject({ code: CALL_LOG_ERRORS.NO_AGENT_LINK.code, kind: 'forbidden' });
  });
});
