// What the route planner may read about one tenant: the replicas' current state, looked up by key in
// O(1). The planner depends on this interface only, so tests hand it plain maps and the replicas can
// change their storage without touching routing rules.
import type { AgentView, CallFlowDefinition, CallSlotDefinition, DeviceState, DivertRules, ScheduleDefinitionData } from '@cc/contracts';

/** The flow a new call to a number gets, or why there is none. */
export type CallFlowLookup =
  | { status: 'published'; version: number; flow: CallFlowDefinition }
  | { status: 'retired'; version: number };

/**
 * A call slot as the router needs it to answer "offer callbacks on this call?": its time slots and
 * settings, the closed local dates, and per occurrence (UTC start ISO) the places taken and any
 * capacity set for that occurrence alone.
 */
export type CallSlotAvailabilityView = {
  readonly status: 'active' | 'deleted';
  readonly definition: CallSlotDefinition;
  readonly closedDates: ReadonlySet<string>;
  bookedAt(startIso: string): number;
  capacityOverrideAt(startIso: string): number | null;
};

export interface TenantRoutingView {
  readonly tenantId: string;
  /** The latest flow of a dialled number (E.164); undefined when none was ever published. */
  callFlow(number: string): CallFlowLookup | undefined;
  /** A specific version (a call in progress keeps the version it started with). */
  callFlowVersion(number: string, version: number): CallFlowDefinition | undefined;
  /** Any status (active, disabled, removed); undefined when never seen. */
  agent(agentId: string): AgentView | undefined;
  /** The active or disabled agent holding an extension now; undefined when nobody does. */
  agentByExtension(extension: string): AgentView | undefined;
  /** Undefined when the SIP edge never reported the extension. */
  device(extension: string): DeviceState | undefined;
  /** Undefined when the extension's diverts were never configured (all off). */
  divertRules(extension: string): DivertRules | undefined;
  schedule(scheduleId: string): ScheduleDefinitionData | undefined;
  callSlot(callSlotId: string): CallSlotAvailabilityView | undefined;
}

/** Where the planner gets a tenant's view (the replicas, or a test double). */
export interface RoutingReplicaReader {
  forTenant(tenantId: string): TenantRoutingView;
}
