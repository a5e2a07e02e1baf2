// HTTP contracts of the call log and agent performance (issue 10): queries with their bad-input rules
// (ranges, cursors), the entries and reports returned, and the error codes of visibility (seed 002, ADR 0003).
import { z } from 'zod';
import { AgentIdSchema } from '../agent-directory/agent-view';
import type { ErrorKind } from '../domain-error';
import { CallIdSchema } from '../callback-slots/call-slot-definition';
import { E164Schema } from '../phone';
import type { EventDefinition } from '../event-definition';
import {
  CallEndedEvent,
  CallReceivedEvent,
  CallbackOfferedEvent,
  DivertedEvent,
  LegAnsweredEvent,
  LegFailedEvent,
  LegRingingEvent,
  RouteDecidedEvent,
  RoutingCallbackBookedEvent,
  VoicemailReachedEvent,
  type RoutingEventType,
} from './events';
import { CALL_OUTCOMES, CallOutcomeSchema, NotRoutableReasonSchema } from './messages';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Longest period one call-log or performance query may span. */
export const CALL_LOG_MAX_RANGE_DAYS = 366;
export const CALL_LOG_PAGE_SIZE = { default: 50, max: 200 } as const;

const IsoInstantSchema = z.iso.datetime({ offset: true });

/**
 * A dialled number in a query string: `+441234567000`, or its digits (a `+` sent unencoded in a query
 * string arrives as a space, so digits alone are accepted too).
 */
const QueryNumberSchema = z
  .string()
  .trim()
  .transform((value) => (value.startsWith('+') ? value : `+${value}`))
  .pipe(E164Schema);

const limitSchema = z.coerce.number().int().min(1).max(CALL_LOG_PAGE_SIZE.max).default(CALL_LOG_PAGE_SIZE.default);

/** Checks `from < to` and the span, reporting on `to` (the field a client changes to fix it). */
function checkRange(range: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (range.from === undefined || range.to === undefined) return;
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
  else if (to - from > CALL_LOG_MAX_RANGE_DAYS * DAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a range spans at most ${CALL_LOG_MAX_RANGE_DAYS} days` });
  }
}

/** Outcome filter: how the call ended, or `inProgress` for calls that have not ended. */
export const CALL_LOG_OUTCOME_FILTERS = [...CALL_OUTCOMES, 'inProgress'] as const;
export const CallLogOutcomeFilterSchema = z.enum(CALL_LOG_OUTCOME_FILTERS);
export type CallLogOutcomeFilter = z.infer<typeof CallLogOutcomeFilterSchema>;

/**
 * `GET /v1/call-logs`: calls that started in [from, to), newest first. `agentId` narrows to calls
 * involving that agent (rung, answered, diverted from, voicemail) and must be within the caller's
 * visibility (403 otherwise). `cursor` is the `nextCursor` of the previous page.
 */
export const CallLogQuerySchema = z
  .strictObject({
    agentId: AgentIdSchema.optional(),
    number: QueryNumberSchema.optional(),
    from: IsoInstantSchema.optional(),
    to: IsoInstantSchema.optional(),
    outcome: CallLogOutcomeFilterSchema.optional(),
    limit: limitSchema,
    cursor: z.string().min(1).max(512).optional(),
  })
  .superRefine(checkRange);
export type CallLogQuery = z.infer<typeof CallLogQuerySchema>;

export const CallLogEntrySchema = z.strictObject({
  callId: CallIdSchema,
  number: E164Schema,
  /** Caller's number; null when withheld. */
  cli: E164Schema.nullable(),
  flowVersion: z.number().int().positive().nullable(),
  status: z.enum(['inProgress', 'ended']),
  /** Null while in progress. */
  outcome: CallOutcomeSchema.nullable(),
  notRoutable: NotRoutableReasonSchema.nullable(),
  startedAt: IsoInstantSchema,
  endedAt: IsoInstantSchema.nullable(),
  durationSeconds: z.number().min(0).nullable(),
  talkSeconds: z.number().min(0).nullable(),
  answeredBy: AgentIdSchema.nullable(),
  /** Every agent the call concerned, in the order they first appeared. */
  agentIds: z.array(AgentIdSchema),
  /** Routing events recorded for the call. */
  stepCount: z.number().int().min(1),
});
export type CallLogEntry = z.infer<typeof CallLogEntrySchema>;

export const CallLogPageSchema = z.strictObject({
  items: z.array(CallLogEntrySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type CallLogPage = z.infer<typeof CallLogPageSchema>;

const stepOf = <const T extends string, S extends z.ZodType>(definition: EventDefinition<T, S>) =>
  z.strictObject({
    eventId: z.uuid(),
    /** Position in the call's stream: 0 is CallReceived. */
    revision: z.number().int().min(0),
    occurredAt: IsoInstantSchema,
    type: z.literal(definition.type),
    version: z.literal(definition.version),
    data: definition.schema,
  });

/** One step of a call: a routing event with its data, as published on `routing.…`. */
export const CallLogStepSchema = z.discriminatedUnion('type', [
  stepOf(CallReceivedEvent),
  stepOf(RouteDecidedEvent),
  stepOf(LegRingingEvent),
  stepOf(LegAnsweredEvent),
  stepOf(LegFailedEvent),
  stepOf(DivertedEvent),
  stepOf(CallbackOfferedEvent),
  stepOf(RoutingCallbackBookedEvent),
  stepOf(VoicemailReachedEvent),
  stepOf(CallEndedEvent),
]);
export type CallLogStep = z.infer<typeof CallLogStepSchema>;

// Compile-time proof that a step exists for every routing event type (a new event must be added above).
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _stepTypesMatch: SameSet<CallLogStep['type'], RoutingEventType> = true;
void _stepTypesMatch;

/** `GET /v1/call-logs/{callId}`: the call and its steps in order. */
export const CallLogDetailSchema = z.strictObject({ call: CallLogEntrySchema, steps: z.array(CallLogStepSchema) });
export type CallLogDetail = z.infer<typeof CallLogDetailSchema>;

/**
 * `GET /v1/performance?from&to`: activity per agent over [from, to) (calls by their start, callbacks by
 * their attempt start). `agentId`: that agent; `managerId`: that manager's reportees (transitively, ADR
 * 0003); neither: an AGENT gets themself, a MANAGER their reportees, an ADMIN every agent with activity.
 * Both must be within the caller's visibility (403).
 */
export const PerformanceQuerySchema = z
  .strictObject({
    from: IsoInstantSchema,
    to: IsoInstantSchema,
    agentId: AgentIdSchema.optional(),
    managerId: AgentIdSchema.optional(),
  })
  .superRefine(checkRange)
  .superRefine((query, ctx) => {
    if (query.agentId !== undefined && query.managerId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['managerId'], message: 'give `agentId` or `managerId`, not both' });
    }
  });
export type PerformanceQuery = z.infer<typeof PerformanceQuerySchema>;

const activityFields = {
  /** Calls that rang the agent. */
  callsOffered: z.number().int().min(0),
  /** Calls the agent answered. */
  callsAnswered: z.number().int().min(0),
  /**
   * Calls that rang the agent and ended their ring without anyone answering it, and that the agent did
   * not answer later (a colleague picking up the same group ring is not a miss).
   */
  callsMissed: z.number().int().min(0),
  /** Mean seconds the agent's phone rang before they answered; null without answered calls. */
  averageRingSeconds: z.number().min(0).nullable(),
  /** Seconds talking on answered calls. */
  talkSeconds: z.number().min(0),
  averageTalkSeconds: z.number().min(0).nullable(),
  /** Scheduled callback attempts whose agent side rang the agent. */
  callbacksOffered: z.number().int().min(0),
  /** Of those, attempts that connected the customer (a group of agents rung together each get it). */
  callbacksHandled: z.number().int().min(0),
};

export const AgentPerformanceSchema = z.strictObject({ agentId: AgentIdSchema, ...activityFields });
export type AgentPerformance = z.infer<typeof AgentPerformanceSchema>;

export const PerformanceReportSchema = z.strictObject({
  from: IsoInstantSchema,
  to: IsoInstantSchema,
  /** Whose activity this is: one agent, a manager's reportees, or every visible agent. */
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('agent'), agentId: AgentIdSchema }),
    z.strictObject({ kind: z.literal('team'), managerId: AgentIdSchema }),
    z.strictObject({ kind: z.literal('tenant') }),
  ]),
  /** One row per agent in scope (zeros included), ordered by agent id. */
  agents: z.array(AgentPerformanceSchema),
  /** The rows added up (averages weighted by their counts). */
  totals: z.strictObject(activityFields),
});
export type PerformanceReport = z.infer<typeof PerformanceReportSchema>;
export type ActivityTotals = PerformanceReport['totals'];

export const CALL_LOG_ERRORS = {
  /** An agent (or a call, or a manager's team) outside what the caller may see. details `{ agentId }` or `{ callId }`. */
  OUTSIDE_VISIBILITY: { code: 'CALL_LOG.OUTSIDE_VISIBILITY', kind: 'forbidden' },
  /** A MANAGER or AGENT token without an `agentId`: there is no "own" to scope by. */
  NO_AGENT_LINK: { code: 'CALL_LOG.NO_AGENT_LINK', kind: 'forbidden' },
  /** No call with this id in the tenant's call log. */
  CALL_NOT_FOUND: { code: 'CALL_LOG.CALL_NOT_FOUND', kind: 'not_found' },
  /** A cursor that this service did not issue (or for another query). */
  INVALID_CURSOR: { code: 'CALL_LOG.INVALID_CURSOR', kind: 'validation' },
} as const satisfies Record<string, { code: `CALL_LOG.${string}`; kind: ErrorKind }>;
