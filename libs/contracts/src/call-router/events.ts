// Events of the call-router: call-flow versions (its write model, carrying the whole graph so replicas
// need nothing else) and the public ROUTING events of every call (issue 10), published on
// `routing.{tenant}.{number}.{type}` (routing-subjects.ts). All versioned; examples validate at import.
import { z } from 'zod';
import { AgentIdSchema } from '../agent-directory/agent-view';
import { BookingIdSchema, CallIdSchema, CallSlotIdSchema } from '../callback-slots/call-slot-definition';
import { DivertConditionSchema } from '../divert/rules';
import type { EventEnvelope } from '../envelope';
import { defineEvent, type DataOf } from '../event-definition';
import { E164Schema, ExtensionSchema } from '../phone';
import { CallFlowDefinitionSchema, exampleCallFlow } from './call-flow';
import { CallOutcomeSchema, NotRoutableReasonSchema } from './messages';
import { PlanMailboxSchema, PlanStepIdSchema, RingTargetSchema, RouteDecisionSchema } from './route-plan';

const service = 'call-router' as const;

// ------------------------------------------------------------------------------------------ call flows

export const CallFlowPublishedEvent = defineEvent({
  service,
  type: 'CallFlowPublished',
  version: 1,
  description:
    "A new version of a number's call flow was published (validated graph); carries the whole flow. New calls use it; calls in progress keep theirs.",
  schema: z.strictObject({
    number: E164Schema,
    version: z.number().int().positive(),
    flow: CallFlowDefinitionSchema,
  }),
  example: { number: exampleCallFlow.number, version: 3, flow: exampleCallFlow },
});

export const CallFlowRetiredEvent = defineEvent({
  service,
  type: 'CallFlowRetired',
  version: 1,
  description: 'The number no longer has a call flow: new calls are not routable; calls in progress finish with their version.',
  schema: z.strictObject({
    number: E164Schema,
    /** The last published version. */
    version: z.number().int().positive(),
    reason: z.string().trim().min(1).max(500).nullable(),
  }),
  example: { number: exampleCallFlow.number, version: 3, reason: 'number ported out' },
});

// ------------------------------------------------------------------------------------------ routing

/**
 * Every routing event names its call, the number dialled and the agents it concerns (`agentIds`), which
 * the publisher turns into the per-agent subjects and the `CC-Agent-Ids` header.
 */
const routingBase = {
  callId: CallIdSchema,
  number: E164Schema,
  /** The flow version the call runs on; null only for a call that was not routable. */
  flowVersion: z.number().int().positive().nullable(),
  agentIds: z.array(AgentIdSchema),
};

const exampleBase = {
  callId: 'a84b4c76e66710@pbx.acme.test',
  number: '+441234567000',
  flowVersion: 3,
  agentIds: [] as string[],
};
const ADA = '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a';

export const CallReceivedEvent = defineEvent({
  service,
  type: 'CallReceived',
  version: 1,
  description: 'A call reached the router. `cli` null: withheld. `notRoutable` is set when no flow could take it.',
  schema: z.strictObject({ ...routingBase, cli: E164Schema.nullable(), notRoutable: NotRoutableReasonSchema.nullable() }),
  example: { ...exampleBase, cli: '+447700900123', notRoutable: null },
});

/** What made the router decide: the initial route, or a call-progress kind. */
export const DecisionCauseSchema = z.enum([
  'route',
  'no-answer',
  'busy',
  'unreachable',
  'dtmf',
  'input-timeout',
  'callback-offer-ended',
]);

export const RouteDecidedEvent = defineEvent({
  service,
  type: 'RouteDecided',
  version: 1,
  description: 'The router planned the next steps of a call; carries the steps and the trace of why.',
  schema: z.strictObject({ ...routingBase, cause: DecisionCauseSchema, decision: RouteDecisionSchema }),
  example: {
    ...exampleBase,
    agentIds: [ADA],
    cause: 'route',
    decision: {
      currentStepId: 's1',
      steps: [
        {
          kind: 'ring',
          id: 's1',
          nodeId: 'sales',
          targets: [{ kind: 'extension', legId: 's1.1', extension: '2001', agentId: ADA }],
          ringSeconds: 30,
          on: { noAnswer: 's2', busy: 's2', unreachable: 's2' },
          via: { noAnswer: { kind: 'flow' }, busy: { kind: 'flow' }, unreachable: { kind: 'flow' } },
        },
        { kind: 'voicemail', id: 's2', nodeId: 'sales-vm', mailbox: { kind: 'extension', extension: '2001', agentId: ADA }, greeting: null },
      ],
      trace: [
        {
          code: 'agent.withinHours',
          message: 'Ada Lovelace (2001) is within working hours (mon 09:00-12:00, Europe/London)',
          nodeId: 'sales',
          facts: { agentId: ADA, extension: '2001', range: 'mon 09:00-12:00', zone: 'Europe/London' },
        },
      ],
    },
  },
});

const legFields = { ...routingBase, stepId: PlanStepIdSchema, leg: RingTargetSchema };
const exampleLeg = {
  ...exampleBase,
  agentIds: [ADA],
  stepId: 's1',
  leg: { kind: 'extension' as const, legId: 's1.1', extension: '2001', agentId: ADA },
};

export const LegRingingEvent = defineEvent({
  service,
  type: 'LegRinging',
  version: 1,
  description: 'A device started ringing for the call.',
  schema: z.strictObject(legFields),
  example: exampleLeg,
});

export const LegAnsweredEvent = defineEvent({
  service,
  type: 'LegAnswered',
  version: 1,
  description: 'A device answered (confirmed, where answer confirmation was asked); `ringSeconds` it rang before.',
  schema: z.strictObject({ ...legFields, ringSeconds: z.number().min(0) }),
  example: { ...exampleLeg, ringSeconds: 7.5 },
});

export const LegFailureReasonSchema = z.enum(['noAnswer', 'busy', 'unreachable']);

export const LegFailedEvent = defineEvent({
  service,
  type: 'LegFailed',
  version: 1,
  description: 'A ring step ended without answer: no answer in time, busy, or unreachable. `leg` null: the step as a whole.',
  schema: z.strictObject({
    ...routingBase,
    stepId: PlanStepIdSchema,
    leg: RingTargetSchema.nullable(),
    reason: LegFailureReasonSchema,
    ringSeconds: z.number().min(0),
  }),
  example: { ...exampleLeg, leg: exampleLeg.leg, reason: 'noAnswer', ringSeconds: 30 },
});

export const DivertedEvent = defineEvent({
  service,
  type: 'Diverted',
  version: 1,
  description: "An extension's divert rule (or after-hours policy) sent the call on; `hop` counts extension-to-extension hops.",
  schema: z.strictObject({
    ...routingBase,
    fromExtension: ExtensionSchema,
    condition: z.union([DivertConditionSchema, z.literal('afterHours')]),
    to: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('extension'), extension: ExtensionSchema }),
      z.strictObject({ kind: z.literal('voicemail'), extension: ExtensionSchema }),
      z.strictObject({ kind: z.literal('number'), e164: E164Schema }),
    ]),
    hop: z.number().int().min(0),
  }),
  example: { ...exampleBase, agentIds: [ADA], fromExtension: '2001', condition: 'noAnswer', to: { kind: 'extension', extension: '2002' }, hop: 1 },
});

export const CallbackOfferedEvent = defineEvent({
  service,
  type: 'CallbackOffered',
  version: 1,
  description: 'The caller was handed to the callback offer dialogue of a call slot.',
  schema: z.strictObject({ ...routingBase, callSlotId: CallSlotIdSchema }),
  example: { ...exampleBase, callSlotId: 'support-uk' },
});

export const RoutingCallbackBookedEvent = defineEvent({
  service,
  type: 'CallbackBooked',
  version: 1,
  description: "The caller booked a callback during the call (the router's view; callback-slots holds the booking).",
  schema: z.strictObject({ ...routingBase, callSlotId: CallSlotIdSchema, bookingId: BookingIdSchema }),
  example: { ...exampleBase, callSlotId: 'support-uk', bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10' },
});

export const VoicemailReachedEvent = defineEvent({
  service,
  type: 'VoicemailReached',
  version: 1,
  description: 'The call went to a voicemail box.',
  schema: z.strictObject({ ...routingBase, mailbox: PlanMailboxSchema }),
  example: { ...exampleBase, agentIds: [ADA], mailbox: { kind: 'extension', extension: '2001', agentId: ADA } },
});

export const CallEndedEvent = defineEvent({
  service,
  type: 'CallEnded',
  version: 1,
  description: 'The call is over: how (`outcome`), how long in total and talking, and who answered.',
  schema: z.strictObject({
    ...routingBase,
    outcome: CallOutcomeSchema,
    durationSeconds: z.number().min(0),
    talkSeconds: z.number().min(0).nullable(),
    answeredBy: AgentIdSchema.nullable(),
  }),
  example: { ...exampleBase, agentIds: [ADA], outcome: 'answered', durationSeconds: 187.2, talkSeconds: 171, answeredBy: ADA },
});

// ------------------------------------------------------------------------------------------ unions

export const CALL_FLOW_EVENTS = [CallFlowPublishedEvent, CallFlowRetiredEvent] as const;
export const ROUTING_EVENTS = [
  CallReceivedEvent,
  RouteDecidedEvent,
  LegRingingEvent,
  LegAnsweredEvent,
  LegFailedEvent,
  DivertedEvent,
  CallbackOfferedEvent,
  RoutingCallbackBookedEvent,
  VoicemailReachedEvent,
  CallEndedEvent,
] as const;
/** Every call-router event definition (AsyncAPI generation, consumers' schema lookup). */
export const CALL_ROUTER_EVENTS = [...CALL_FLOW_EVENTS, ...ROUTING_EVENTS] as const;

type Ev<D> = D extends { type: infer T } ? { type: T; data: DataOf<D> } : never;
export type CallFlowEvent = Ev<(typeof CALL_FLOW_EVENTS)[number]>;
export type RoutingEvent = Ev<(typeof ROUTING_EVENTS)[number]>;
export type RoutingEventType = RoutingEvent['type'];
export type CallRouterEvent = CallFlowEvent | RoutingEvent;
export type CallRouterEventType = CallRouterEvent['type'];
export type CallRouterEventEnvelope = {
  [K in CallRouterEvent as K['type']]: EventEnvelope<K['type'], K['data']>;
}[CallRouterEventType];

/**
 * Validates a received message as a call-router event. Throws on an unknown type or version or data
 * that breaks the schema, so a consumer can dead-letter it.
 */
export function parseCallRouterEvent(message: { type: string; version: number; data: unknown }): CallRouterEvent {
  const def = CALL_ROUTER_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not a call-router event type: "${message.type}"`);
  if (def.version !== message.version) {
    throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  }
  return { type: def.type, data: def.schema.parse(message.data) } as CallRouterEvent;
}
