// Specification of agent performance: per-agent rows with averages weighted by their counts, zero rows for
// agents in scope without activity, team totals that add the rows up, and nothing outside the scope.
import { performanceReport, type AgentCallSums } from './agent-performance';

const period = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const calls = (agentId: string, sums: Partial<AgentCallSums>): AgentCallSums => ({
  agentId,
  offered: 0,
  answered: 0,
  missed: 0,
  ringSecondsAnswered: 0,
  talkSeconds: 0,
  talkedCalls: 0,
  ...sums,
});

describe('performanceReport', () => {
  it('computes an agent\'s counts and averages (ring time over answered calls, talk time over calls with talk)', () => {
    const report = performanceReport({
      ...period,
      scope: { kind: 'agent', agentId: 'ada' },
      agentIds: ['ada'],
      calls: [calls('ada', { offered: 10, answered: 7, missed: 2, ringSecondsAnswered: 35, talkSeconds: 600, talkedCalls: 6 })],
      callbacks: [{ agentId: 'ada', offered: 3, handled: 2 }],
    });
    expect(report.agents).toEqual([
      {
        agentId: 'ada',
        callsOffered: 10,
        callsAnswered: 7,
        callsMissed: 2,
        averageRingSeconds: 5,
        talkSeconds: 600,
        averageTalkSeconds: 100,
        callbacksOffered: 3,
        callbacksHandled: 2,
      },
    ]);
    const { agentId: _agentId, ...only } = report.agents[0]!;
    expect(report.totals).toEqual(only);
  });

  it('gives every agent in scope a row, zeros and null averages when they had no activity', () => {
    const report = performanceReport({ ...period, scope: { kind: 'team', managerId: 'lead' }, agentIds: ['bob', 'ada'], calls: [], callbacks: [] });
    expect(report.agents.map((a) => a.agentId)).toEqual(['ada', 'bob']);
    expect(report.agents[0]).toEqual({
      agentId: 'ada',
      callsOffered: 0,
      callsAnswered: 0,
      callsMissed: 0,
      averageRingSeconds: null,
      talkSeconds: 0,
      averageTalkSeconds: null,
      callbacksOffered: 0,
      callbacksHandled: 0,
    });
  });

  it("a manager's totals add their reportees' rows up, averages weighted by each agent's counts", () => {
    const report = performanceReport({
      ...period,
      scope: { kind: 'team', managerId: 'lead' },
      agentIds: ['ada', 'bob'],
      calls: [
        calls('ada', { offered: 4, answered: 1, missed: 3, ringSecondsAnswered: 10, talkSeconds: 30, talkedCalls: 1 }),
        calls('bob', { offered: 4, answered: 3, missed: 0, ringSecondsAnswered: 6, talkSeconds: 90, talkedCalls: 3 }),
      ],
      callbacks: [{ agentId: 'bob', offered: 1, handled: 1 }],
    });
    expect(report.totals).toEqual({
      callsOffered: 8,
      callsAnswered: 4,
      callsMissed: 3,
      averageRingSeconds: 4,
      talkSeconds: 120,
      averageTalkSeconds: 30,
      callbacksOffered: 1,
      callbacksHandled: 1,
    });
  });

  it('ignores rows of agents outside the scope (the query must never widen it)', () => {
    const report = performanceReport({
      ...period,
      scope: { kind: 'agent', agentId: 'ada' },
      agentIds: ['ada'],
      calls: [calls('eve', { offered: 5 })],
      callbacks: [{ agentId: 'eve', offered: 2, handled: 2 }],
    });
    expect(report.agents.map((a) => a.agentId)).toEqual(['ada']);
    expect(report.totals.callsOffered).toBe(0);
    expect(report.totals.callbacksOffered).toBe(0);
  });

  it('tenant-wide (no agent list): a row per agent with activity', () => {
    const report = performanceReport({
      ...period,
      scope: { kind: 'tenant' },
      agentIds: null,
      calls: [calls('bob', { offered: 1, missed: 1 })],
      callbacks: [{ agentId: 'ada', offered: 1, handled: 0 }],
    });
    expect(report.agents.map((a) => [a.agentId, a.callsOffered, a.callbacksOffered])).toEqual([
      ['ada', 0, 1],
      ['bob', 1, 0],
    ]);
  });
});
