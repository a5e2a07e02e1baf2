// The event sources the router's in-memory replicas are built from, one per JetStream stream: which event
// types matter for routing (the rest is skipped by the subject's last token, without parsing), how each is
// validated and applied, and how the persisted snapshot compacts them (one row per stream and key).
import {
  AGENT_EVENTS,
  CALL_FLOW_EVENTS,
  DEVICE_EVENTS,
  DIVERT_EVENTS,
  SCHEDULE_EVENTS,
  parseAgentDirectoryEvent,
  parseCallRouterEvent,
  parseCallbackSlotsEvent,
  parseDivertEvent,
  parseScheduleEvent,
  type AgentDirectoryEvent,
  type CallFlowEvent,
  type CallbackSlotsEvent,
  type DivertEvent,
  type ScheduleEvent,
  type ServiceName,
} from '@cc/contracts';
import type { ApplyOutcome, ReplicaPosition, RoutingReplicas } from '../domain/replicas';

/** The type and data of an event as published (validated by `parse`). */
export type RawEvent = { readonly type: string; readonly version: number; readonly data: unknown };

export interface ReplicaSource<E extends { type: string } = { type: string }> {
  /** The service whose JetStream stream (`EVT_<SERVICE>`, subjects `evt.<service>.>`) feeds it. */
  readonly service: ServiceName;
  /** Event types routing needs; others are not parsed, not applied and not persisted. */
  wants(type: string): boolean;
  /** Validates type, version and data against the contract; throws on anything else. */
  parse(event: RawEvent): E;
  apply(replicas: RoutingReplicas, at: ReplicaPosition, event: E): ApplyOutcome;
  /**
   * Within its stream, which earlier event a persisted event replaces (the highest revision per key is
   * kept). Full-state events share one key per stream; additive facts (a booking, a closed date) have their own.
   */
  compactionKey(event: E): string;
  /** When the persisted row stops mattering (an occurrence's bookings once it has passed); null: never. */
  expiresAt(event: E): Date | null;
}

const typesOf = (definitions: readonly { type: string }[]): ReadonlySet<string> => new Set(definitions.map((d) => d.type));

const AGENT_DIRECTORY_TYPES = typesOf([...AGENT_EVENTS, ...DEVICE_EVENTS]);
const DIVERT_TYPES = typesOf(DIVERT_EVENTS);
const SCHEDULE_TYPES = typesOf(SCHEDULE_EVENTS);
const CALL_FLOW_TYPES = typesOf(CALL_FLOW_EVENTS);
/** Call-slot definitions, closed dates, and per occurrence its bookings and capacity: what "offer a callback?" reads. */
const CALLBACK_SLOT_TYPES: ReadonlySet<string> = new Set([
  'CallSlotCreated',
  'CallSlotUpdated',
  'CallSlotDeleted',
  'OccurrenceClosed',
  'OccurrenceReopened',
  'CallbackBooked',
  'CallbackCancelled',
  'OccurrenceCapacityChanged',
]);

/** A passed occurrence's bookings are kept one more day (calls in progress still read them), then dropped. */
export const OCCURRENCE_RETENTION_MS = 24 * 60 * 60 * 1000;

export const agentDirectorySource: ReplicaSource<AgentDirectoryEvent> = {
  service: 'agent-directory',
  wants: (type) => AGENT_DIRECTORY_TYPES.has(type),
  parse: parseAgentDirectoryEvent,
  apply: (replicas, at, event) => replicas.applyAgentDirectoryEvent(at, event),
  // An agent's stream and a device's stream each carry the whole state in every event.
  compactionKey: () => 'state',
  expiresAt: () => null,
};

export const divertSource: ReplicaSource<DivertEvent> = {
  service: 'divert',
  wants: (type) => DIVERT_TYPES.has(type),
  parse: parseDivertEvent,
  apply: (replicas, at, event) => replicas.applyDivertEvent(at, event),
  compactionKey: () => 'state',
  expiresAt: () => null,
};

export const scheduleSource: ReplicaSource<ScheduleEvent> = {
  service: 'schedule',
  wants: (type) => SCHEDULE_TYPES.has(type),
  parse: parseScheduleEvent,
  apply: (replicas, at, event) => replicas.applyScheduleEvent(at, event),
  compactionKey: () => 'state',
  expiresAt: () => null,
};

export const callbackSlotsSource: ReplicaSource<CallbackSlotsEvent> = {
  service: 'callback-slots',
  wants: (type) => CALLBACK_SLOT_TYPES.has(type),
  parse: parseCallbackSlotsEvent,
  apply: (replicas, at, event) => replicas.applyCallbackSlotsEvent(at, event),
  compactionKey: (event) => {
    switch (event.type) {
      case 'CallSlotCreated':
      case 'CallSlotUpdated':
        return 'definition';
      case 'CallSlotDeleted':
        return 'deleted';
      case 'OccurrenceClosed':
      case 'OccurrenceReopened':
        return `date:${event.data.date}`;
      case 'CallbackBooked':
      case 'CallbackCancelled':
        return `booking:${event.data.bookingId}`;
      case 'OccurrenceCapacityChanged':
        return 'capacity';
      default:
        // wants() lets no other type through; a new one must be given a key before it is persisted.
        throw new Error(`callback-slots ${event.type} has no snapshot key`);
    }
  },
  expiresAt: (event) => {
    switch (event.type) {
      case 'CallbackBooked':
      case 'CallbackCancelled':
      case 'OccurrenceCapacityChanged':
        return new Date(Date.parse(event.data.startIso) + OCCURRENCE_RETENTION_MS);
      default:
        return null;
    }
  },
};

/** The router's own call flows (EVT_CALL_ROUTER carries only those; calls' routing events go to ROUTING). */
export const callFlowSource: ReplicaSource<CallFlowEvent> = {
  service: 'call-router',
  wants: (type) => CALL_FLOW_TYPES.has(type),
  parse: (event) => parseCallRouterEvent(event) as CallFlowEvent,
  apply: (replicas, at, event) => replicas.applyCallFlowEvent(at, event),
  // Every published version stays (calls in progress keep theirs); the retirement is one fact.
  compactionKey: (event) => (event.type === 'CallFlowPublished' ? `version:${event.data.version}` : 'retired'),
  expiresAt: () => null,
};

/** The other services' streams, persisted by the snapshot writers and replayed from their ack floor. */
export const EXTERNAL_REPLICA_SOURCES: readonly ReplicaSource[] = [
  agentDirectorySource,
  scheduleSource,
  divertSource,
  callbackSlotsSource,
] as ReplicaSource[];

/** Every source, the router's own flows last. */
export const ALL_REPLICA_SOURCES: readonly ReplicaSource[] = [...EXTERNAL_REPLICA_SOURCES, callFlowSource as ReplicaSource];
