// Is a schedule open at an instant and what decided it: @cc/scheduling's evaluateSchedule, cached on the
// (immutable, replica-held) definition object. `open` is reused until the schedule's next transition;
// what decided it may change without a flip (touching rules, a rotation week turning), so an answer is
// reused for at most REUSE_MS, which keeps the trace right to the minute and costs one evaluation per
// schedule per minute however many calls arrive.
// TODO(scheduling): expose the end of the deciding segment so the reuse can be exact and unbounded.
import type { ScheduleDefinitionData } from '@cc/contracts';
import { evaluateSchedule, type ScheduleEvaluation } from '@cc/scheduling';

export const REUSE_MS = 60_000;

type Cached = { fromMs: number; untilMs: number; evaluation: ScheduleEvaluation };
const cache = new WeakMap<ScheduleDefinitionData, Cached>();

/** Throws RangeError for a definition @cc/scheduling cannot evaluate (unknown zone). */
export function scheduleStateAt(definition: ScheduleDefinitionData, at: Date): ScheduleEvaluation {
  const atMs = at.getTime();
  const cached = cache.get(definition);
  if (cached && cached.fromMs <= atMs && atMs < cached.untilMs) return cached.evaluation;
  const evaluation = evaluateSchedule(definition, at);
  const next = evaluation.nextTransition?.getTime() ?? Number.POSITIVE_INFINITY;
  cache.set(definition, { fromMs: atMs, untilMs: Math.min(next, atMs + REUSE_MS), evaluation });
  return evaluation;
}
