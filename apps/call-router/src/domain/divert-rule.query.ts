// Which divert rule of an extension is in force at an instant: a rule counts when its target is not
// `off` and the instant lies in its validity window (half-open, like the divert service's own reading).
import { defaultDivertRules, type DivertRule, type DivertRules, type DivertTarget } from '@cc/contracts';

export type ActiveDivertTarget = Exclude<DivertTarget, { kind: 'off' }>;

/** Rules of an extension nobody configured: every divert off. Shared, never mutated. */
export const UNCONFIGURED_DIVERT_RULES: DivertRules = Object.freeze(defaultDivertRules()) as DivertRules;

export function activeDivertTarget(rule: DivertRule, atMs: number): ActiveDivertTarget | null {
  const target = rule.target;
  if (target.kind === 'off') return null;
  if (rule.validity !== null && !(Date.parse(rule.validity.from) <= atMs && atMs < Date.parse(rule.validity.to))) return null;
  return target;
}
