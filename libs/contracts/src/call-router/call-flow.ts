// The call flow of one dialled number (DID): a graph of nodes an operator draws ("press 1 for sales",
// open/closed branch, ring an agent or a group, offer a callback, voicemail, forward, hang up).
// The shape is checked here; graph rules (dangling edges, loops without input) by the router's validator.
import { z } from 'zod';
import { AgentIdSchema } from '../agent-directory/agent-view';
import { DEFAULT_DIVERT_HOP_LIMIT } from '../divert/rules';
import { CallSlotIdSchema, DtmfKeySchema } from '../callback-slots/call-slot-definition';
import { E164Schema, ExtensionSchema } from '../phone';
import { ScheduleIdSchema } from '../schedule/schedule-definition';

/** Limits that keep a flow plannable in microseconds and readable by a human. */
export const CALL_FLOW_LIMITS = {
  maxNodes: 200,
  maxGroupMembers: 50,
  /** Longest chain of nodes a call can pass without waiting for the caller's input. */
  maxChainWithoutInput: 40,
  ringSeconds: { min: 5, max: 600 },
  menuTimeoutSeconds: { min: 1, max: 60 },
  menuInvalidRetries: { min: 0, max: 9 },
  divertHopLimit: { min: 1, max: 10 },
} as const;

export const DEFAULT_FLOW_RING_SECONDS = 30;
export const DEFAULT_DIVERT_HOP_LIMIT_OF_FLOW = DEFAULT_DIVERT_HOP_LIMIT;

/** A node id, chosen by the operator (`welcome`, `sales-queue`); it appears in field paths and traces. */
export const CallFlowNodeIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a node id: 1-64 of A-Z, a-z, 0-9, "_", "-", starting with a letter');
export type CallFlowNodeId = z.infer<typeof CallFlowNodeIdSchema>;

/** What the caller hears: text read by TTS, or a recording uploaded to the media store. */
export const CallFlowPromptSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('tts'),
    text: z.string().trim().min(1).max(2000),
    /** BCP 47 (`en-GB`); null: the media server's default voice. */
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag, e.g. "en-GB"')
      .nullable(),
  }),
  z.strictObject({ kind: z.literal('recording'), recordingId: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/) }),
]);
export type CallFlowPrompt = z.infer<typeof CallFlowPromptSchema>;

const RingSecondsSchema = z.number().int().min(CALL_FLOW_LIMITS.ringSeconds.min).max(CALL_FLOW_LIMITS.ringSeconds.max);

/**
 * Where a ring node goes when nobody answers. `onBusy` / `onUnreachable` default to `onNoAnswer`.
 * These apply only when the rung extensions' own diverts do not take the call first.
 */
const ringFallbackFields = {
  onNoAnswer: CallFlowNodeIdSchema,
  onBusy: CallFlowNodeIdSchema.optional(),
  onUnreachable: CallFlowNodeIdSchema.optional(),
};

/**
 * Open / closed branch on a schedule of the schedule service. `emergency` is taken while the schedule's
 * emergency override says closed; without it the closed branch is taken.
 */
export const ScheduleNodeSchema = z.strictObject({
  type: z.literal('schedule'),
  scheduleId: ScheduleIdSchema,
  branches: z.strictObject({
    open: CallFlowNodeIdSchema,
    closed: CallFlowNodeIdSchema,
    emergency: CallFlowNodeIdSchema.optional(),
  }),
});

/**
 * IVR menu: plays `prompt`, waits `timeoutSeconds` for one key. A key without an option, or no key,
 * replays the menu (after `invalidPrompt`, if any) up to `invalidRetries` times, then goes to `default`.
 */
export const MenuNodeSchema = z.strictObject({
  type: z.literal('menu'),
  prompt: CallFlowPromptSchema,
  invalidPrompt: CallFlowPromptSchema.optional(),
  options: z.partialRecord(DtmfKeySchema, CallFlowNodeIdSchema),
  timeoutSeconds: z.number().int().min(CALL_FLOW_LIMITS.menuTimeoutSeconds.min).max(CALL_FLOW_LIMITS.menuTimeoutSeconds.max),
  invalidRetries: z.number().int().min(CALL_FLOW_LIMITS.menuInvalidRetries.min).max(CALL_FLOW_LIMITS.menuInvalidRetries.max),
  default: CallFlowNodeIdSchema,
});

/**
 * Ring one agent: devices per the agent's ring preference and working hours (after-hours policy),
 * the extension's diverts applied. `ringSeconds` overrides the extension's no-answer ring time.
 */
export const RingAgentNodeSchema = z.strictObject({
  type: z.literal('ringAgent'),
  agentId: AgentIdSchema,
  ringSeconds: RingSecondsSchema.optional(),
  ...ringFallbackFields,
});

/**
 * Ring several agents: all at once (`simultaneous`), or one after the other (`inOrder`), each for
 * `memberRingSeconds`. Members that are disabled, outside working hours, busy or unreachable are skipped.
 */
export const RingGroupNodeSchema = z.strictObject({
  type: z.literal('ringGroup'),
  agentIds: z.array(AgentIdSchema).min(1).max(CALL_FLOW_LIMITS.maxGroupMembers),
  strategy: z.enum(['simultaneous', 'inOrder']),
  memberRingSeconds: RingSecondsSchema,
  ...ringFallbackFields,
});

/**
 * Offer a callback in a call slot (seed 003). Only when the call slot has a free time slot in its offer
 * window; else `fallback`. After the dialogue: `onBooked` (default: hang up) or `onDeclined` (default: `fallback`).
 */
export const OfferCallbackNodeSchema = z.strictObject({
  type: z.literal('offerCallback'),
  callSlotId: CallSlotIdSchema,
  fallback: CallFlowNodeIdSchema,
  onDeclined: CallFlowNodeIdSchema.optional(),
  onBooked: CallFlowNodeIdSchema.optional(),
});

/** A voicemail box: an agent's (their extension's box), an extension's, or a shared group box. */
export const MailboxRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('agent'), agentId: AgentIdSchema }),
  z.strictObject({ kind: z.literal('extension'), extension: ExtensionSchema }),
  z.strictObject({ kind: z.literal('group'), mailboxId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/) }),
]);
export type MailboxRef = z.infer<typeof MailboxRefSchema>;

export const VoicemailNodeSchema = z.strictObject({
  type: z.literal('voicemail'),
  mailbox: MailboxRefSchema,
  greeting: CallFlowPromptSchema.optional(),
});

/** Hand the call to an outside number. `onFailure` (busy, unreachable, no answer): default hang up. */
export const ForwardNodeSchema = z.strictObject({
  type: z.literal('forward'),
  e164: E164Schema,
  onFailure: CallFlowNodeIdSchema.optional(),
});

export const AnnouncementNodeSchema = z.strictObject({
  type: z.literal('announcement'),
  prompt: CallFlowPromptSchema,
  next: CallFlowNodeIdSchema,
});

export const HangupNodeSchema = z.strictObject({
  type: z.literal('hangup'),
  prompt: CallFlowPromptSchema.optional(),
});

export const CallFlowNodeSchema = z.discriminatedUnion('type', [
  ScheduleNodeSchema,
  MenuNodeSchema,
  RingAgentNodeSchema,
  RingGroupNodeSchema,
  OfferCallbackNodeSchema,
  VoicemailNodeSchema,
  ForwardNodeSchema,
  AnnouncementNodeSchema,
  HangupNodeSchema,
]);
export type CallFlowNode = z.infer<typeof CallFlowNodeSchema>;
export type CallFlowNodeType = CallFlowNode['type'];
export type CallFlowNodeOf<T extends CallFlowNodeType> = Extract<CallFlowNode, { type: T }>;

export const CallFlowSettingsSchema = z.strictObject({
  /** Ring time of an agent when neither the node nor an active no-answer divert sets one. */
  defaultRingSeconds: RingSecondsSchema,
  /** Mobile legs ask "press 1 to take this call", so a mobile's own voicemail cannot swallow the call. */
  mobileAnswerConfirmation: z.boolean(),
  /** Extension-to-extension hops (diverts, after-hours forwards) followed before the first extension's voicemail. */
  divertHopLimit: z.number().int().min(CALL_FLOW_LIMITS.divertHopLimit.min).max(CALL_FLOW_LIMITS.divertHopLimit.max),
});
export type CallFlowSettings = z.infer<typeof CallFlowSettingsSchema>;

export const DEFAULT_CALL_FLOW_SETTINGS: CallFlowSettings = {
  defaultRingSeconds: DEFAULT_FLOW_RING_SECONDS,
  mobileAnswerConfirmation: true,
  divertHopLimit: DEFAULT_DIVERT_HOP_LIMIT_OF_FLOW,
};

/** The flow of one dialled number. `nodes` is keyed by node id; the call enters at `start`. */
export const CallFlowDefinitionSchema = z.strictObject({
  number: E164Schema,
  name: z.string().trim().min(1).max(120),
  start: CallFlowNodeIdSchema,
  nodes: z
    .record(CallFlowNodeIdSchema, CallFlowNodeSchema)
    .refine((nodes) => Object.keys(nodes).length <= CALL_FLOW_LIMITS.maxNodes, {
      message: `at most ${CALL_FLOW_LIMITS.maxNodes} nodes`,
    }),
  settings: CallFlowSettingsSchema,
});
export type CallFlowDefinition = z.infer<typeof CallFlowDefinitionSchema>;

/** As an operator sends it: settings may be left out (defaults above). */
export const CallFlowDefinitionInputSchema = CallFlowDefinitionSchema.extend({
  settings: CallFlowSettingsSchema.partial().optional(),
});
export type CallFlowDefinitionInput = z.infer<typeof CallFlowDefinitionInputSchema>;

/** The digits of an E.164 number, without `+`: a NATS subject token and a stream id part. */
export const numberDigitsOf = (e164: string): string => E164Schema.parse(e164).slice(1);

export const exampleCallFlow: CallFlowDefinition = {
  number: '+441234567000',
  name: 'Acme main line',
  start: 'hours',
  nodes: {
    hours: { type: 'schedule', scheduleId: 'office-hours', branches: { open: 'welcome', closed: 'closed-msg' } },
    welcome: {
      type: 'menu',
      prompt: { kind: 'tts', text: 'Press 1 for sales, 2 for support.', language: 'en-GB' },
      options: { '1': 'sales', '2': 'support' },
      timeoutSeconds: 5,
      invalidRetries: 2,
      default: 'sales',
    },
    sales: { type: 'ringAgent', agentId: '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a', onNoAnswer: 'sales-vm' },
    support: {
      type: 'ringGroup',
      agentIds: ['6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a', '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a'],
      strategy: 'simultaneous',
      memberRingSeconds: 25,
      onNoAnswer: 'callback',
    },
    callback: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'support-vm' },
    'sales-vm': { type: 'voicemail', mailbox: { kind: 'agent', agentId: '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a' } },
    'support-vm': { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'support' } },
    'closed-msg': {
      type: 'announcement',
      prompt: { kind: 'tts', text: 'We are closed. Please leave a message.', language: 'en-GB' },
      next: 'support-vm',
    },
  },
  settings: DEFAULT_CALL_FLOW_SETTINGS,
};
