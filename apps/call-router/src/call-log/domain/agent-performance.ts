// Agent activity and performance over a period (seed 002: managers see their reportees' performance):
// per-agent sums from the read model in, the report out with averages and team totals. Pure.
import type { ActivityTotals, AgentPerformance, PerformanceReport } from '@cc/contracts';

/** Sums over one agent's calls in the period (rows of the call log's per-agent facts). */
export type AgentCallSums = {
  readonly agentId: string;
  readonly offered: number;
  readonly answered: number;
  readonly missed: number;
  /** Ring seconds summed over answered calls. */
  readonly ringSecondsAnswered: number;
  readonly talkSeconds: number;
  /** Answered calls that have ended with a talk time. */
  readonly talkedCalls: number;
};

/** Scheduled callback attempts that rang the agent in the period. */
export type AgentCallbackSums = { readonly agentId: string; readonly offered: number; readonly handled: number };

type Sums = { -readonly [K in Exclude<keyof AgentCallSums, 'agentId'>]: number } & { callbacksOffered: number; callbacksHandled: number };

const ZERO: Sums = { offered: 0, answered: 0, missed: 0, ringSecondsAnswered: 0, talkSeconds: 0, talkedCalls: 0, callbacksOffered: 0, callbacksHandled: 0 };

/**
 * The report for `agentIds` (every agent in scope gets a row, zeros included) or, when null, for every
 * agent with activity in the sums (an admin's tenant-wide view). Rows outside `agentIds` are ignored.
 */
export function performanceReport(input: {
  from: string;
  to: string;
  scope: PerformanceReport['scope'];
  agentIds: readonly string[] | null;
  calls: readonly AgentCallSums[];
  callbacks: readonly AgentCallbackSums[];
}): PerformanceReport {
  const perAgent = new Map<string, Sums>();
  const wanted = input.agentIds === null ? null : new Set(input.agentIds);
  const sumsOf = (agentId: string): Sums | null => {
    if (wanted !== null && !wanted.has(agentId)) return null;
    let sums = perAgent.get(agentId);
    if (!sums) perAgent.set(agentId, (sums = { ...ZERO }));
    return sums;
  };
  for (const agentId of input.agentIds ?? []) sumsOf(agentId);
  for (const row of input.calls) {
    const sums = sumsOf(row.agentId);
    if (!sums) continue;
    sums.offered += row.offered;
    sums.answered += row.answered;
    sums.missed += row.missed;
    sums.ringSecondsAnswered += row.ringSecondsAnswered;
    sums.talkSeconds += row.talkSeconds;
    sums.talkedCalls += row.talkedCalls;
  }
  for (const row of input.callbacks) {
    const sums = sumsOf(row.agentId);
    if (!sums) continue;
    sums.callbacksOffered += row.offered;
    sums.callbacksHandled += row.handled;
  }
  const agents: AgentPerformance[] = [...perAgent.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([agentId, sums]) => ({ agentId, ...activityOf(sums) }));
  const total = [...perAgent.values()].reduce<Sums>(
    (acc, sums) => ({
      offered: acc.offered + sums.offered,
      answered: acc.answered + sums.answered,
      missed: acc.missed + sums.missed,
      ringSecondsAnswered: acc.ringSecondsAnswered + sums.ringSecondsAnswered,
      talkSeconds: acc.talkSeconds + sums.talkSeconds,
      talkedCalls: acc.talkedCalls + sums.talkedCalls,
      callbacksOffered: acc.callbacksOffered + sums.callbacksOffered,
      callbacksHandled: acc.callbacksHandled + sums.callbacksHandled,
    }),
    { ...ZERO },
  );
  return { from: input.from, to: input.to, scope: input.scope, agents, totals: activityOf(total) };
}

function activityOf(sums: Sums): ActivityTotals {
  return {
    callsOffered: sums.offered,
    callsAnswered: sums.answered,
    callsMissed: sums.missed,
    averageRingSeconds: sums.answered === 0 ? null : round(sums.ringSecondsAnswered / sums.answered),
    talkSeconds: round(sums.talkSeconds),
    averageTalkSeconds: sums.talkedCalls === 0 ? null : round(sums.talkSeconds / sums.talkedCalls),
    callbacksOffered: sums.callbacksOffered,
    callbacksHandled: sums.callbacksHandled,
  };
}

/** Milliseconds are the finest the telephony side reports. */
const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;
