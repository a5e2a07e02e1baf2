// Contracts of scheduled callback dispatch: what happens to a booked callback once its time comes
// (due, dial plan, attempts, outcomes, retries, final result), the router's dial-plan query and the
// outcome reports of the dialer. One stream per callback: `callback-{tenant}-{bookingId}`.
import { z } from 'zod';
import { AgentIdSchema } from '../agent-directory/agent-view';
import type { ErrorKind } from '../domain-error';
import type { EventEnvelope } from '../envelope';
import { defineEvent, type DataOf } from '../event-definition';
import { E164Schema, ExtensionSchema } from '../phone';
import { rpcSubject } from '../subjects';
import { TenantIdSchema } from '../tenant';
import {
  BookingIdSchema,
  CallSlotIdSchema,
  CallerCliSchema,
  CampaignIdSchema,
  DialOrderSchema,
  RetryPolicySchema,
  UtcInstantSchema,
} from './call-slot-definition';

const SERVICE = 'callback-slots';

// ---------------------------------------------------------------- stream ids

export const CALLBACK_STREAM_PREFIX = 'callback';
export const CALLBACK_FIRING_STREAM_PREFIX = 'callbackfiring';

/** `callback-{tenant}-{bookingId}`: the dispatch of one booked callback (due, attempts, result). */
export const toCallbackStreamId = (tenantId: string, bookingId: string): string =>
  `${CALLBACK_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${BookingIdSchema.parse(bookingId)}`;

/** `callbackfiring-{tenant}-{callSlotId}`: when in its time slot a call slot's callbacks fire. */
export const toCallbackFiringStreamId = (tenantId: string, callSlotId: string): string =>
  `${CALLBACK_FIRING_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${CallSlotIdSchema.parse(callSlotId)}`;

// ---------------------------------------------------------------- shared shapes

/**
 * What the dialer reports about one attempt:
 * - `answered`: agent and customer were connected (final: the callback is done);
 * - `no-answer`, `busy`, `answering-machine`, `failed` (a technical failure): retried with back-off;
 * - `invalid-number`: the customer's number does not exist (final, never retried);
 * - `cancelled-by-caller`: the customer no longer wants the callback (final).
 */
export const CALLBACK_OUTCOMES = ['answered', 'no-answer', 'busy', 'invalid-number', 'answering-machine', 'cancelled-by-caller', 'failed'] as const;
export const CallbackOutcomeSchema = z.enum(CALLBACK_OUTCOMES);
export type CallbackOutcome = z.infer<typeof CallbackOutcomeSchema>;

/** Outcomes after which another attempt is made (while attempts and time are left). */
export const RETRYABLE_CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['no-answer', 'busy', 'answering-machine', 'failed'];

/**
 * Why a callback ended without the customer being connected:
 * - `max-attempts`: every attempt of the retry policy was used;
 * - `slot-ended`: the next attempt would start after the time slot's end (plus grace);
 * - `invalid-number`, `cancelled-by-caller`: the last attempt's outcome;
 * - `booking-cancelled`: the booking was cancelled after the callback became due.
 */
export const CallbackFailureReasonSchema = z.enum(['max-attempts', 'slot-ended', 'invalid-number', 'cancelled-by-caller', 'booking-cancelled']);
export type CallbackFailureReason = z.infer<typeof CallbackFailureReasonSchema>;

/** Whom the dialer rings for the agent side of a callback (chosen by the call-router). */
export const CallbackAgentTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('extension'), extension: ExtensionSchema, agentId: AgentIdSchema.nullable() }),
  z.strictObject({ kind: z.literal('number'), e164: E164Schema, agentId: AgentIdSchema.nullable() }),
]);
export type CallbackAgentTarget = z.infer<typeof CallbackAgentTargetSchema>;

/** One leg of a callback attempt, dialled in order: the agent side (all targets together), the customer. */
export const CallbackDialLegSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('agent'), targets: z.array(CallbackAgentTargetSchema).min(1), ringSeconds: z.number().int().min(1).max(600) }),
  z.strictObject({ kind: z.literal('customer'), number: E164Schema, ringSeconds: z.number().int().min(1).max(600) }),
]);
export type CallbackDialLeg = z.infer<typeof CallbackDialLegSchema>;

/** When in the occurrence a call slot's callbacks fire: all at its start, or spread over its first minutes. */
export const CallbackFiringSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('at-start') }),
  /** Spread evenly over the first `withinMinutes` of the occurrence (at most its length), so agents are not flooded. */
  z.strictObject({ mode: z.literal('spread'), withinMinutes: z.number().int().min(1).max(1440) }),
]);
export type CallbackFiring = z.infer<typeof CallbackFiringSchema>;
export const DEFAULT_CALLBACK_FIRING: CallbackFiring = { mode: 'at-start' };

const exampleBookingId = '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10';
const exampleAgentLeg: CallbackDialLeg = {
  kind: 'agent',
  targets: [{ kind: 'extension', extension: '2001', agentId: '1b4e28ba-2fa1-4d2b-9b7e-2a7c5f0a4c11' }],
  ringSeconds: 30,
};
const exampleCustomerLeg: CallbackDialLeg = { kind: 'customer', number: '+441234567890', ringSeconds: 45 };

// ---------------------------------------------------------------- events (callback stream)

export const CallbackDueEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackDue',
  version: 1,
  description:
    'A booked callback reached its due time and was still booked: it will be dialled now. Appended once per booking (the stream must not exist yet): a second worker or a stalled job loses this append and does nothing.',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    callSlotId: CallSlotIdSchema,
    startIso: UtcInstantSchema,
    endIso: UtcInstantSchema,
    /** When it was scheduled to fire (the occurrence start, or a spread point in it). */
    dueAt: UtcInstantSchema,
    /** When it fired (never before dueAt). */
    firedAt: UtcInstantSchema,
    /** No attempt starts after this: the occurrence end plus the configured grace. */
    deadline: UtcInstantSchema,
    callbackNumber: E164Schema,
    callerCli: CallerCliSchema,
    campaignId: CampaignIdSchema.nullable(),
    /** The call slot's settings when it fired; later attempts follow them too. */
    dialOrder: DialOrderSchema,
    retryPolicy: RetryPolicySchema,
    /** An attempt with no outcome reported this long after it started counts as `failed`. */
    attemptTimeoutSeconds: z.number().int().min(10).max(86_400),
  }),
  example: {
    bookingId: exampleBookingId,
    callSlotId: 'support-uk',
    startIso: '2026-11-23T09:00:00.000Z',
    endIso: '2026-11-23T09:30:00.000Z',
    dueAt: '2026-11-23T09:00:00.000Z',
    firedAt: '2026-11-23T09:00:00.004Z',
    deadline: '2026-11-23T09:30:00.000Z',
    callbackNumber: '+441234567890',
    callerCli: null,
    campaignId: null,
    dialOrder: 'agent-first',
    retryPolicy: { maxAttempts: 3, backoffSeconds: 300 },
    attemptTimeoutSeconds: 300,
  },
});

export const CallbackDialPlanUnavailableEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackDialPlanUnavailable',
  version: 1,
  description:
    'The call-router gave no dial plan for the next attempt (no answer, an error, or no agent available). Nothing was dialled; the attempt is tried again at retryAt (null: not any more, see the CallbackFailed that follows).',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    /** The attempt that could not start. */
    attempt: z.number().int().min(1),
    reason: z.string().min(1).max(500),
    /** Consecutive failures for this attempt, this one included. */
    failures: z.number().int().min(1),
    retryAt: UtcInstantSchema.nullable(),
  }),
  example: { bookingId: exampleBookingId, attempt: 1, reason: 'call-router did not answer within 3000 ms', failures: 1, retryAt: '2026-11-23T09:00:02.004Z' },
});

export const CallbackAttemptStartedEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackAttemptStarted',
  version: 1,
  description:
    'An attempt to call back was started: the dialer dials `legs` in order (agent first or customer first, per the call slot) and reports the outcome. At most one attempt of a callback is in progress at any time.',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    attempt: z.number().int().min(1),
    startedAt: UtcInstantSchema,
    /** Without an outcome by then the attempt is finished as `failed` and retried if allowed. */
    timeoutAt: UtcInstantSchema,
    dialOrder: DialOrderSchema,
    legs: z.array(CallbackDialLegSchema).length(2),
  }),
  example: {
    bookingId: exampleBookingId,
    attempt: 1,
    startedAt: '2026-11-23T09:00:00.011Z',
    timeoutAt: '2026-11-23T09:05:00.011Z',
    dialOrder: 'agent-first',
    legs: [exampleAgentLeg, exampleCustomerLeg],
  },
});

export const CallbackAttemptFinishedEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackAttemptFinished',
  version: 1,
  description:
    'An attempt ended with an outcome (reported by the dialer, or `failed` on timeout). `nextAttemptAt` is when the next attempt starts; null when this was the last one (a CallbackCompleted or CallbackFailed follows).',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    attempt: z.number().int().min(1),
    outcome: CallbackOutcomeSchema,
    detail: z.string().max(500).nullable(),
    /** `dialer`: reported over HTTP/NATS; `timeout`: no report before the attempt's timeoutAt. */
    reportedBy: z.enum(['dialer', 'timeout']),
    finishedAt: UtcInstantSchema,
    nextAttemptAt: UtcInstantSchema.nullable(),
  }),
  example: {
    bookingId: exampleBookingId,
    attempt: 1,
    outcome: 'no-answer',
    detail: null,
    reportedBy: 'dialer',
    finishedAt: '2026-11-23T09:01:10.000Z',
    nextAttemptAt: '2026-11-23T09:06:10.000Z',
  },
});

export const CallbackCompletedEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackCompleted',
  version: 1,
  description: 'The customer was called back and connected to an agent (final).',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    callSlotId: CallSlotIdSchema,
    campaignId: CampaignIdSchema.nullable(),
    attempts: z.number().int().min(1),
    completedAt: UtcInstantSchema,
  }),
  example: { bookingId: exampleBookingId, callSlotId: 'support-uk', campaignId: null, attempts: 2, completedAt: '2026-11-23T09:07:02.000Z' },
});

export const CallbackFailedEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackFailed',
  version: 1,
  description: 'The callback ended without connecting the customer (final); `reason` says why.',
  schema: z.strictObject({
    bookingId: BookingIdSchema,
    callSlotId: CallSlotIdSchema,
    campaignId: CampaignIdSchema.nullable(),
    reason: CallbackFailureReasonSchema,
    /** Attempts made (0 when it never got a dial plan, or was cancelled before the first). */
    attempts: z.number().int().min(0),
    lastOutcome: CallbackOutcomeSchema.nullable(),
    failedAt: UtcInstantSchema,
  }),
  example: {
    bookingId: exampleBookingId,
    callSlotId: 'support-uk',
    campaignId: null,
    reason: 'max-attempts',
    attempts: 3,
    lastOutcome: 'no-answer',
    failedAt: '2026-11-23T09:21:40.000Z',
  },
});

// ---------------------------------------------------------------- events (firing settings stream)

export const CallbackFiringSetEvent = defineEvent({
  service: SERVICE,
  type: 'CallbackFiringSet',
  version: 1,
  description:
    "When in its occurrences a call slot's callbacks fire from now on (at the start, or spread). Callbacks booked before keep the time they were given.",
  schema: z.strictObject({ callSlotId: CallSlotIdSchema, firing: CallbackFiringSchema }),
  example: { callSlotId: 'support-uk', firing: { mode: 'spread', withinMinutes: 20 } },
});

/** Every callback-dispatch event definition (AsyncAPI, consumers' schema lookup). */
export const CALLBACK_DISPATCH_EVENTS = [
  CallbackDueEvent,
  CallbackDialPlanUnavailableEvent,
  CallbackAttemptStartedEvent,
  CallbackAttemptFinishedEvent,
  CallbackCompletedEvent,
  CallbackFailedEvent,
  CallbackFiringSetEvent,
] as const;

type Ev<D> = D extends { type: infer T } ? { type: T; data: DataOf<D> } : never;

/** Events of a `callback-…` stream. */
export type CallbackEvent =
  | Ev<typeof CallbackDueEvent>
  | Ev<typeof CallbackDialPlanUnavailableEvent>
  | Ev<typeof CallbackAttemptStartedEvent>
  | Ev<typeof CallbackAttemptFinishedEvent>
  | Ev<typeof CallbackCompletedEvent>
  | Ev<typeof CallbackFailedEvent>;

/** Events of a `callbackfiring-…` stream. */
export type CallbackFiringEvent = Ev<typeof CallbackFiringSetEvent>;

export type CallbackDispatchEvent = CallbackEvent | CallbackFiringEvent;
export type CallbackDispatchEventEnvelope = { [K in CallbackDispatchEvent as K['type']]: EventEnvelope<K['type'], K['data']> }[CallbackDispatchEvent['type']];

export type CallbackDueData = DataOf<typeof CallbackDueEvent>;
export type CallbackAttemptStartedData = DataOf<typeof CallbackAttemptStartedEvent>;
export type CallbackAttemptFinishedData = DataOf<typeof CallbackAttemptFinishedEvent>;

/** Validates a stored or received callback-dispatch event; throws on an unknown type, version or bad data. */
export function parseCallbackDispatchEvent(message: { type: string; version: number; data: unknown }): CallbackDispatchEvent {
  const def = CALLBACK_DISPATCH_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not a callback-dispatch event type: "${message.type}"`);
  if (def.version !== message.version) throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  return { type: def.type, data: def.schema.parse(message.data) } as CallbackDispatchEvent;
}

// Compile-time proof that the definitions and the unions name the same types.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _dispatchTypesMatch: SameSet<CallbackDispatchEvent['type'], (typeof CALLBACK_DISPATCH_EVENTS)[number]['type']> = true;
void _dispatchTypesMatch;

// ---------------------------------------------------------------- error codes

export const CALLBACK_DISPATCH_ERRORS = {
  /** No callback has become due for this booking (yet): nothing to report an outcome for. */
  CALLBACK_NOT_FOUND: { code: 'CALLBACK_SLOTS.CALLBACK_NOT_FOUND', kind: 'not_found' },
  /** An outcome for an attempt that is not the one in progress (or a different outcome for a finished one). details `{ status, attempt }`. */
  ATTEMPT_NOT_IN_PROGRESS: { code: 'CALLBACK_SLOTS.ATTEMPT_NOT_IN_PROGRESS', kind: 'conflict' },
} as const satisfies Record<string, { code: `CALLBACK_SLOTS.${string}`; kind: ErrorKind }>;

// ---------------------------------------------------------------- messages

/** `POST /v1/callbacks/{bookingId}/outcomes` and NATS `callback-slots.callback-outcome`: how an attempt ended. */
export const ReportCallbackOutcomeRequestSchema = z.strictObject({
  bookingId: BookingIdSchema,
  /** The attempt number from CallbackAttemptStarted. */
  attempt: z.number().int().min(1),
  outcome: CallbackOutcomeSchema,
  detail: z.string().trim().min(1).max(500).optional(),
});
export type ReportCallbackOutcomeRequest = z.infer<typeof ReportCallbackOutcomeRequestSchema>;

export const CallbackStatusSchema = z.enum(['scheduled', 'awaiting-attempt', 'dialling', 'completed', 'failed', 'cancelled']);
export type CallbackStatus = z.infer<typeof CallbackStatusSchema>;

export const CallbackAttemptViewSchema = z.strictObject({
  attempt: z.number().int().min(1),
  startedAt: UtcInstantSchema,
  legs: z.array(CallbackDialLegSchema),
  outcome: CallbackOutcomeSchema.nullable(),
  detail: z.string().nullable(),
  finishedAt: UtcInstantSchema.nullable(),
});

/** `GET /v1/callbacks/{bookingId}`: where a booked callback stands (from its stream; `scheduled` before it is due). */
export const CallbackViewSchema = z.strictObject({
  bookingId: BookingIdSchema,
  status: CallbackStatusSchema,
  /** When it fires (or fired). Null for a booking cancelled before it was scheduled. */
  dueAt: UtcInstantSchema.nullable(),
  firedAt: UtcInstantSchema.nullable(),
  nextAttemptAt: UtcInstantSchema.nullable(),
  attempts: z.array(CallbackAttemptViewSchema),
  failureReason: CallbackFailureReasonSchema.nullable(),
  /** Revision of the callback stream (-1: not due yet). */
  revision: z.number().int().min(-1),
});
export type CallbackView = z.infer<typeof CallbackViewSchema>;

/** `PUT /v1/call-slots/{callSlotId}/callback-firing` */
export const SetCallbackFiringRequestSchema = z.strictObject({ callSlotId: CallSlotIdSchema, firing: CallbackFiringSchema });
export type SetCallbackFiringRequest = z.infer<typeof SetCallbackFiringRequestSchema>;
export const CallbackFiringViewSchema = z.strictObject({ callSlotId: CallSlotIdSchema, firing: CallbackFiringSchema, revision: z.number().int().min(-1) });
export type CallbackFiringView = z.infer<typeof CallbackFiringViewSchema>;

/**
 * The question callback-slots asks the call-router when a callback attempt is to start: who takes
 * this callback (the agent side). The customer's number and the dial order come from callback-slots;
 * the plan is dialled in `dialOrder`.
 */
export const CallbackDialPlanRequestSchema = z.strictObject({
  tenantId: TenantIdSchema,
  bookingId: BookingIdSchema,
  callSlotId: CallSlotIdSchema,
  campaignId: CampaignIdSchema.nullable(),
  attempt: z.number().int().min(1),
  callbackNumber: E164Schema,
  callerCli: CallerCliSchema,
  dialOrder: DialOrderSchema,
  at: UtcInstantSchema,
});
export type CallbackDialPlanRequest = z.infer<typeof CallbackDialPlanRequestSchema>;

export const CallbackDialPlanReplySchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('planned'),
    /** The agent side: rung together for `ringSeconds`. */
    agent: z.strictObject({ targets: z.array(CallbackAgentTargetSchema).min(1), ringSeconds: z.number().int().min(1).max(600) }),
    /** How long the customer's phone rings. */
    customerRingSeconds: z.number().int().min(1).max(600),
  }),
  /** Nobody can take a callback of this call slot now (all busy, outside hours): tried again later. */
  z.strictObject({ outcome: z.literal('no-agent'), reason: z.string().min(1).max(500) }),
]);
export type CallbackDialPlanReply = z.infer<typeof CallbackDialPlanReplySchema>;

/** A NATS request to callback-slots: the payload plus who asks for which tenant (HTTP takes both from the JWT). */
const rpcRequestOf = <T extends z.ZodType>(payload: T) => z.strictObject({ tenantId: TenantIdSchema, actor: z.string().min(1), payload });

export const CallbackDispatchSubjects = {
  /** Request-reply to the call-router (queue group call-router): `CallbackDialPlanRequest` → `CallbackDialPlanReply`. */
  dialPlan: rpcSubject('call-router', 'callback-plan'),
  /** Request-reply to callback-slots: the dialer reports an attempt's outcome; the reply is the CallbackView. */
  reportOutcome: rpcSubject('callback-slots', 'callback-outcome'),
} as const;

export const CallbackDispatchRpc = {
  reportOutcome: {
    subject: CallbackDispatchSubjects.reportOutcome,
    request: rpcRequestOf(ReportCallbackOutcomeRequestSchema),
    response: CallbackViewSchema,
    description: 'The dialer reports how a callback attempt ended; retries and the final result follow from it.',
    example: {
      request: { tenantId: 'acme', actor: 'service:dialer', payload: { bookingId: exampleBookingId, attempt: 1, outcome: 'no-answer' as const } },
    },
  },
  dialPlan: {
    subject: CallbackDispatchSubjects.dialPlan,
    request: CallbackDialPlanRequestSchema,
    response: CallbackDialPlanReplySchema,
    description: 'callback-slots asks the call-router who takes a callback attempt (the agent side).',
    example: {
      request: {
        tenantId: 'acme',
        bookingId: exampleBookingId,
        callSlotId: 'support-uk',
        campaignId: null,
        attempt: 1,
        callbackNumber: '+441234567890',
        callerCli: null,
        dialOrder: 'agent-first' as const,
        at: '2026-11-23T09:00:00.004Z',
      },
      response: {
        outcome: 'planned' as const,
        agent: { targets: [{ kind: 'extension' as const, extension: '2001', agentId: null }], ringSeconds: 30 },
        customerRingSeconds: 45,
      },
    },
  },
} as const;

// Contracts must not lie: the examples parse (checked at import time, like defineEvent).
for (const [name, def] of Object.entries(CallbackDispatchRpc)) {
  if (!def.request.safeParse(def.example.request).success) throw new Error(`example request of ${name} does not match its schema`);
  if ('response' in def.example && !def.response.safeParse(def.example.response).success) {
    throw new Error(`example response of ${name} does not match its schema`);
  }
}
