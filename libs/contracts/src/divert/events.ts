// Events of the divert service. Every change event carries the extension's COMPLETE resulting rules
// (event-carried state transfer): the router's replica does `replica.set(extension, data.rules)` and
// never needs to ask the divert service. Who changed it is the envelope's `actor`; why is `reason`.
import { z } from 'zod';
import type { EventEnvelope } from '../envelope';
import { defineEvent, type DataOf } from '../event-definition';
import { ExtensionSchema } from '../phone';
import { DivertConditionSchema, DivertRulesSchema, exampleDivertRules } from './rules';

/** Free text an operator gives for a change ("on holiday until 2 Jan"), or a system explanation. */
export const DivertReasonSchema = z.string().trim().min(1).max(500);

export const DivertRuleSetEvent = defineEvent({
  service: 'divert',
  type: 'DivertRuleSet',
  version: 1,
  description: 'One divert rule of an extension was set (target, validity window, ring time); carries all its rules.',
  schema: z.strictObject({
    extension: ExtensionSchema,
    condition: DivertConditionSchema,
    rules: DivertRulesSchema,
    reason: DivertReasonSchema.nullable(),
  }),
  example: { extension: '2001', condition: 'noAnswer', rules: exampleDivertRules, reason: 'cover for the sales desk' },
});

export const DivertRulesReplacedEvent = defineEvent({
  service: 'divert',
  type: 'DivertRulesReplaced',
  version: 1,
  description: 'All divert rules of an extension were replaced at once (single or bulk update); carries all its rules.',
  schema: z.strictObject({
    extension: ExtensionSchema,
    /** The conditions whose rule differs from before (never empty: an unchanged replace emits nothing). */
    changedConditions: z.array(DivertConditionSchema).min(1),
    rules: DivertRulesSchema,
    reason: DivertReasonSchema.nullable(),
  }),
  example: { extension: '2001', changedConditions: ['noAnswer', 'unreachable'], rules: exampleDivertRules, reason: null },
});

export const DivertRuleClearedEvent = defineEvent({
  service: 'divert',
  type: 'DivertRuleCleared',
  version: 1,
  description:
    'One divert rule of an extension was turned off (target off, no window; for noAnswer the ring time back to the default); carries all its rules.',
  schema: z.strictObject({
    extension: ExtensionSchema,
    condition: DivertConditionSchema,
    rules: DivertRulesSchema,
    reason: DivertReasonSchema.nullable(),
  }),
  example: {
    extension: '2001',
    condition: 'always',
    rules: exampleDivertRules,
    reason: 'back from holiday',
  },
});

/**
 * A target extension was removed in agent-directory. The rules that forwarded to it now go to the
 * VOICEMAIL OF THE DIVERTING EXTENSION (validity windows kept). We rewrite the rules instead of
 * leaving a dangling target for the router to skip, because extension numbers get reused: a rule
 * must never silently start forwarding to whoever is given the number next.
 */
export const DivertTargetOrphanedEvent = defineEvent({
  service: 'divert',
  type: 'DivertTargetOrphaned',
  version: 1,
  description:
    "A rule's target extension was removed; those rules now divert to this extension's voicemail. Carries all its rules.",
  schema: z.strictObject({
    extension: ExtensionSchema,
    removedExtension: ExtensionSchema,
    /** Conditions whose target was the removed extension (never empty). */
    conditions: z.array(DivertConditionSchema).min(1),
    rules: DivertRulesSchema,
    reason: DivertReasonSchema.nullable(),
  }),
  example: {
    extension: '2001',
    removedExtension: '2003',
    conditions: ['busy'],
    rules: exampleDivertRules,
    reason: 'extension 2003 removed from the directory',
  },
});

/** The extension itself was removed in agent-directory: its diverts are gone; replicas drop it. */
export const DivertExtensionRemovedEvent = defineEvent({
  service: 'divert',
  type: 'DivertExtensionRemoved',
  version: 1,
  description: 'The extension was removed from the directory; it has no divert rules any more.',
  schema: z.strictObject({ extension: ExtensionSchema, reason: DivertReasonSchema.nullable() }),
  example: { extension: '2003', reason: 'agent left the company' },
});

/** Every divert event definition (for AsyncAPI generation and consumers' schema lookup). */
export const DIVERT_EVENTS = [
  DivertRuleSetEvent,
  DivertRulesReplacedEvent,
  DivertRuleClearedEvent,
  DivertTargetOrphanedEvent,
  DivertExtensionRemovedEvent,
] as const;

export type DivertRuleSetData = DataOf<typeof DivertRuleSetEvent>;
export type DivertRulesReplacedData = DataOf<typeof DivertRulesReplacedEvent>;
export type DivertRuleClearedData = DataOf<typeof DivertRuleClearedEvent>;
export type DivertTargetOrphanedData = DataOf<typeof DivertTargetOrphanedEvent>;
export type DivertExtensionRemovedData = DataOf<typeof DivertExtensionRemovedEvent>;

/**
 * A divert event as the decider emits it and `evolve` reads it: type + data. A stored
 * `EventEnvelope` of the same type is assignable to it, so `evolve` folds envelopes directly.
 */
export type DivertEvent =
  | { type: 'DivertRuleSet'; data: DivertRuleSetData }
  | { type: 'DivertRulesReplaced'; data: DivertRulesReplacedData }
  | { type: 'DivertRuleCleared'; data: DivertRuleClearedData }
  | { type: 'DivertTargetOrphaned'; data: DivertTargetOrphanedData }
  | { type: 'DivertExtensionRemoved'; data: DivertExtensionRemovedData };

export type DivertEventType = DivertEvent['type'];

export const DivertEventTypeSchema = z.enum([
  'DivertRuleSet',
  'DivertRulesReplaced',
  'DivertRuleCleared',
  'DivertTargetOrphaned',
  'DivertExtensionRemoved',
]);
// Compile-time proof that the enum above and the event union name the same types.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _eventTypesMatch: SameSet<z.infer<typeof DivertEventTypeSchema>, (typeof DIVERT_EVENTS)[number]['type']> &
  SameSet<DivertEventType, (typeof DIVERT_EVENTS)[number]['type']> = true;
void _eventTypesMatch;

/** A stored / published divert event. */
export type DivertEventEnvelope = {
  [K in DivertEvent as K['type']]: EventEnvelope<K['type'], K['data']>;
}[DivertEventType];

/**
 * Validates a received message as a divert event (consumer side: the router's replica). Throws on an
 * unknown type or version or data that breaks the schema, so the consumer can dead-letter it.
 */
export function parseDivertEvent(message: { type: string; version: number; data: unknown }): DivertEvent {
  const def = DIVERT_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not a divert event type: "${message.type}"`);
  if (def.version !== message.version) {
    throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  }
  return { type: def.type, data: def.schema.parse(message.data) } as DivertEvent;
}
