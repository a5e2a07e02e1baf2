// Turns rules as an operator sends them into stored rules (E.164 numbers, UTC windows, ring time
// filled in), collecting EVERY rule violation with its field path so one answer lists all problems.
import {
  DIVERT_CONDITIONS,
  DIVERT_ERRORS,
  RING_SECONDS_DEFAULT,
  RING_SECONDS_MAX,
  RING_SECONDS_MIN,
  normalisePhoneNumber,
  type CountryCode,
  type DivertCondition,
  type DivertRule,
  type DivertRules,
  type DivertRulesInput,
  type DivertTarget,
  type DivertTargetInput,
  type ErrorKind,
  type ValidityWindow,
} from '@cc/contracts';

export type DivertViolation = {
  code: (typeof DIVERT_ERRORS)[keyof typeof DIVERT_ERRORS]['code'];
  kind: ErrorKind;
  /** `rules.busy.target.extension`: always rooted at `rules.<condition>`, whichever request carried it. */
  path: string;
  message: string;
};

export type RuleInputContext = {
  /** The extension whose rules these are. */
  extension: string;
  /** Extensions that exist in agent-directory (the adapter's replica). */
  knownExtensions: { has(extension: string): boolean };
  /** Reads numbers typed without "+". */
  defaultCountry: CountryCode;
  now: Date;
};

/** One rule as a command carries it; only `noAnswer` has a ring time. */
export type DivertRuleChange =
  | { condition: 'noAnswer'; target: DivertTargetInput; validity?: ValidityWindow | null; ringSeconds?: number }
  | { condition: 'always' | 'busy' | 'unreachable'; target: DivertTargetInput; validity?: ValidityWindow | null };

type Normalised = { rules: DivertRules; violations: DivertViolation[] };

/** `current` with one rule replaced. A `ringSeconds` left out keeps the current ring time. */
export function applyDivertRuleChange(
  current: DivertRules,
  change: DivertRuleChange,
  ctx: RuleInputContext,
): Normalised {
  const violations: DivertViolation[] = [];
  const rule = normaliseRule(change.condition, change.target, change.validity, ctx, violations);
  if (change.condition === 'noAnswer') {
    const ringSeconds = normaliseRingSeconds(change.ringSeconds, current.noAnswer.ringSeconds, violations);
    return { rules: { ...current, noAnswer: { ...rule, ringSeconds } }, violations };
  }
  return { rules: { ...current, [change.condition]: rule }, violations };
}

/** A whole rule set (replace semantics): a condition left out is off, a ring time left out is the default. */
export function normaliseDivertRules(input: DivertRulesInput, ctx: RuleInputContext): Normalised {
  const violations: DivertViolation[] = [];
  const ruleOf = (condition: DivertCondition): DivertRule => {
    const given = input[condition];
    return given
      ? normaliseRule(condition, given.target, given.validity, ctx, violations)
      : { target: { kind: 'off' }, validity: null };
  };
  // In condition order, so violations read always, noAnswer, busy, unreachable (ring time last).
  const [always, noAnswer, busy, unreachable] = DIVERT_CONDITIONS.map(ruleOf) as [
    DivertRule,
    DivertRule,
    DivertRule,
    DivertRule,
  ];
  const ringSeconds = normaliseRingSeconds(input.noAnswer?.ringSeconds, RING_SECONDS_DEFAULT, violations);
  return { rules: { always, noAnswer: { ...noAnswer, ringSeconds }, busy, unreachable }, violations };
}

function normaliseRule(
  condition: DivertCondition,
  target: DivertTargetInput,
  validity: ValidityWindow | null | undefined,
  ctx: RuleInputContext,
  violations: DivertViolation[],
): DivertRule {
  const normalisedTarget = normaliseTarget(condition, target, ctx, violations);
  // A window on an "off" rule changes nothing (off inside, off outside): stored without one.
  if (normalisedTarget.kind === 'off') return { target: normalisedTarget, validity: null };
  return { target: normalisedTarget, validity: normaliseValidity(condition, validity ?? null, ctx.now, violations) };
}

function normaliseTarget(
  condition: DivertCondition,
  target: DivertTargetInput,
  ctx: RuleInputContext,
  violations: DivertViolation[],
): DivertTarget {
  switch (target.kind) {
    case 'off':
    case 'voicemail':
      return { kind: target.kind };
    case 'extension': {
      const path = `rules.${condition}.target.extension`;
      if (target.extension === ctx.extension) {
        const message = `extension ${ctx.extension} cannot divert to itself`;
        violations.push({ ...DIVERT_ERRORS.TARGET_IS_SELF, path, message });
      } else if (!ctx.knownExtensions.has(target.extension)) {
        const message = `extension ${target.extension} does not exist`;
        violations.push({ ...DIVERT_ERRORS.UNKNOWN_EXTENSION, path, message });
      }
      return { kind: 'extension', extension: target.extension };
    }
    case 'number': {
      const path = `rules.${condition}.target.number`;
      const result = normalisePhoneNumber(target.number, ctx.defaultCountry);
      if (!result.ok) {
        violations.push({ ...DIVERT_ERRORS.INVALID_NUMBER, path, message: result.message });
        return { kind: 'off' };
      }
      // Diverting to premium-rate numbers is the classic PBX toll-fraud pattern.
      if (result.type === 'PREMIUM_RATE') {
        const message = `${result.e164} is a premium-rate number`;
        violations.push({ ...DIVERT_ERRORS.NUMBER_NOT_ALLOWED, path, message });
      }
      return { kind: 'number', e164: result.e164 };
    }
    default: {
      const _exhaustive: never = target;
      throw new Error(`unhandled divert target input ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function normaliseValidity(
  condition: DivertCondition,
  validity: ValidityWindow | null,
  now: Date,
  violations: DivertViolation[],
): ValidityWindow | null {
  if (validity === null) return null;
  const path = `rules.${condition}.validity`;
  const from = Date.parse(validity.from);
  const to = Date.parse(validity.to);
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (Number.isNaN(value)) {
      const message = `"${validity[field]}" is not an instant`;
      violations.push({ ...DIVERT_ERRORS.INVALID_VALIDITY_WINDOW, path: `${path}.${field}`, message });
    }
  }
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  if (to <= from) {
    violations.push({
      ...DIVERT_ERRORS.INVALID_VALIDITY_WINDOW,
      path: `${path}.to`,
      message: `the validity window must end after it starts (${validity.from} .. ${validity.to})`,
    });
  } else if (to <= now.getTime()) {
    violations.push({
      ...DIVERT_ERRORS.VALIDITY_WINDOW_ENDED,
      path: `${path}.to`,
      message: `the validity window ended at ${validity.to}: the rule would never apply`,
    });
  }
  // Stored in UTC so that equal windows compare equal and replicas never parse offsets.
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

function normaliseRingSeconds(value: number | undefined, fallback: number, violations: DivertViolation[]): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < RING_SECONDS_MIN || value > RING_SECONDS_MAX) {
    violations.push({
      ...DIVERT_ERRORS.RING_TIME_OUT_OF_RANGE,
      path: 'rules.noAnswer.ringSeconds',
      message: `ring time must be a whole number of seconds from ${RING_SECONDS_MIN} to ${RING_SECONDS_MAX}, got ${value}`,
    });
    return fallback;
  }
  return value;
}
