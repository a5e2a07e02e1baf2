// "Is this agent working at this instant, and until when?": the question the router asks on every call
// to an agent and the `isWorking` query answers. Pure; DST handling is @cc/scheduling's (docs/decisions/0002).
import type { AgentView, WorkingRange, WorkingReason } from '@cc/contracts';
import { evaluateWeekly } from '@cc/scheduling';

export type WorkingAnswer = {
  working: boolean;
  reason: WorkingReason;
  /** The range containing `at` (weekly hours only). */
  range: WorkingRange | null;
  /** When `working` next flips by the hours; null if never (always working, no ranges, disabled, removed). */
  nextChange: Date | null;
  /** The zone the hours were evaluated in; null when the agent has no weekly hours. */
  timezone: string | null;
};

/**
 * A disabled or removed agent is not working whatever its hours (the router must not ring it); otherwise
 * `always` hours are always working and weekly hours are evaluated in the agent's zone.
 */
export function isWorking(agent: AgentView, at: Date): WorkingAnswer {
  const timezone = agent.workingHours.mode === 'weekly' ? agent.workingHours.timezone : null;
  switch (agent.status) {
    case 'disabled':
    case 'removed':
      return { working: false, reason: agent.status, range: null, nextChange: null, timezone };
    case 'active':
      break;
    default: {
      const _exhaustive: never = agent.status;
      return _exhaustive;
    }
  }
  const hours = agent.workingHours;
  switch (hours.mode) {
    case 'always':
      return { working: true, reason: 'alwaysWorking', range: null, nextChange: null, timezone: null };
    case 'weekly': {
      const evaluation = evaluateWeekly(hours.ranges, hours.timezone, at);
      return {
        working: evaluation.inside,
        reason: evaluation.inside ? 'insideRange' : 'outsideRanges',
        range: evaluation.range,
        nextChange: evaluation.nextChange,
        timezone: hours.timezone,
      };
    }
    default: {
      const _exhaustive: never = hours;
      return _exhaustive;
    }
  }
}
