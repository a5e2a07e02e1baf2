// Requests and replies of the call-router: `route` (HTTP `POST /route` and NATS `call-router.route`),
// call progress (`POST /calls/{callId}/events`, NATS `call-router.progress`) and call-flow publishing.
import { z } from 'zod';
import { CallIdSchema, CallSlotIdSchema, BookingIdSchema } from '../callback-slots/call-slot-definition';
import { OfferReplySchema } from '../callback-slots/messages';
import { E164Schema } from '../phone';
import { rpcSubject } from '../subjects';
import { TenantIdSchema } from '../tenant';
import { CallFlowDefinitionInputSchema, CallFlowDefinitionSchema } from './call-flow';
import { LegIdSchema, PlanStepIdSchema, RouteDecisionSchema, TraceEntrySchema } from './route-plan';

export const CallRouterSubjects = {
  /** Request-reply: plan a call (or simulate one with `dryRun`). */
  route: rpcSubject('call-router', 'route'),
  /** Request-reply: a call-progress event from the SIP edge / IVR; the reply is the next decision. */
  progress: rpcSubject('call-router', 'progress'),
  /** Request-reply: the callback offer of a call at an offerCallback step (started on first ask): `CallOfferRequest`. */
  offer: rpcSubject('call-router', 'offer'),
} as const;

/** Which call's callback offer (the IVR asks when the call reaches an offerCallback step). */
export const CallOfferRequestSchema = z.strictObject({ tenantId: TenantIdSchema, callId: CallIdSchema });
export type CallOfferRequest = z.infer<typeof CallOfferRequestSchema>;

const IsoInstantSchema = z.iso.datetime({ offset: true });

/**
 * Route a call. `cli` is the caller's number in E.164 as the SIP edge normalised it, or null when
 * withheld; anything else is refused (400, path `cli`) rather than guessed. `at` (default: now) and
 * `dryRun` simulate "what would happen to a call at 08:59 on Monday" without recording a call;
 * a real call needs the telephony side's `callId`.
 */
export const RouteRequestSchema = z
  .strictObject({
    tenantId: TenantIdSchema,
    callId: CallIdSchema.optional(),
    number: E164Schema,
    cli: E164Schema.nullable(),
    at: IsoInstantSchema.optional(),
    dryRun: z.boolean().optional(),
  })
  .refine((r) => r.dryRun === true || r.callId !== undefined, {
    path: ['callId'],
    message: 'callId is required unless dryRun is true',
  });
export type RouteRequest = z.infer<typeof RouteRequestSchema>;

/**
 * Why a number cannot be routed: no flow was ever published for it, or its flow was retired.
 * Not an error reply: a SIP edge plays "number not in service" on it.
 */
export const NOT_ROUTABLE_REASONS = ['unknownNumber', 'retired'] as const;
export const NotRoutableReasonSchema = z.enum(NOT_ROUTABLE_REASONS);
export type NotRoutableReason = z.infer<typeof NotRoutableReasonSchema>;

export const RoutePlanSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('routed'),
    callId: CallIdSchema.nullable(),
    tenantId: TenantIdSchema,
    number: E164Schema,
    flowVersion: z.number().int().positive(),
    dryRun: z.boolean(),
    /** The instant the plan was made for. */
    at: IsoInstantSchema,
    decision: RouteDecisionSchema,
  }),
  z.strictObject({
    outcome: z.literal('notRoutable'),
    callId: CallIdSchema.nullable(),
    tenantId: TenantIdSchema,
    number: E164Schema,
    reason: NotRoutableReasonSchema,
    dryRun: z.boolean(),
    at: IsoInstantSchema,
    trace: z.array(TraceEntrySchema),
  }),
]);
export type RoutePlan = z.infer<typeof RoutePlanSchema>;

/**
 * How a callback offer dialogue ended, as the IVR reports it (callback-slots' `OfferEnded`, reduced):
 * `booked` continues at the node's `onBooked` (or hangs up), anything else at `onDeclined`.
 */
export const OfferOutcomeSchema = z.enum(['booked', 'declined']);

/**
 * One thing that happened on a call, reported by the SIP edge or the IVR.
 * - `answered`: a leg of the current ring / forward step was answered (and confirmed, where asked);
 * - `no-answer` / `busy` / `unreachable`: the current ring or forward step failed as a whole (all its
 *   legs); `legId` names the leg whose final response decided it (Kamailio's winning reply), if any;
 * - `dtmf`: the caller pressed keys (menus use the first key; an offer passes them to callback-slots);
 * - `input-timeout`: a menu got no key within its timeout;
 * - `callback-offer-ended`: the offer dialogue of the current offerCallback step finished;
 * - `hangup`: the caller (or the far end, after answering) hung up.
 * `stepId`, when given, must be the call's current step: a late event for an earlier step is refused
 * (409) instead of moving the call on twice.
 */
export const CALL_PROGRESS_KINDS = [
  'answered',
  'no-answer',
  'busy',
  'unreachable',
  'dtmf',
  'input-timeout',
  'callback-offer-ended',
  'hangup',
] as const;

const progressBase = {
  tenantId: TenantIdSchema,
  callId: CallIdSchema,
  stepId: PlanStepIdSchema.optional(),
  at: IsoInstantSchema.optional(),
};

export const CallProgressSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...progressBase, kind: z.literal('answered'), legId: LegIdSchema.optional() }),
  z.strictObject({ ...progressBase, kind: z.literal('no-answer'), legId: LegIdSchema.optional() }),
  z.strictObject({ ...progressBase, kind: z.literal('busy'), legId: LegIdSchema.optional() }),
  z.strictObject({ ...progressBase, kind: z.literal('unreachable'), legId: LegIdSchema.optional() }),
  z.strictObject({ ...progressBase, kind: z.literal('dtmf'), digits: z.string().regex(/^[0-9*#]{1,32}$/, 'DTMF keys 0-9, * or #') }),
  z.strictObject({ ...progressBase, kind: z.literal('input-timeout') }),
  z.strictObject({
    ...progressBase,
    kind: z.literal('callback-offer-ended'),
    outcome: OfferOutcomeSchema,
    bookingId: BookingIdSchema.nullable(),
  }),
  z.strictObject({ ...progressBase, kind: z.literal('hangup') }),
]);
export type CallProgress = z.infer<typeof CallProgressSchema>;
export type CallProgressKind = CallProgress['kind'];

/** How a call ended (also `CallEnded.outcome`). */
export const CALL_OUTCOMES = [
  'answered',
  'forwarded',
  'voicemail',
  'callbackBooked',
  'abandoned',
  'rejected',
  'failed',
] as const;
export const CallOutcomeSchema = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

/**
 * The reply to a call-progress event:
 * - `continue`: a new decision (next step, with trace);
 * - `connected`: a leg was answered; the call stays until `hangup`;
 * - `passThrough`: DTMF of an offer dialogue, passed to callback-slots (`service`) by the router; `offer` is its answer;
 * - `ended`: the call is over.
 */
export const CallProgressReplySchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('continue'),
    callId: CallIdSchema,
    decision: RouteDecisionSchema,
    /** When a callback offer dialogue just ended (booked, declined, nothing offered): callback-slots' last answer. */
    offer: OfferReplySchema.optional(),
  }),
  z.strictObject({
    outcome: z.literal('connected'),
    callId: CallIdSchema,
    stepId: PlanStepIdSchema,
    legId: LegIdSchema.nullable(),
  }),
  z.strictObject({
    outcome: z.literal('passThrough'),
    callId: CallIdSchema,
    service: z.literal('callback-slots'),
    callSlotId: CallSlotIdSchema,
    digits: z.string(),
    /** What callback-slots answered to the keys (the router forwards them): what the IVR announces next. */
    offer: OfferReplySchema.optional(),
  }),
  z.strictObject({ outcome: z.literal('ended'), callId: CallIdSchema, callOutcome: CallOutcomeSchema, durationSeconds: z.number().min(0) }),
]);
export type CallProgressReply = z.infer<typeof CallProgressReplySchema>;

/**
 * The answer to `offer`: callback-slots' current prompt for the call, and, when nothing could be offered
 * after all (the last free place went meanwhile), the call's next decision.
 */
export const CallOfferResponseSchema = z.strictObject({ offer: OfferReplySchema, reply: CallProgressReplySchema.nullable() });
export type CallOfferResponse = z.infer<typeof CallOfferResponseSchema>;

/** `PUT /call-flows/{number}`: publish a new version of a number's flow (validated as a graph first). */
export const PublishCallFlowRequestSchema = z.strictObject({
  flow: CallFlowDefinitionInputSchema,
  /** Optimistic concurrency: the version the editor started from (0: the number has no flow yet). */
  expectedVersion: z.number().int().min(0).optional(),
});
export type PublishCallFlowRequest = z.infer<typeof PublishCallFlowRequestSchema>;

/** `DELETE /call-flows/{number}`: new calls to the number become "not routable"; calls in progress finish. */
export const RetireCallFlowRequestSchema = z.strictObject({
  number: E164Schema,
  reason: z.string().trim().min(1).max(500).optional(),
});
export type RetireCallFlowRequest = z.infer<typeof RetireCallFlowRequestSchema>;

export const CallFlowViewSchema = z.strictObject({
  number: E164Schema,
  version: z.number().int().positive(),
  status: z.enum(['published', 'retired']),
  flow: CallFlowDefinitionSchema,
});
export type CallFlowView = z.infer<typeof CallFlowViewSchema>;
