// Which conditions differ between two rule sets. Compares meaning, not JSON text: stored events may
// come back with keys reordered (PostgreSQL jsonb) or instants in another offset, and an unchanged
// request must still be recognised as a no-op that writes no event.
import {
  DIVERT_CONDITIONS,
  type DivertCondition,
  type DivertRule,
  type DivertRules,
  type DivertTarget,
} from '@cc/contracts';

export function changedConditions(before: DivertRules, after: DivertRules): DivertCondition[] {
  return DIVERT_CONDITIONS.filter((condition) => {
    if (condition === 'noAnswer' && before.noAnswer.ringSeconds !== after.noAnswer.ringSeconds) return true;
    return !sameRule(before[condition], after[condition]);
  });
}

function sameRule(a: DivertRule, b: DivertRule): boolean {
  if (!sameTarget(a.target, b.target)) return false;
  if (a.validity === null || b.validity === null) return a.validity === b.validity;
  const sameFrom = Date.parse(a.validity.from) === Date.parse(b.validity.from);
  return sameFrom && Date.parse(a.validity.to) === Date.parse(b.validity.to);
}

function sameTarget(a: DivertTarget, b: DivertTarget): boolean {
  switch (a.kind) {
    case 'off':
    case 'voicemail':
      return b.kind === a.kind;
    case 'extension':
      return b.kind === 'extension' && b.extension === a.extension;
    case 'number':
      return b.kind === 'number' && b.e164 === a.e164;
    default: {
      const _exhaustive: never = a;
      throw new Error(`unhandled divert target ${JSON.stringify(_exhaustive)}`);
    }
  }
}
