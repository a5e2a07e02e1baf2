// The shape of an extension's divert rules: what is stored and carried in events (normalised), and
// what operators may send (raw phone numbers, optional fields). The router's replica holds `DivertRules`.
import { z } from 'zod';
import { E164Schema, ExtensionSchema, RawPhoneNumberSchema } from '../phone';

/**
 * When a divert applies, in the order the router meets them:
 * - `always`: before ringing; an active always-divert means the extension does not ring at all;
 * - `noAnswer`: the extension rang `ringSeconds` without answer;
 * - `busy`: the extension is on a call;
 * - `unreachable`: the device is not registered (offline, out of range, logged out).
 */
export const DIVERT_CONDITIONS = ['always', 'noAnswer', 'busy', 'unreachable'] as const;
export const DivertConditionSchema = z.enum(DIVERT_CONDITIONS);
export type DivertCondition = z.infer<typeof DivertConditionSchema>;

/**
 * How long a no-answer divert lets the extension ring. The seed's product default is 300 s.
 * 5 s is about two UK ring cycles (less is "divert immediately": use `always`); 600 s caps how long
 * a caller can be held ringing before the divert is taken.
 */
export const RING_SECONDS_MIN = 5;
export const RING_SECONDS_MAX = 600;
export const RING_SECONDS_DEFAULT = 300;

/** Stored target: numbers are already E.164. */
export const DivertTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('off') }),
  z.strictObject({ kind: z.literal('voicemail') }),
  z.strictObject({ kind: z.literal('extension'), extension: ExtensionSchema }),
  z.strictObject({ kind: z.literal('number'), e164: E164Schema }),
]);
export type DivertTarget = z.infer<typeof DivertTargetSchema>;
export type DivertTargetKind = DivertTarget['kind'];

/**
 * Target as an operator sends it: `number` is what they typed (`441234567890`, `01234 567890`,
 * `+44 1234 567890`); the divert service normalises it to E.164 with the tenant's default country.
 * An E.164 value read back from the API is valid input too.
 */
export const DivertTargetInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('off') }),
  z.strictObject({ kind: z.literal('voicemail') }),
  z.strictObject({ kind: z.literal('extension'), extension: ExtensionSchema }),
  z.strictObject({ kind: z.literal('number'), number: RawPhoneNumberSchema }),
]);
export type DivertTargetInput = z.infer<typeof DivertTargetInputSchema>;

/**
 * A rule applies only from `from` (inclusive) to `to` (exclusive); outside it the rule counts as
 * `off` (e.g. "forward always to 2002 during my holiday"). Instants; stored in UTC (`…Z`).
 * `to > from` and "not already over" are checked by the divert decider (codes DIVERT.*), not here.
 */
export const ValidityWindowSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type ValidityWindow = z.infer<typeof ValidityWindowSchema>;

export const DivertRuleSchema = z.strictObject({
  target: DivertTargetSchema,
  /** `null`: always valid. */
  validity: ValidityWindowSchema.nullable(),
});
export type DivertRule = z.infer<typeof DivertRuleSchema>;

export const NoAnswerRuleSchema = DivertRuleSchema.extend({
  ringSeconds: z.number().int().min(RING_SECONDS_MIN).max(RING_SECONDS_MAX),
});
export type NoAnswerRule = z.infer<typeof NoAnswerRuleSchema>;

/** All four rules of one extension: the unit a replica stores and every divert event carries. */
export const DivertRulesSchema = z.strictObject({
  always: DivertRuleSchema,
  noAnswer: NoAnswerRuleSchema,
  busy: DivertRuleSchema,
  unreachable: DivertRuleSchema,
});
export type DivertRules = z.infer<typeof DivertRulesSchema>;

/** The rules of an extension nobody has configured: every divert off, 300 s ring time. */
export const defaultDivertRules = (): DivertRules => ({
  always: { target: { kind: 'off' }, validity: null },
  noAnswer: { target: { kind: 'off' }, validity: null, ringSeconds: RING_SECONDS_DEFAULT },
  busy: { target: { kind: 'off' }, validity: null },
  unreachable: { target: { kind: 'off' }, validity: null },
});

/**
 * One rule as sent by an operator. `ringSeconds` is a plain integer here so that the divert
 * decider, not the schema, refuses an out-of-range value with its own code (DIVERT.RING_TIME_OUT_OF_RANGE).
 */
export const DivertRuleInputSchema = z.strictObject({
  target: DivertTargetInputSchema,
  validity: ValidityWindowSchema.nullable().optional(),
});
export type DivertRuleInput = z.infer<typeof DivertRuleInputSchema>;

export const NoAnswerRuleInputSchema = DivertRuleInputSchema.extend({
  ringSeconds: z.number().int().optional(),
});
export type NoAnswerRuleInput = z.infer<typeof NoAnswerRuleInputSchema>;

/**
 * All rules of an extension as sent by an operator (replace semantics): a condition left out is
 * `off`, a `ringSeconds` left out is the default (300).
 */
export const DivertRulesInputSchema = z.strictObject({
  always: DivertRuleInputSchema.optional(),
  noAnswer: NoAnswerRuleInputSchema.optional(),
  busy: DivertRuleInputSchema.optional(),
  unreachable: DivertRuleInputSchema.optional(),
});
export type DivertRulesInput = z.infer<typeof DivertRulesInputSchema>;

/**
 * Hops the router follows from extension to extension before it stops at the voicemail of the
 * extension the caller dialled (protection against loops that slipped past the write-time check).
 * A call flow's default (`divertHopLimit`), and what divert's effective view assumes.
 */
export const DEFAULT_DIVERT_HOP_LIMIT = 5;

export const exampleDivertRules: DivertRules = {
  always: { target: { kind: 'off' }, validity: null },
  noAnswer: { target: { kind: 'extension', extension: '2002' }, validity: null, ringSeconds: 20 },
  busy: { target: { kind: 'voicemail' }, validity: null },
  unreachable: {
    target: { kind: 'number', e164: '+441234567890' },
    validity: { from: '2026-12-24T00:00:00.000Z', to: '2027-01-02T00:00:00.000Z' },
  },
};
