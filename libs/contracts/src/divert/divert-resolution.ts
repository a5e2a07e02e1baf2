// Where a call ends up once diverts are followed: the answer of `followDivertChain` (divert domain),
// used by the call-router on every call and returned by the effective-divert query.
import { z } from 'zod';
import { E164Schema, ExtensionSchema } from '../phone';
import { DivertConditionSchema } from './rules';

/** One extension-to-extension divert taken: `from` forwarded under `condition` to `to`. */
export const DivertHopSchema = z.strictObject({
  from: ExtensionSchema,
  condition: DivertConditionSchema,
  to: ExtensionSchema,
});
export type DivertHop = z.infer<typeof DivertHopSchema>;

export const DivertOutcomeSchema = z.discriminatedUnion('kind', [
  /**
   * Ring this extension (no always-divert active on it). `ringSeconds` is its active no-answer
   * divert's ring time; `null` when no no-answer divert applies (the call flow's timeout rules).
   */
  z.strictObject({ kind: z.literal('ring'), extension: ExtensionSchema, ringSeconds: z.number().int().nullable() }),
  /** Leave a message in this extension's voicemail box. */
  z.strictObject({ kind: z.literal('voicemail'), extension: ExtensionSchema }),
  /** Forward outside: `divertedBy` is the extension whose rule sent the call there (its CLI policy applies). */
  z.strictObject({ kind: z.literal('number'), e164: E164Schema, divertedBy: ExtensionSchema }),
  /** `condition` happened at `extension` and no divert applies: the call flow decides (busy tone, keep ringing…). */
  z.strictObject({ kind: z.literal('noDivert'), extension: ExtensionSchema, condition: DivertConditionSchema }),
]);
export type DivertOutcome = z.infer<typeof DivertOutcomeSchema>;

/**
 * Why following stopped:
 * - `resolved`: the rules led to the outcome;
 * - `hopLimit`: the next hop would exceed the hop limit; outcome is the voicemail of the extension dialled (the chain's first), as the router plans it;
 * - `loop`: the next hop returns to an extension already on the chain (a loop the write-time check could not
 *   see, e.g. two concurrent changes); outcome is the voicemail of the extension dialled (the chain's first), as the router plans it;
 * - `removedTarget`: the next hop's extension no longer exists; outcome is the voicemail of the extension whose
 *   rule pointed there (same fallback as `DivertTargetOrphaned`).
 */
export const DivertStopSchema = z.enum(['resolved', 'hopLimit', 'loop', 'removedTarget']);
export type DivertStop = z.infer<typeof DivertStopSchema>;

export const DivertResolutionSchema = z.strictObject({
  outcome: DivertOutcomeSchema,
  hops: z.array(DivertHopSchema),
  stop: DivertStopSchema,
});
export type DivertResolution = z.infer<typeof DivertResolutionSchema>;
