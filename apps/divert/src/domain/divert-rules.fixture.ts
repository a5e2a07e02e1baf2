// Test-only builders for divert rules, so the specs read as tables of rules rather than object literals.
import {
  defaultDivertRules,
  type DivertRule,
  type DivertRules,
  type DivertTarget,
  type ValidityWindow,
} from '@cc/contracts';

type TargetOf<K extends DivertTarget['kind']> = Extract<DivertTarget, { kind: K }>;
export const off = (): TargetOf<'off'> => ({ kind: 'off' });
export const voicemail = (): TargetOf<'voicemail'> => ({ kind: 'voicemail' });
export const ext = (extension: string): TargetOf<'extension'> => ({ kind: 'extension', extension });
export const num = (e164: string): TargetOf<'number'> => ({ kind: 'number', e164 });
export const during = (from: string, to: string): ValidityWindow => ({ from, to });

/** A rule with a window: `within(ext('2002'), during(a, b))`. */
export const within = (target: DivertTarget, validity: ValidityWindow): DivertRule => ({ target, validity });

type RuleSpec = DivertTarget | DivertRule;
const toRule = (spec: RuleSpec): DivertRule => ('target' in spec ? spec : { target: spec, validity: null });

/** Default rules with some conditions set: `rules({ always: ext('2002'), noAnswer: voicemail(), ringSeconds: 20 })`. */
export function rules(spec: {
  always?: RuleSpec;
  noAnswer?: RuleSpec;
  busy?: RuleSpec;
  unreachable?: RuleSpec;
  ringSeconds?: number;
}): DivertRules {
  const result = defaultDivertRules();
  if (spec.always) result.always = toRule(spec.always);
  if (spec.noAnswer) result.noAnswer = { ...toRule(spec.noAnswer), ringSeconds: result.noAnswer.ringSeconds };
  if (spec.busy) result.busy = toRule(spec.busy);
  if (spec.unreachable) result.unreachable = toRule(spec.unreachable);
  if (spec.ringSeconds !== undefined) result.noAnswer.ringSeconds = spec.ringSeconds;
  return result;
}

/** A tenant's rules: `tenant({ '2001': rules(...), '2002': rules(...) })`. */
export const tenant = (entries: Record<string, DivertRules>): Map<string, DivertRules> =>
  new Map(Object.entries(entries));
