// Which reporting lines the call log takes from agent-directory's events, checked against the contracts' examples.
import { AGENT_DIRECTORY_EVENTS, ORG_EVENTS, OrgMemberEnrolledEvent, OrgMemberWithdrawnEvent, ReportingLineClearedEvent, ReportingLineSetEvent } from '@cc/contracts';
import { reportingLineChangeOf } from './reporting-line.adapter';

const of = (def: { type: string; version: number; example: unknown }) => reportingLineChangeOf({ type: def.type, version: def.version, data: def.example });

describe('reportingLineChangeOf', () => {
  it('enrolment: the member with the manager it joined under', () => {
    const { agentId, managerId } = OrgMemberEnrolledEvent.example;
    expect(of(OrgMemberEnrolledEvent)).toEqual({ agentId, managerId, status: 'member' });
  });

  it('a line set: the new manager', () => {
    expect(of(ReportingLineSetEvent)).toEqual({ agentId: ReportingLineSetEvent.example.agentId, managerId: ReportingLineSetEvent.example.managerId, status: 'member' });
  });

  it('a line cleared: reports to nobody', () => {
    expect(of(ReportingLineClearedEvent)).toEqual({ agentId: ReportingLineClearedEvent.example.agentId, managerId: null, status: 'member' });
  });

  it('a member withdrawn: out of the tree', () => {
    expect(of(OrgMemberWithdrawnEvent)).toEqual({ agentId: OrgMemberWithdrawnEvent.example.agentId, managerId: null, status: 'withdrawn' });
  });

  it('a role change and every non-org event leave the lines alone (non-org ones are not even parsed)', () => {
    const role = ORG_EVENTS.find((d) => d.type === 'OrgMemberRoleChanged')!;
    expect(of(role)).toBeNull();
    const orgTypes = new Set<string>(ORG_EVENTS.map((d) => d.type));
    for (const def of AGENT_DIRECTORY_EVENTS.filter((d) => !orgTypes.has(d.type))) {
      expect(reportingLineChangeOf({ type: def.type, version: 99, data: null })).toBeNull();
    }
  });

  it('refuses an org event in an unknown version or breaking its contract (the consumer dead-letters it)', () => {
    expect(() => reportingLineChangeOf({ type: 'ReportingLineSet', version: 2, data: ReportingLineSetEvent.example })).toThrow(/not supported/);
    expect(() => reportingLineChangeOf({ type: 'ReportingLineSet', version: 1, data: { agentId: 'x' } })).toThrow();
  });
});
