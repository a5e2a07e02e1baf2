// What an extension's divert rules do at one instant: validity windows applied, and an active
// forward-always winning over everything else (the phone does not ring). Pure; `at` is passed in.
import {
  DIVERT_CONDITIONS,
  type DivertCondition,
  type DivertRule,
  type DivertRules,
  type DivertTarget,
} from '@cc/contracts';

export type ActiveDivertTarget = Exclude<DivertTarget, { kind: 'off' }>;

export type EffectiveDivert =
  /** Forward always is active: the call is diverted before the phone rings, whatever the condition asked. */
  | { rings: false; appliedCondition: 'always'; target: ActiveDivertTarget }
  /**
   * The phone rings. `target` is what `condition` leads to (`off` for condition `always`: no divert
   * before ringing). `ringSeconds` is the active no-answer divert's ring time, null when none applies.
   */
  | { rings: true; appliedCondition: DivertCondition; target: DivertTarget; ringSeconds: number | null };

const OFF: DivertTarget = { kind: 'off' };

/** Validity windows are half-open: `from` <= at < `to`. A rule without a window is always valid. */
export function isWithinValidity(rule: DivertRule, at: Date): boolean {
  if (rule.validity === null) return true;
  const t = at.getTime();
  return Date.parse(rule.validity.from) <= t && t < Date.parse(rule.validity.to);
}

/** The rule's target when it diverts at `at`; undefined when it is off or outside its window. */
export function activeTargetOf(rule: DivertRule, at: Date): ActiveDivertTarget | undefined {
  const target = rule.target;
  if (target.kind === 'off' || !isWithinValidity(rule, at)) return undefined;
  return target;
}

/**
 * The divert that applies to `condition` at `at`. An active `always` rule wins for every condition,
 * because the router never rings the phone and so never meets no-answer, busy or unreachable there.
 */
export function effectiveDivert(rules: DivertRules, condition: DivertCondition, at: Date): EffectiveDivert {
  const always = activeTargetOf(rules.always, at);
  if (always) return { rings: false, appliedCondition: 'always', target: always };
  const ringSeconds = activeTargetOf(rules.noAnswer, at) ? rules.noAnswer.ringSeconds : null;
  if (condition === 'always') return { rings: true, appliedCondition: 'always', target: OFF, ringSeconds };
  return { rings: true, appliedCondition: condition, target: activeTargetOf(rules[condition], at) ?? OFF, ringSeconds };
}

export type EffectiveDivertView = {
  rings: boolean;
  ringSeconds: number | null;
  targets: Record<DivertCondition, DivertTarget>;
};

/** All four conditions at once (the effective-divert query). */
export function effectiveDivertView(rules: DivertRules, at: Date): EffectiveDivertView {
  const always = effectiveDivert(rules, 'always', at);
  const targets = {} as Record<DivertCondition, DivertTarget>;
  for (const condition of DIVERT_CONDITIONS) targets[condition] = effectiveDivert(rules, condition, at).target;
  if (!always.rings) return { rings: false, ringSeconds: null, targets };
  return { rings: true, ringSeconds: always.ringSeconds, targets };
}

/** An extension-to-extension divert that can be taken at some instant: the edges of the divert graph. */
export type DivertForward = { condition: DivertCondition; to: string };

/**
 * The forwards to other extensions that a call may take at `at`, in condition order. Every
 * condition counts (any of them can happen at call time), except that an active always-divert
 * hides the other three: the call never rings there.
 */
export function activeForwards(rules: DivertRules, at: Date): DivertForward[] {
  const forwards: DivertForward[] = [];
  for (const condition of DIVERT_CONDITIONS) {
    const effective = effectiveDivert(rules, condition, at);
    if (effective.appliedCondition === condition && effective.target.kind === 'extension') {
      forwards.push({ condition, to: effective.target.extension });
    }
  }
  return forwards;
}
