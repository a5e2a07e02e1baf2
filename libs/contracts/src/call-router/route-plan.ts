// The answer of `route`: ordered steps a SIP edge / IVR executes (ring these devices for N seconds, on
// no-answer go to step X …) and the TRACE saying why each choice was made ("why did my phone not ring").
import { z } from 'zod';
import { AgentIdSchema } from '../agent-directory/agent-view';
import { CallSlotIdSchema, DtmfKeySchema } from '../callback-slots/call-slot-definition';
import { E164Schema, ExtensionSchema } from '../phone';
import { CallFlowNodeIdSchema, CallFlowPromptSchema } from './call-flow';

/** Step ids are `s1`, `s2`, … unique within one call (they keep counting across decisions). */
export const PlanStepIdSchema = z.string().regex(/^s[1-9][0-9]*$/, 'a step id: "s" and a number');
export type PlanStepId = z.infer<typeof PlanStepIdSchema>;
/** Leg ids are `{stepId}.{n}`: one per target of a ring step. */
export const LegIdSchema = z.string().regex(/^s[1-9][0-9]*\.[1-9][0-9]*$/, 'a leg id: "{stepId}.{n}"');
export type LegId = z.infer<typeof LegIdSchema>;

/**
 * Why a device is rung:
 * - `extension`: the agent's desk/soft phone;
 * - `mobile`: the agent's mobile, per the ring preference;
 * - `forward`: an outside number a divert or after-hours policy sent the call to, rung as a leg of a group.
 */
export const RING_TARGET_ROLES = ['extension', 'mobile', 'forward'] as const;

export const RingTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('extension'),
    legId: LegIdSchema,
    extension: ExtensionSchema,
    agentId: AgentIdSchema.nullable(),
  }),
  z.strictObject({
    kind: z.literal('number'),
    legId: LegIdSchema,
    e164: E164Schema,
    agentId: AgentIdSchema.nullable(),
    role: z.enum(['mobile', 'forward']),
    /**
     * The leg must be confirmed by a key press before it is bridged ("press 1 to take this call"), so
     * a mobile's own voicemail answering does not count as the agent answering. The SIP edge honours it.
     */
    answerConfirmation: z.boolean(),
  }),
]);
export type RingTarget = z.infer<typeof RingTargetSchema>;

/** The voicemail box a voicemail step records into. */
export const PlanMailboxSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('extension'), extension: ExtensionSchema, agentId: AgentIdSchema.nullable() }),
  z.strictObject({ kind: z.literal('group'), mailboxId: z.string().min(1).max(63) }),
]);
export type PlanMailbox = z.infer<typeof PlanMailboxSchema>;

/** Where a ring or forward step goes when it fails: always a step of the same plan. */
export const StepFailureEdgesSchema = z.strictObject({
  noAnswer: PlanStepIdSchema,
  busy: PlanStepIdSchema,
  unreachable: PlanStepIdSchema,
});
export type StepFailureEdges = z.infer<typeof StepFailureEdgesSchema>;

/**
 * Why a failure edge leads where it does (the `Diverted` event and the call log read it):
 * - `flow`: the flow node's own fallback (`onNoAnswer` …);
 * - `divert`: the extension's divert rule for that condition;
 * - `sequence`: the next device or member of the same node (extension then mobile, in-order group);
 * - `protection`: a divert chain stopped at a loop, the hop limit or a removed extension: voicemail;
 * - `fallback`: the router's own fallback when a forward to an outside number fails: the forwarding
 *   extension's voicemail.
 */
export const EdgeViaSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flow') }),
  z.strictObject({ kind: z.literal('divert'), fromExtension: ExtensionSchema }),
  z.strictObject({ kind: z.literal('sequence') }),
  z.strictObject({ kind: z.literal('protection'), reason: z.enum(['loop', 'hopLimit', 'targetRemoved']) }),
  z.strictObject({ kind: z.literal('fallback') }),
]);
export type EdgeVia = z.infer<typeof EdgeViaSchema>;
export const StepFailureViaSchema = z.strictObject({ noAnswer: EdgeViaSchema, busy: EdgeViaSchema, unreachable: EdgeViaSchema });
export type StepFailureVia = z.infer<typeof StepFailureViaSchema>;

/** Which flow node a step comes from (null for steps the router adds, e.g. a hang-up after a booked callback). */
const origin = { nodeId: CallFlowNodeIdSchema.nullable() };

export const RingStepSchema = z.strictObject({
  kind: z.literal('ring'),
  id: PlanStepIdSchema,
  ...origin,
  /** Rung together (parallel fork). One target: a plain serial leg. */
  targets: z.array(RingTargetSchema).min(1),
  ringSeconds: z.number().int().positive(),
  on: StepFailureEdgesSchema,
  via: StepFailureViaSchema,
});

/**
 * An IVR menu. Its options name flow NODES, not steps: the router plans the chosen branch when the
 * key arrives (call progress `dtmf`), with the flow version the call started with.
 */
export const MenuStepSchema = z.strictObject({
  kind: z.literal('menu'),
  id: PlanStepIdSchema,
  nodeId: CallFlowNodeIdSchema,
  prompt: CallFlowPromptSchema,
  invalidPrompt: CallFlowPromptSchema.nullable(),
  options: z.array(z.strictObject({ digit: DtmfKeySchema, nodeId: CallFlowNodeIdSchema })),
  timeoutSeconds: z.number().int().positive(),
  invalidRetries: z.number().int().min(0),
  /** Replays so far (invalid key or no key); the next one past `invalidRetries` goes to `defaultNodeId`. */
  attempt: z.number().int().min(0),
  defaultNodeId: CallFlowNodeIdSchema,
});

/** Hand the caller to the callback-slots offer dialogue; DTMF passes through to it until it ends. */
export const OfferCallbackStepSchema = z.strictObject({
  kind: z.literal('offerCallback'),
  id: PlanStepIdSchema,
  nodeId: CallFlowNodeIdSchema,
  callSlotId: CallSlotIdSchema,
  /** The caller's CLI for the offer (null: withheld, the dialogue asks for a number). */
  callerCli: E164Schema.nullable(),
  /** Flow nodes taken after the dialogue (planned then); null `onBookedNodeId`: hang up. */
  onBookedNodeId: CallFlowNodeIdSchema.nullable(),
  onDeclinedNodeId: CallFlowNodeIdSchema,
});

export const VoicemailStepSchema = z.strictObject({
  kind: z.literal('voicemail'),
  id: PlanStepIdSchema,
  ...origin,
  mailbox: PlanMailboxSchema,
  greeting: CallFlowPromptSchema.nullable(),
});

export const ForwardStepSchema = z.strictObject({
  kind: z.literal('forward'),
  id: PlanStepIdSchema,
  ...origin,
  e164: E164Schema,
  /** The extension whose divert / after-hours policy forwards the call (its CLI policy applies); null for a forward node. */
  forwardedBy: ExtensionSchema.nullable(),
  /** Ring time before the forward counts as not answered; null: until the far end answers or refuses. */
  ringSeconds: z.number().int().positive().nullable(),
  on: StepFailureEdgesSchema,
  via: StepFailureViaSchema,
});

export const AnnouncementStepSchema = z.strictObject({
  kind: z.literal('announcement'),
  id: PlanStepIdSchema,
  ...origin,
  prompt: CallFlowPromptSchema,
  /** The edge plays the prompt and continues here by itself (announcements get no call progress). */
  next: PlanStepIdSchema,
});

export const HANGUP_REASONS = ['flow', 'callbackBooked', 'forwardFailed', 'noMailbox', 'flowError'] as const;
export const HangupStepSchema = z.strictObject({
  kind: z.literal('hangup'),
  id: PlanStepIdSchema,
  ...origin,
  prompt: CallFlowPromptSchema.nullable(),
  reason: z.enum(HANGUP_REASONS),
});

export const PlanStepSchema = z.discriminatedUnion('kind', [
  RingStepSchema,
  MenuStepSchema,
  OfferCallbackStepSchema,
  VoicemailStepSchema,
  ForwardStepSchema,
  AnnouncementStepSchema,
  HangupStepSchema,
]);
export type PlanStep = z.infer<typeof PlanStepSchema>;
export type PlanStepKind = PlanStep['kind'];
export type PlanStepOf<K extends PlanStepKind> = Extract<PlanStep, { kind: K }>;

/**
 * Machine-readable reasons in a trace. Each entry also carries a sentence for humans and flat facts
 * (`agentId`, `extension`, `scheduleId`, `rule`, …) for tools.
 */
export const TRACE_CODES = [
  'flow.selected',
  'flow.notRoutable',
  'flow.edge',
  'flow.error',
  'schedule.open',
  'schedule.closed',
  'schedule.emergency',
  'schedule.unknown',
  'menu.entered',
  'menu.option',
  'menu.invalid',
  'menu.timeout',
  'menu.default',
  'agent.notFound',
  'agent.disabled',
  'agent.withinHours',
  'agent.outsideHours',
  'agent.afterHours',
  'agent.ringPreference',
  'device.unregistered',
  'device.onCall',
  'device.unknown',
  'divert.always',
  'divert.noAnswer',
  'divert.busy',
  'divert.unreachable',
  'divert.targetRemoved',
  'divert.loop',
  'divert.hopLimit',
  'group.member',
  'group.memberSkipped',
  'group.empty',
  'callback.offerable',
  'callback.notOfferable',
  'callback.ended',
  'call.progress',
  'plan.limit',
] as const;
export const TraceCodeSchema = z.enum(TRACE_CODES);
export type TraceCode = z.infer<typeof TraceCodeSchema>;

export const TraceFactSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const TraceEntrySchema = z.strictObject({
  code: TraceCodeSchema,
  message: z.string(),
  nodeId: CallFlowNodeIdSchema.nullable(),
  facts: z.record(z.string(), TraceFactSchema),
});
export type TraceEntry = z.infer<typeof TraceEntrySchema>;

/** One decision: the steps planned (the first one is entered now) and why. */
export const RouteDecisionSchema = z.strictObject({
  /** The step the call is in after this decision (announcements before it are played on the way). */
  currentStepId: PlanStepIdSchema,
  /**
   * The current step first, then every other step planned with it (failure edges, in planning order).
   * After a menu choice or an offer, the steps of the earlier decision no longer apply.
   */
  steps: z.array(PlanStepSchema).min(1),
  trace: z.array(TraceEntrySchema),
});
export type RouteDecision = z.infer<typeof RouteDecisionSchema>;
