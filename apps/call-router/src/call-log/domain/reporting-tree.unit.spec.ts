// Specification of the reporting walk behind manager visibility: transitive by default (ADR 0003), direct
// on request, breadth first, and safe on a replica that briefly holds a cycle.
import { reporteesOf, type ReportingLine } from './reporting-tree';

const line = (agentId: string, managerId: string | null): ReportingLine => ({ agentId, managerId });

// head -> lead1 -> (a1, a2 -> a3), head -> lead2 -> b1; loner reports to nobody.
const tree = [line('head', null), line('lead1', 'head'), line('lead2', 'head'), line('a1', 'lead1'), line('a2', 'lead1'), line('a3', 'a2'), line('b1', 'lead2'), line('loner', null)];

describe('reporteesOf', () => {
  it('a manager sees every agent below them, breadth first with depth', () => {
    expect(reporteesOf(tree, 'head')).toEqual([
      { agentId: 'lead1', managerId: 'head', depth: 1 },
      { agentId: 'lead2', managerId: 'head', depth: 1 },
      { agentId: 'a1', managerId: 'lead1', depth: 2 },
      { agentId: 'a2', managerId: 'lead1', depth: 2 },
      { agentId: 'b1', managerId: 'lead2', depth: 2 },
      { agentId: 'a3', managerId: 'a2', depth: 3 },
    ]);
  });

  it('transitive: false lists direct reportees only', () => {
    expect(reporteesOf(tree, 'head', { transitive: false }).map((r) => r.agentId)).toEqual(['lead1', 'lead2']);
  });

  it('a team lead sees only their own sub-tree, not their peers or their manager', () => {
    expect(reporteesOf(tree, 'lead1').map((r) => r.agentId)).toEqual(['a1', 'a2', 'a3']);
  });

  it('an agent with nobody below them, or an unknown agent, has no reportees', () => {
    expect(reporteesOf(tree, 'a1')).toEqual([]);
    expect(reporteesOf(tree, 'nobody')).toEqual([]);
  });

  it('terminates on a cycle and never lists the manager as their own reportee', () => {
    const cyclic = [line('x', 'y'), line('y', 'z'), line('z', 'x')];
    expect(reporteesOf(cyclic, 'x').map((r) => r.agentId)).toEqual(['z', 'y']);
  });
});
