// The router's in-memory replicas of agents, devices, diverts, schedules, call slots and its own call
// flows, built only from events (event-carried state), indexed tenant -> key so a routing decision is a
// handful of map lookups. Each apply is idempotent: an event at or below the revision already held for
// its stream is ignored, so redelivery and replay after a restart are harmless. No I/O, no clock.
import type {
  AgentDirectoryEvent,
  AgentView,
  CallFlowDefinition,
  CallFlowEvent,
  CallSlotDefinition,
  CallbackSlotsEvent,
  DeviceState,
  DivertEvent,
  DivertRules,
  ScheduleDefinitionData,
  ScheduleEvent,
} from '@cc/contracts';
import type { CallFlowLookup, CallSlotAvailabilityView, RoutingReplicaReader, TenantRoutingView } from './tenant-routing.view';

/** Where an event sits: its tenant and its revision in its own stream (from the published envelope). */
export type ReplicaPosition = { readonly tenantId: string; readonly revision: number };
/** `applied`: state changed; `stale`: this revision (or a later one) was applied already; `ignored`: not routing state. */
export type ApplyOutcome = 'applied' | 'stale' | 'ignored';

/** Flow versions kept per number for calls in progress (a call lasts minutes; ten publishes in that time is plenty). */
export const RETAINED_FLOW_VERSIONS = 10;

type Versioned<T> = { revision: number; value: T | null };

type FlowRecord = { revision: number; latest: number; retired: boolean; versions: Map<number, CallFlowDefinition> };

type OccurrenceRecord = { revision: number; bookings: Set<string>; capacityOverride: number | null };

/** One call slot's stream (definition, deletion, closed dates) and its occurrence streams (bookings). */
class CallSlotRecord implements CallSlotAvailabilityView {
  revision = -1;
  status: 'active' | 'deleted' = 'active';
  private current: CallSlotDefinition | null = null;
  readonly closedDates = new Set<string>();
  readonly occurrences = new Map<string, OccurrenceRecord>();

  get known(): boolean {
    return this.current !== null;
  }
  get definition(): CallSlotDefinition {
    if (this.current === null) throw new Error('call slot record without definition'); // the view hides such records
    return this.current;
  }
  set definition(definition: CallSlotDefinition) {
    this.current = definition;
  }
  bookedAt(startIso: string): number {
    return this.occurrences.get(startIso)?.bookings.size ?? 0;
  }
  capacityOverrideAt(startIso: string): number | null {
    return this.occurrences.get(startIso)?.capacityOverride ?? null;
  }
  occurrence(startIso: string): OccurrenceRecord {
    let record = this.occurrences.get(startIso);
    if (!record) {
      record = { revision: -1, bookings: new Set(), capacityOverride: null };
      this.occurrences.set(startIso, record);
    }
    return record;
  }
}

/** Applies `revision` to a versioned slot; false when it is stale. */
function advanceRevision(map: Map<string, { revision: number }>, key: string, revision: number): boolean {
  const held = map.get(key);
  return held === undefined || revision > held.revision;
}

class TenantReplica implements TenantRoutingView {
  readonly agents = new Map<string, Versioned<AgentView>>();
  /** extension -> agents that held it at some point; the current holder is the one whose view still says so. */
  private readonly extensionHolders = new Map<string, Set<string>>();
  readonly devices = new Map<string, Versioned<DeviceState>>();
  readonly diverts = new Map<string, Versioned<DivertRules>>();
  readonly schedules = new Map<string, Versioned<ScheduleDefinitionData>>();
  readonly callSlots = new Map<string, CallSlotRecord>();
  readonly flows = new Map<string, FlowRecord>();

  constructor(readonly tenantId: string) {}

  // ------------------------------------------------------------------ TenantRoutingView

  callFlow(number: string): CallFlowLookup | undefined {
    const record = this.flows.get(number);
    if (!record) return undefined;
    if (record.retired) return { status: 'retired', version: record.latest };
    const flow = record.versions.get(record.latest);
    return flow ? { status: 'published', version: record.latest, flow } : undefined;
  }
  callFlowVersion(number: string, version: number): CallFlowDefinition | undefined {
    return this.flows.get(number)?.versions.get(version);
  }
  agent(agentId: string): AgentView | undefined {
    return this.agents.get(agentId)?.value ?? undefined;
  }
  agentByExtension(extension: string): AgentView | undefined {
    const holders = this.extensionHolders.get(extension);
    if (!holders) return undefined;
    let found: AgentView | undefined;
    for (const agentId of holders) {
      const agent = this.agent(agentId);
      if (!agent || agent.extension !== extension || agent.status === 'removed') continue;
      // Two holders only while a move is half-replicated: prefer the active one, then the smaller id (deterministic).
      if (!found || (agent.status === 'active' && found.status !== 'active') || (agent.status === found.status && agent.agentId < found.agentId)) {
        found = agent;
      }
    }
    return found;
  }
  device(extension: string): DeviceState | undefined {
    return this.devices.get(extension)?.value ?? undefined;
  }
  divertRules(extension: string): DivertRules | undefined {
    return this.diverts.get(extension)?.value ?? undefined;
  }
  schedule(scheduleId: string): ScheduleDefinitionData | undefined {
    return this.schedules.get(scheduleId)?.value ?? undefined;
  }
  callSlot(callSlotId: string): CallSlotAvailabilityView | undefined {
    const record = this.callSlots.get(callSlotId);
    return record?.known ? record : undefined;
  }

  // ------------------------------------------------------------------ apply

  applyAgentDirectory(revision: number, event: AgentDirectoryEvent): ApplyOutcome {
    switch (event.type) {
      case 'AgentRegistered':
      case 'AgentProfileChanged':
      case 'AgentExtensionChanged':
      case 'RingPreferenceChanged':
      case 'WorkingHoursSet':
      case 'AfterHoursPolicySet':
      case 'AgentRoleChanged':
      case 'ReportingManagerAssigned':
      case 'ReportingManagerCleared':
      case 'AgentDisabled':
      case 'AgentEnabled':
      case 'AgentRemoved': {
        const agent = event.data.agent;
        if (!advanceRevision(this.agents, agent.agentId, revision)) return 'stale';
        this.agents.set(agent.agentId, { revision, value: agent });
        if (event.type === 'AgentExtensionChanged') this.extensionHolders.get(event.data.previousExtension)?.delete(agent.agentId);
        if (agent.status === 'removed') {
          this.extensionHolders.get(agent.extension)?.delete(agent.agentId);
        } else {
          let holders = this.extensionHolders.get(agent.extension);
          if (!holders) this.extensionHolders.set(agent.extension, (holders = new Set()));
          holders.add(agent.agentId);
        }
        return 'applied';
      }
      case 'DeviceStateChanged': {
        const device = event.data.device;
        if (!advanceRevision(this.devices, device.extension, revision)) return 'stale';
        this.devices.set(device.extension, { revision, value: device });
        return 'applied';
      }
      case 'TenantRegistered':
      case 'TenantLicenceChanged':
      case 'TenantSettingsChanged':
      case 'OrgMemberEnrolled':
      case 'OrgMemberRoleChanged':
      case 'ReportingLineSet':
      case 'ReportingLineCleared':
      case 'OrgMemberWithdrawn':
      case 'ExtensionClaimed':
      case 'ExtensionReleased':
      case 'LoginCreated':
      case 'LoginRoleChanged':
      case 'LoginPrivilegesChanged':
      case 'CallSlotProfileAssigned':
      case 'LoginDisabled':
      case 'LoginEnabled':
        return 'ignored';
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  applyDivert(revision: number, event: DivertEvent): ApplyOutcome {
    const extension = event.data.extension;
    if (!advanceRevision(this.diverts, extension, revision)) return 'stale';
    switch (event.type) {
      case 'DivertRuleSet':
      case 'DivertRulesReplaced':
      case 'DivertRuleCleared':
      case 'DivertTargetOrphaned':
        this.diverts.set(extension, { revision, value: event.data.rules });
        return 'applied';
      case 'DivertExtensionRemoved':
        this.diverts.set(extension, { revision, value: null });
        return 'applied';
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  applySchedule(revision: number, event: ScheduleEvent): ApplyOutcome {
    // Every schedule event carries the whole schedule; ScheduleDeleted carries its last state.
    const scheduleId = event.data.schedule.scheduleId;
    if (!advanceRevision(this.schedules, scheduleId, revision)) return 'stale';
    this.schedules.set(scheduleId, { revision, value: event.type === 'ScheduleDeleted' ? null : event.data.schedule });
    return 'applied';
  }

  applyCallbackSlots(revision: number, event: CallbackSlotsEvent): ApplyOutcome {
    switch (event.type) {
      case 'CallSlotCreated':
      case 'CallSlotUpdated':
      case 'CallSlotDeleted':
      case 'OccurrenceClosed':
      case 'OccurrenceReopened': {
        const record = this.callSlotRecord(event.data.callSlotId);
        if (revision <= record.revision) return 'stale';
        record.revision = revision;
        switch (event.type) {
          case 'CallSlotCreated':
          case 'CallSlotUpdated': {
            const { callSlotId, name, zone, timeSlots, settings } = event.data;
            record.definition = { callSlotId, name, zone, timeSlots, settings };
            record.status = 'active';
            break;
          }
          case 'CallSlotDeleted':
            record.status = 'deleted';
            break;
          case 'OccurrenceClosed':
            record.closedDates.add(event.data.date);
            break;
          case 'OccurrenceReopened':
            record.closedDates.delete(event.data.date);
            break;
          default: {
            const _exhaustive: never = event;
            return _exhaustive;
          }
        }
        return 'applied';
      }
      case 'CallbackBooked':
      case 'CallbackCancelled':
      case 'OccurrenceCapacityChanged': {
        const occurrence = this.callSlotRecord(event.data.callSlotId).occurrence(event.data.startIso);
        if (revision <= occurrence.revision) return 'stale';
        occurrence.revision = revision;
        if (event.type === 'CallbackBooked') occurrence.bookings.add(event.data.bookingId);
        else if (event.type === 'CallbackCancelled') occurrence.bookings.delete(event.data.bookingId);
        else occurrence.capacityOverride = event.data.capacity;
        return 'applied';
      }
      case 'BlacklistEntryAdded':
      case 'BlacklistEntryRemoved':
      case 'OfferStarted':
      case 'SlotOffered':
      case 'OfferRepeated':
      case 'OfferDeclined':
      case 'OfferChosen':
      case 'ChosenSlotUnavailable':
      case 'CallbackNumberEntered':
      case 'CallbackNumberRejected':
      case 'OfferEnded':
        return 'ignored';
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  applyCallFlow(revision: number, event: CallFlowEvent): ApplyOutcome {
    const number = event.data.number;
    let record = this.flows.get(number);
    if (record && revision <= record.revision) return 'stale';
    if (!record) this.flows.set(number, (record = { revision, latest: 0, retired: false, versions: new Map() }));
    record.revision = revision;
    switch (event.type) {
      case 'CallFlowPublished': {
        record.versions.set(event.data.version, event.data.flow);
        record.latest = Math.max(record.latest, event.data.version);
        record.retired = false;
        while (record.versions.size > RETAINED_FLOW_VERSIONS) record.versions.delete(Math.min(...record.versions.keys()));
        return 'applied';
      }
      case 'CallFlowRetired':
        record.retired = true;
        record.latest = Math.max(record.latest, event.data.version);
        return 'applied';
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  /** Drops the booking records of occurrences that started before `beforeMs` (never read again). */
  pruneOccurrences(beforeMs: number): number {
    let dropped = 0;
    for (const record of this.callSlots.values()) {
      for (const startIso of record.occurrences.keys()) {
        if (Date.parse(startIso) < beforeMs) {
          record.occurrences.delete(startIso);
          dropped++;
        }
      }
    }
    return dropped;
  }

  private callSlotRecord(callSlotId: string): CallSlotRecord {
    let record = this.callSlots.get(callSlotId);
    if (!record) this.callSlots.set(callSlotId, (record = new CallSlotRecord()));
    return record;
  }
}

/** A tenant nobody has events for: every lookup misses, so its numbers are simply not routable. */
const EMPTY_TENANT: TenantRoutingView = {
  tenantId: '',
  callFlow: () => undefined,
  callFlowVersion: () => undefined,
  agent: () => undefined,
  agentByExtension: () => undefined,
  device: () => undefined,
  divertRules: () => undefined,
  schedule: () => undefined,
  callSlot: () => undefined,
};

export type ReplicaStats = {
  tenants: number;
  agents: number;
  devices: number;
  diverts: number;
  schedules: number;
  callSlots: number;
  occurrences: number;
  callFlows: number;
};

/**
 * All tenants' replicas. The adapter feeds it events already validated with the contracts' parse
 * functions (`parseAgentDirectoryEvent`, `parseDivertEvent`, …) together with the envelope's tenant
 * and stream revision.
 */
export class RoutingReplicas implements RoutingReplicaReader {
  private readonly tenants = new Map<string, TenantReplica>();
  /** Dialled number -> tenants with a published (not retired) flow for it; normally one (a DID has one owner). */
  private readonly numberTenants = new Map<string, Set<string>>();

  forTenant(tenantId: string): TenantRoutingView {
    return this.tenants.get(tenantId) ?? EMPTY_TENANT;
  }

  applyAgentDirectoryEvent(at: ReplicaPosition, event: AgentDirectoryEvent): ApplyOutcome {
    return this.tenant(at.tenantId).applyAgentDirectory(at.revision, event);
  }
  applyDivertEvent(at: ReplicaPosition, event: DivertEvent): ApplyOutcome {
    return this.tenant(at.tenantId).applyDivert(at.revision, event);
  }
  applyScheduleEvent(at: ReplicaPosition, event: ScheduleEvent): ApplyOutcome {
    return this.tenant(at.tenantId).applySchedule(at.revision, event);
  }
  applyCallbackSlotsEvent(at: ReplicaPosition, event: CallbackSlotsEvent): ApplyOutcome {
    return this.tenant(at.tenantId).applyCallbackSlots(at.revision, event);
  }
  applyCallFlowEvent(at: ReplicaPosition, event: CallFlowEvent): ApplyOutcome {
    const replica = this.tenant(at.tenantId);
    const outcome = replica.applyCallFlow(at.revision, event);
    if (outcome === 'applied') this.indexNumber(replica, event.data.number);
    return outcome;
  }

  /** Every number of a tenant with a flow: its latest version, published or retired, and that version's graph. */
  callFlowsOf(tenantId: string): Array<{ number: string; version: number; status: 'published' | 'retired'; flow: CallFlowDefinition }> {
    const replica = this.tenants.get(tenantId);
    if (!replica) return [];
    const flows: Array<{ number: string; version: number; status: 'published' | 'retired'; flow: CallFlowDefinition }> = [];
    for (const [number, record] of replica.flows) {
      const flow = record.versions.get(record.latest);
      if (flow) flows.push({ number, version: record.latest, status: record.retired ? 'retired' : 'published', flow });
    }
    return flows;
  }

  /** A tenant's published (not retired) flows, latest version each (who takes a call slot's callbacks). */
  publishedFlows(tenantId: string): Array<{ number: string; version: number; flow: CallFlowDefinition }> {
    const replica = this.tenants.get(tenantId);
    if (!replica) return [];
    const flows: Array<{ number: string; version: number; flow: CallFlowDefinition }> = [];
    for (const number of replica.flows.keys()) {
      const lookup = replica.callFlow(number);
      if (lookup?.status === 'published') flows.push({ number, version: lookup.version, flow: lookup.flow });
    }
    return flows;
  }

  /**
   * The tenant whose published call flow takes calls to `number` (the SIP edge serves every tenant and
   * knows only the dialled number). Undefined when no tenant has one, or when two tenants published a flow
   * for the same number: that is refused rather than guessed.
   */
  tenantOfNumber(number: string): string | undefined {
    const tenants = this.numberTenants.get(number);
    return tenants?.size === 1 ? tenants.values().next().value : undefined;
  }

  /** Forgets bookings of occurrences that started before `before` (call it e.g. hourly with now - 1 day). */
  pruneOccurrences(before: Date): number {
    let dropped = 0;
    for (const tenant of this.tenants.values()) dropped += tenant.pruneOccurrences(before.getTime());
    return dropped;
  }

  /** Sizes for /metrics (O(tenants)). */
  stats(): ReplicaStats {
    const stats: ReplicaStats = { tenants: this.tenants.size, agents: 0, devices: 0, diverts: 0, schedules: 0, callSlots: 0, occurrences: 0, callFlows: 0 };
    for (const t of this.tenants.values()) {
      stats.agents += t.agents.size;
      stats.devices += t.devices.size;
      stats.diverts += t.diverts.size;
      stats.schedules += t.schedules.size;
      stats.callSlots += t.callSlots.size;
      for (const slot of t.callSlots.values()) stats.occurrences += slot.occurrences.size;
      stats.callFlows += t.flows.size;
    }
    return stats;
  }

  private indexNumber(replica: TenantReplica, number: string): void {
    let tenants = this.numberTenants.get(number);
    if (replica.callFlow(number)?.status === 'published') {
      if (!tenants) this.numberTenants.set(number, (tenants = new Set()));
      tenants.add(replica.tenantId);
    } else if (tenants) {
      tenants.delete(replica.tenantId);
      if (tenants.size === 0) this.numberTenants.delete(number);
    }
  }

  private tenant(tenantId: string): TenantReplica {
    let replica = this.tenants.get(tenantId);
    if (!replica) this.tenants.set(tenantId, (replica = new TenantReplica(tenantId)));
    return replica;
  }
}
