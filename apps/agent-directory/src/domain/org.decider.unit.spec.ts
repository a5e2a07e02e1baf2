// Specification of the roster: seats, roles, reporting lines without cycles, and who sees whom.
import { foldEvents, type AgentRole, type OrgEvent } from '@cc/contracts';
import { specificationOf } from './decider-specification.fixture';
import { agent } from './agent-directory.fixture';
import {
  isAbove,
  memberCount,
  orgDecider,
  reporteesOf,
  reportingChainOf,
  rosterEntryOf,
  type EnrolMember,
} from './org.decider';

const given = specificationOf(orgDecider);
const [A, B, C, D, E, F] = [1, 2, 3, 4, 5, 6].map(agent) as [string, string, string, string, string, string];

const enrolled = (agentId: string, role: AgentRole = 'AGENT', managerId: string | null = null): OrgEvent => ({
  type: 'OrgMemberEnrolled',
  data: { agentId, role, managerId },
});
const enrol = (agentId: string, overrides: Partial<EnrolMember> = {}): EnrolMember => ({
  type: 'EnrolMember',
  agentId,
  role: 'AGENT',
  managerId: null,
  promoteManager: false,
  maxAgents: 50,
  ...overrides,
});
const withdrawn = (agentId: string): OrgEvent => ({ type: 'OrgMemberWithdrawn', data: { agentId } });

/** A (manager) <- B (manager) <- C (agent); D (agent) reports to A; E (admin) reports to nobody. */
const tree: OrgEvent[] = [
  enrolled(A, 'MANAGER'),
  enrolled(B, 'MANAGER', A),
  enrolled(C, 'AGENT', B),
  enrolled(D, 'AGENT', A),
  enrolled(E, 'ADMIN'),
];

describe('org decider', () => {
  describe('given an empty roster', () => {
    it('enrols the first agent', () => {
      given([]).when(enrol(A, { role: 'MANAGER' })).then([enrolled(A, 'MANAGER')]);
    });

    it('refuses a manager who is not an agent of the tenant (400, path managerId)', () => {
      given([])
        .when(enrol(A, { managerId: B }))
        .thenError('AGENT_DIRECTORY.MANAGER_NOT_FOUND', { kind: 'validation', errors: [expect.objectContaining({ path: 'managerId' })] });
    });

    it.each([
      { type: 'ChangeMemberRole' as const, agentId: A, role: 'MANAGER' as const },
      { type: 'SetReportingLine' as const, agentId: A, managerId: B, promoteManager: false },
      { type: 'ClearReportingLine' as const, agentId: A },
      { type: 'WithdrawMember' as const, agentId: A },
    ])('refuses $type for an unknown agent (404)', (command) => {
      given([]).when(command).thenError('AGENT_DIRECTORY.AGENT_NOT_FOUND', { kind: 'not_found' });
    });
  });

  describe('licence seats (maxAgents)', () => {
    it('refuses an agent beyond the limit with 403 AGENT_LIMIT_REACHED', () => {
      given([enrolled(A), enrolled(B)])
        .when(enrol(C, { maxAgents: 2 }))
        .thenError('AGENT_DIRECTORY.AGENT_LIMIT_REACHED', { kind: 'forbidden', details: { maxAgents: 2, agents: 2 } });
    });

    it('frees the seat of a removed agent', () => {
      given([enrolled(A), enrolled(B), withdrawn(B)]).when(enrol(C, { maxAgents: 2 })).then([enrolled(C)]);
    });

    it('keeps agents enrolled before the limit was lowered', () => {
      const state = foldEvents(orgDecider, [enrolled(A), enrolled(B), enrolled(C)]);
      expect(memberCount(state)).toBe(3);
      expect(() => orgDecider.decide(enrol(D, { maxAgents: 2 }), state)).toThrow(expect.objectContaining({ code: 'AGENT_DIRECTORY.AGENT_LIMIT_REACHED' }));
    });

    it('never enrols an id twice, even after removal (its agent stream exists)', () => {
      given([enrolled(A)]).when(enrol(A)).thenError('AGENT_DIRECTORY.AGENT_EXISTS', { kind: 'conflict' });
      given([enrolled(A), withdrawn(A)]).when(enrol(A)).thenError('AGENT_DIRECTORY.AGENT_EXISTS');
    });
  });

  describe('who may be a reporting manager', () => {
    it.each<AgentRole>(['MANAGER', 'ADMIN'])('a %s may', (role) => {
      given([enrolled(A, role), enrolled(B)])
        .when({ type: 'SetReportingLine', agentId: B, managerId: A, promoteManager: false })
        .then([{ type: 'ReportingLineSet', data: { agentId: B, managerId: A, previousManagerId: null } }]);
    });

    it('an AGENT may not, unless promotion is asked for (409 MANAGER_ROLE_REQUIRED)', () => {
      given([enrolled(A), enrolled(B)])
        .when({ type: 'SetReportingLine', agentId: B, managerId: A, promoteManager: false })
        .thenError('AGENT_DIRECTORY.MANAGER_ROLE_REQUIRED', {
          kind: 'conflict',
          errors: [expect.objectContaining({ path: 'managerId' })],
          details: { managerId: A, role: 'AGENT' },
        });
    });

    it('an AGENT picked as manager with promotion becomes MANAGER in the same change (seed 002)', () => {
      given([enrolled(A), enrolled(B)])
        .when({ type: 'SetReportingLine', agentId: B, managerId: A, promoteManager: true })
        .then([
          { type: 'OrgMemberRoleChanged', data: { agentId: A, role: 'MANAGER', previousRole: 'AGENT' } },
          { type: 'ReportingLineSet', data: { agentId: B, managerId: A, previousManagerId: null } },
        ]);
    });

    it('a new agent can be enrolled under a manager, promoting an AGENT when asked', () => {
      given([enrolled(A)])
        .when(enrol(B, { managerId: A, promoteManager: true }))
        .then([
          { type: 'OrgMemberRoleChanged', data: { agentId: A, role: 'MANAGER', previousRole: 'AGENT' } },
          enrolled(B, 'AGENT', A),
        ]);
    });

    it('a removed agent may not (400 MANAGER_NOT_FOUND, path managerId)', () => {
      given([enrolled(A, 'MANAGER'), enrolled(B), withdrawn(A)])
        .when({ type: 'SetReportingLine', agentId: B, managerId: A, promoteManager: false })
        .thenError('AGENT_DIRECTORY.MANAGER_NOT_FOUND', { errors: [{ path: 'managerId', message: 'was removed' }] });
    });
  });

  describe('reporting lines never form a cycle (409 REPORTING_CYCLE with the chain)', () => {
    it('refuses an agent managing itself', () => {
      given([enrolled(A, 'MANAGER')])
        .when({ type: 'SetReportingLine', agentId: A, managerId: A, promoteManager: false })
        .thenError('AGENT_DIRECTORY.REPORTING_CYCLE', { kind: 'conflict', details: { chain: [A, A] } });
    });

    it('refuses a cycle of two: B reports to A, then A to B', () => {
      // Also what two racing requests "A -> B" and "B -> A" end in: the org stream serialises them and
      // the second is decided again against the first.
      given([enrolled(A, 'MANAGER'), enrolled(B, 'MANAGER', A)])
        .when({ type: 'SetReportingLine', agentId: A, managerId: B, promoteManager: false })
        .thenError('AGENT_DIRECTORY.REPORTING_CYCLE', {
          errors: [{ path: 'managerId', message: `would close the cycle ${A} -> ${B} -> ${A}` }],
          details: { chain: [A, B, A] },
        });
    });

    it('refuses a cycle of three: B reports to A, C to B, then A to C', () => {
      given([enrolled(A, 'MANAGER'), enrolled(B, 'MANAGER', A), enrolled(C, 'MANAGER', B)])
        .when({ type: 'SetReportingLine', agentId: A, managerId: C, promoteManager: false })
        .thenError('AGENT_DIRECTORY.REPORTING_CYCLE', { details: { chain: [A, C, B, A] } });
    });

    it('refuses the cycle before offering to promote (promotion would not fix it)', () => {
      given([enrolled(A, 'MANAGER'), enrolled(B, 'AGENT', A)])
        .when({ type: 'SetReportingLine', agentId: A, managerId: B, promoteManager: true })
        .thenError('AGENT_DIRECTORY.REPORTING_CYCLE');
    });

    it('accepts a longer line that does not loop back (F -> C -> B -> A)', () => {
      given([...tree, enrolled(F)])
        .when({ type: 'SetReportingLine', agentId: F, managerId: C, promoteManager: true })
        .then([
          { type: 'OrgMemberRoleChanged', data: { agentId: C, role: 'MANAGER', previousRole: 'AGENT' } },
          { type: 'ReportingLineSet', data: { agentId: F, managerId: C, previousManagerId: null } },
        ]);
    });

    it('accepts moving a manager with its team to another branch', () => {
      given(tree)
        .when({ type: 'SetReportingLine', agentId: B, managerId: E, promoteManager: false })
        .then([{ type: 'ReportingLineSet', data: { agentId: B, managerId: E, previousManagerId: A } }]);
    });
  });

  describe('given agents with reporting lines', () => {
    it('writes nothing when the manager is already the manager', () => {
      given(tree).when({ type: 'SetReportingLine', agentId: C, managerId: B, promoteManager: false }).thenNothing();
    });

    it('clears a reporting line, and treats clearing a missing one as done', () => {
      given(tree)
        .when({ type: 'ClearReportingLine', agentId: C })
        .then([{ type: 'ReportingLineCleared', data: { agentId: C, previousManagerId: B } }]);
      given(tree).when({ type: 'ClearReportingLine', agentId: E }).thenNothing();
    });

    it('refuses demoting a manager who still has reportees (409 HAS_REPORTEES listing them)', () => {
      given(tree)
        .when({ type: 'ChangeMemberRole', agentId: A, role: 'AGENT' })
        .thenError('AGENT_DIRECTORY.HAS_REPORTEES', { kind: 'conflict', errors: [expect.objectContaining({ path: 'role' })], details: { reportees: [B, D] } });
    });

    it('lets a manager with reportees become ADMIN (still a managing role)', () => {
      given(tree)
        .when({ type: 'ChangeMemberRole', agentId: A, role: 'ADMIN' })
        .then([{ type: 'OrgMemberRoleChanged', data: { agentId: A, role: 'ADMIN', previousRole: 'MANAGER' } }]);
    });

    it('demotes a manager without reportees; the same role writes nothing', () => {
      given([...tree, { type: 'ReportingLineCleared', data: { agentId: C, previousManagerId: B } }])
        .when({ type: 'ChangeMemberRole', agentId: B, role: 'AGENT' })
        .then([{ type: 'OrgMemberRoleChanged', data: { agentId: B, role: 'AGENT', previousRole: 'MANAGER' } }]);
      given(tree).when({ type: 'ChangeMemberRole', agentId: C, role: 'AGENT' }).thenNothing();
    });

    it('refuses removing a manager who still has reportees', () => {
      given(tree).when({ type: 'WithdrawMember', agentId: B }).thenError('AGENT_DIRECTORY.HAS_REPORTEES', { details: { reportees: [C] } });
    });

    it('removes an agent without reportees; removing it again is done already', () => {
      given(tree).when({ type: 'WithdrawMember', agentId: C }).then([withdrawn(C)]);
      given([...tree, withdrawn(C)]).when({ type: 'WithdrawMember', agentId: C }).thenNothing();
    });

    it('refuses other changes to a removed agent (410 AGENT_REMOVED)', () => {
      given([...tree, withdrawn(C)])
        .when({ type: 'SetReportingLine', agentId: C, managerId: A, promoteManager: false })
        .thenError('AGENT_DIRECTORY.AGENT_REMOVED', { kind: 'gone' });
    });
  });
});

describe('reporting-line queries', () => {
  const org = foldEvents(orgDecider, tree);

  it('lists direct reportees only when not transitive', () => {
    expect(reporteesOf(org, A, { transitive: false })).toEqual([
      { agentId: B, managerId: A, depth: 1 },
      { agentId: D, managerId: A, depth: 1 },
    ]);
  });

  it('lists reportees of reportees when transitive, breadth first', () => {
    expect(reporteesOf(org, A, { transitive: true })).toEqual([
      { agentId: B, managerId: A, depth: 1 },
      { agentId: D, managerId: A, depth: 1 },
      { agentId: C, managerId: B, depth: 2 },
    ]);
    expect(reporteesOf(org, B, { transitive: true })).toEqual([{ agentId: C, managerId: B, depth: 1 }]);
  });

  it('answers an agent without reportees with none, and an unknown manager with 404', () => {
    expect(reporteesOf(org, C, { transitive: true })).toEqual([]);
    expect(() => reporteesOf(org, F, { transitive: true })).toThrow(expect.objectContaining({ code: 'AGENT_DIRECTORY.AGENT_NOT_FOUND' }));
  });

  it('follows a reporting line up, nearest manager first', () => {
    expect(reportingChainOf(org, C)).toEqual([B, A]);
    expect(reportingChainOf(org, E)).toEqual([]);
    expect(isAbove(org, A, C)).toBe(true);
    expect(isAbove(org, D, C)).toBe(false);
  });

  it('tells an agent stream which roster facts to mirror', () => {
    expect(rosterEntryOf(org, C)).toEqual({ withdrawn: false, role: 'AGENT', managerId: B });
    expect(rosterEntryOf(foldEvents(orgDecider, [...tree, withdrawn(C)]), C)).toEqual({ withdrawn: true });
    expect(rosterEntryOf(org, F)).toBeNull();
  });
});
