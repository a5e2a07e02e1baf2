// Events of agent-directory. Tenant, agent, login and device events carry the COMPLETE resulting view
// (event-carried state transfer): a replica does `replica.set(id, data.agent)` and never asks back.
// Org and extension-claim events are the consistency records behind them (docs in the domain deciders).
import { z } from 'zod';
import type { EventEnvelope } from '../envelope';
import { defineEvent, type EventDefinition } from '../event-definition';
import { ExtensionSchema } from '../phone';
import { AgentIdSchema, AgentRoleSchema, AgentViewSchema, exampleAgentView } from './agent-view';
import { DeviceStateSchema, exampleDeviceState } from './device-state';
import { exampleLoginView, LoginRoleSchema, LoginViewSchema, PrivilegeSchema } from './login-view';
import { exampleTenantView, TenantViewSchema } from './tenant-view';

const service = 'agent-directory' as const;

/** The org stream revision a roster change was decided at: agents apply roster changes only forward. */
const RosterRevisionSchema = z.number().int().min(0);
const ReasonSchema = z.string().trim().min(1).max(500);

// ---------------------------------------------------------------------------------------------- tenant

export const TenantRegisteredEvent = defineEvent({
  service,
  type: 'TenantRegistered',
  version: 1,
  description: 'A tenant was registered with its licence and settings.',
  schema: z.strictObject({ tenant: TenantViewSchema }),
  example: { tenant: exampleTenantView },
});

export const TenantLicenceChangedEvent = defineEvent({
  service,
  type: 'TenantLicenceChanged',
  version: 1,
  description: "The tenant's licence (features, maxAgents) changed; carries the whole tenant.",
  schema: z.strictObject({ tenant: TenantViewSchema }),
  example: { tenant: exampleTenantView },
});

export const TenantSettingsChangedEvent = defineEvent({
  service,
  type: 'TenantSettingsChanged',
  version: 1,
  description: "The tenant's settings (extension digits, default zone or country) changed; carries the whole tenant.",
  schema: z.strictObject({ tenant: TenantViewSchema }),
  example: { tenant: exampleTenantView },
});

// ----------------------------------------------------------------------------------------------- agent

export const AgentRegisteredEvent = defineEvent({
  service,
  type: 'AgentRegistered',
  version: 1,
  description: 'An agent was registered; carries the whole agent.',
  schema: z.strictObject({ agent: AgentViewSchema, rosterRevision: RosterRevisionSchema }),
  example: { agent: exampleAgentView, rosterRevision: 7 },
});

export const AGENT_PROFILE_FIELDS = ['name', 'email', 'mobile'] as const;
export const AgentProfileFieldSchema = z.enum(AGENT_PROFILE_FIELDS);
export type AgentProfileField = z.infer<typeof AgentProfileFieldSchema>;

export const AgentProfileChangedEvent = defineEvent({
  service,
  type: 'AgentProfileChanged',
  version: 1,
  description: 'Name, email and/or mobile of an agent changed; carries the whole agent.',
  schema: z.strictObject({ agent: AgentViewSchema, changed: z.array(AgentProfileFieldSchema).min(1) }),
  example: { agent: exampleAgentView, changed: ['mobile'] },
});

export const AgentExtensionChangedEvent = defineEvent({
  service,
  type: 'AgentExtensionChanged',
  version: 1,
  description: "An agent moved to another extension; replicas drop `previousExtension` from their extension index.",
  schema: z.strictObject({ agent: AgentViewSchema, previousExtension: ExtensionSchema }),
  example: { agent: exampleAgentView, previousExtension: '2099' },
});

export const RingPreferenceChangedEvent = defineEvent({
  service,
  type: 'RingPreferenceChanged',
  version: 1,
  description: "An agent's incoming-call preference changed; carries the whole agent.",
  schema: z.strictObject({ agent: AgentViewSchema }),
  example: { agent: exampleAgentView },
});

export const WorkingHoursSetEvent = defineEvent({
  service,
  type: 'WorkingHoursSet',
  version: 1,
  description: "An agent's working hours (ranges and zone) were replaced; carries the whole agent.",
  schema: z.strictObject({ agent: AgentViewSchema }),
  example: { agent: exampleAgentView },
});

export const AfterHoursPolicySetEvent = defineEvent({
  service,
  type: 'AfterHoursPolicySet',
  version: 1,
  description: "An agent's after-hours policy was set; carries the whole agent.",
  schema: z.strictObject({ agent: AgentViewSchema }),
  example: { agent: exampleAgentView },
});

export const AgentRoleChangedEvent = defineEvent({
  service,
  type: 'AgentRoleChanged',
  version: 1,
  description: "An agent's role (AGENT, MANAGER, ADMIN) changed; carries the whole agent.",
  schema: z.strictObject({ agent: AgentViewSchema, previousRole: AgentRoleSchema, rosterRevision: RosterRevisionSchema }),
  example: { agent: { ...exampleAgentView, role: 'MANAGER' }, previousRole: 'AGENT', rosterRevision: 8 },
});

export const ReportingManagerAssignedEvent = defineEvent({
  service,
  type: 'ReportingManagerAssigned',
  version: 1,
  description: 'An agent got a (new) reporting manager, `agent.managerId`; carries the whole agent.',
  schema: z.strictObject({
    agent: AgentViewSchema,
    previousManagerId: AgentIdSchema.nullable(),
    rosterRevision: RosterRevisionSchema,
  }),
  example: { agent: exampleAgentView, previousManagerId: null, rosterRevision: 9 },
});

export const ReportingManagerClearedEvent = defineEvent({
  service,
  type: 'ReportingManagerCleared',
  version: 1,
  description: 'An agent no longer reports to anyone; carries the whole agent.',
  schema: z.strictObject({ agent: AgentViewSchema, previousManagerId: AgentIdSchema, rosterRevision: RosterRevisionSchema }),
  example: { agent: { ...exampleAgentView, managerId: null }, previousManagerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a', rosterRevision: 10 },
});

export const AgentDisabledEvent = defineEvent({
  service,
  type: 'AgentDisabled',
  version: 1,
  description: 'An agent was disabled: never rung, extension and seat kept; carries the whole agent.',
  schema: z.strictObject({ agent: AgentViewSchema, reason: ReasonSchema.nullable() }),
  example: { agent: { ...exampleAgentView, status: 'disabled' }, reason: 'parental leave' },
});

export const AgentEnabledEvent = defineEvent({
  service,
  type: 'AgentEnabled',
  version: 1,
  description: 'A disabled agent was enabled again; carries the whole agent.',
  schema: z.strictObject({ agent: AgentViewSchema }),
  example: { agent: exampleAgentView },
});

export const AgentRemovedEvent = defineEvent({
  service,
  type: 'AgentRemoved',
  version: 1,
  description: 'An agent was removed for good; its extension is released. Carries the agent as it was, status removed.',
  schema: z.strictObject({ agent: AgentViewSchema, rosterRevision: RosterRevisionSchema }),
  example: { agent: { ...exampleAgentView, managerId: null, status: 'removed' }, rosterRevision: 11 },
});

// --------------------------------------------------------------------------------------------- org

export const OrgMemberEnrolledEvent = defineEvent({
  service,
  type: 'OrgMemberEnrolled',
  version: 1,
  description: 'An agent joined the tenant roster (takes a licence seat) with its role and manager.',
  schema: z.strictObject({ agentId: AgentIdSchema, role: AgentRoleSchema, managerId: AgentIdSchema.nullable() }),
  example: { agentId: exampleAgentView.agentId, role: 'AGENT', managerId: exampleAgentView.managerId },
});

export const OrgMemberRoleChangedEvent = defineEvent({
  service,
  type: 'OrgMemberRoleChanged',
  version: 1,
  description: "A roster member's role changed.",
  schema: z.strictObject({ agentId: AgentIdSchema, role: AgentRoleSchema, previousRole: AgentRoleSchema }),
  example: { agentId: exampleAgentView.agentId, role: 'MANAGER', previousRole: 'AGENT' },
});

export const ReportingLineSetEvent = defineEvent({
  service,
  type: 'ReportingLineSet',
  version: 1,
  description: 'A roster member now reports to `managerId` (checked: manager exists, may manage, no cycle).',
  schema: z.strictObject({ agentId: AgentIdSchema, managerId: AgentIdSchema, previousManagerId: AgentIdSchema.nullable() }),
  example: { agentId: exampleAgentView.agentId, managerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a', previousManagerId: null },
});

export const ReportingLineClearedEvent = defineEvent({
  service,
  type: 'ReportingLineCleared',
  version: 1,
  description: 'A roster member no longer reports to anyone.',
  schema: z.strictObject({ agentId: AgentIdSchema, previousManagerId: AgentIdSchema }),
  example: { agentId: exampleAgentView.agentId, previousManagerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a' },
});

export const OrgMemberWithdrawnEvent = defineEvent({
  service,
  type: 'OrgMemberWithdrawn',
  version: 1,
  description: 'An agent left the roster (agent removed): its seat is free, its reporting line gone.',
  schema: z.strictObject({ agentId: AgentIdSchema }),
  example: { agentId: exampleAgentView.agentId },
});

// ---------------------------------------------------------------------------------- extension claims

export const ExtensionClaimedEvent = defineEvent({
  service,
  type: 'ExtensionClaimed',
  version: 1,
  description: 'An agent reserved an extension number (before its agent event is written).',
  schema: z.strictObject({ extension: ExtensionSchema, agentId: AgentIdSchema }),
  example: { extension: '2001', agentId: exampleAgentView.agentId },
});

export const ExtensionReleasedEvent = defineEvent({
  service,
  type: 'ExtensionReleased',
  version: 1,
  description: 'The holder of an extension number gave it up (moved to another, was removed, or registration failed).',
  schema: z.strictObject({ extension: ExtensionSchema, agentId: AgentIdSchema }),
  example: { extension: '2001', agentId: exampleAgentView.agentId },
});

// --------------------------------------------------------------------------------------------- login

export const LoginCreatedEvent = defineEvent({
  service,
  type: 'LoginCreated',
  version: 1,
  description: 'A login was created; carries the whole login.',
  schema: z.strictObject({ login: LoginViewSchema }),
  example: { login: exampleLoginView },
});

export const LoginRoleChangedEvent = defineEvent({
  service,
  type: 'LoginRoleChanged',
  version: 1,
  description: "A login's role changed (its privileges reset to the new role's defaults unless given); carries the whole login.",
  schema: z.strictObject({ login: LoginViewSchema, previousRole: LoginRoleSchema }),
  example: { login: exampleLoginView, previousRole: 'AGENT' },
});

export const LoginPrivilegesChangedEvent = defineEvent({
  service,
  type: 'LoginPrivilegesChanged',
  version: 1,
  description: "A login's privileges were replaced; carries the whole login and what was granted and revoked.",
  schema: z.strictObject({ login: LoginViewSchema, granted: z.array(PrivilegeSchema), revoked: z.array(PrivilegeSchema) }),
  example: { login: exampleLoginView, granted: ['callSlots:read'], revoked: [] },
});

export const CallSlotProfileAssignedEvent = defineEvent({
  service,
  type: 'CallSlotProfileAssigned',
  version: 1,
  description: 'A login was given a call-slot profile (all call slots or a subset); carries the whole login.',
  schema: z.strictObject({ login: LoginViewSchema }),
  example: { login: exampleLoginView },
});

export const LoginDisabledEvent = defineEvent({
  service,
  type: 'LoginDisabled',
  version: 1,
  description: 'A login was disabled: it can no longer obtain tokens; carries the whole login.',
  schema: z.strictObject({ login: LoginViewSchema }),
  example: { login: { ...exampleLoginView, status: 'disabled' } },
});

export const LoginEnabledEvent = defineEvent({
  service,
  type: 'LoginEnabled',
  version: 1,
  description: 'A disabled login was enabled again; carries the whole login.',
  schema: z.strictObject({ login: LoginViewSchema }),
  example: { login: exampleLoginView },
});

// -------------------------------------------------------------------------------------------- device

export const DEVICE_STATE_ASPECTS = ['registration', 'activity'] as const;

export const DeviceStateChangedEvent = defineEvent({
  service,
  type: 'DeviceStateChanged',
  version: 1,
  description: "An extension's device registered/unregistered or went on a call/idle (SIP edge report); carries its whole state.",
  schema: z.strictObject({ device: DeviceStateSchema, changed: z.array(z.enum(DEVICE_STATE_ASPECTS)).min(1) }),
  example: { device: exampleDeviceState, changed: ['activity'] },
});

// ------------------------------------------------------------------------------------------- unions

export const TENANT_EVENTS = [TenantRegisteredEvent, TenantLicenceChangedEvent, TenantSettingsChangedEvent] as const;
export const AGENT_EVENTS = [
  AgentRegisteredEvent,
  AgentProfileChangedEvent,
  AgentExtensionChangedEvent,
  RingPreferenceChangedEvent,
  WorkingHoursSetEvent,
  AfterHoursPolicySetEvent,
  AgentRoleChangedEvent,
  ReportingManagerAssignedEvent,
  ReportingManagerClearedEvent,
  AgentDisabledEvent,
  AgentEnabledEvent,
  AgentRemovedEvent,
] as const;
export const ORG_EVENTS = [
  OrgMemberEnrolledEvent,
  OrgMemberRoleChangedEvent,
  ReportingLineSetEvent,
  ReportingLineClearedEvent,
  OrgMemberWithdrawnEvent,
] as const;
export const EXTENSION_CLAIM_EVENTS = [ExtensionClaimedEvent, ExtensionReleasedEvent] as const;
export const LOGIN_EVENTS = [
  LoginCreatedEvent,
  LoginRoleChangedEvent,
  LoginPrivilegesChangedEvent,
  CallSlotProfileAssignedEvent,
  LoginDisabledEvent,
  LoginEnabledEvent,
] as const;
export const DEVICE_EVENTS = [DeviceStateChangedEvent] as const;

/** Every agent-directory event definition (AsyncAPI generation, consumers' schema lookup). */
export const AGENT_DIRECTORY_EVENTS = [
  ...TENANT_EVENTS,
  ...AGENT_EVENTS,
  ...ORG_EVENTS,
  ...EXTENSION_CLAIM_EVENTS,
  ...LOGIN_EVENTS,
  ...DEVICE_EVENTS,
] as const;

/** `{ type, data }` of a definition: what deciders emit and `evolve` reads (a stored envelope is assignable). */
type EventOfDefinition<D> = D extends EventDefinition<infer T, infer S> ? { type: T; data: z.infer<S> } : never;

export type TenantEvent = EventOfDefinition<(typeof TENANT_EVENTS)[number]>;
export type AgentEvent = EventOfDefinition<(typeof AGENT_EVENTS)[number]>;
export type OrgEvent = EventOfDefinition<(typeof ORG_EVENTS)[number]>;
export type ExtensionClaimEvent = EventOfDefinition<(typeof EXTENSION_CLAIM_EVENTS)[number]>;
export type LoginEvent = EventOfDefinition<(typeof LOGIN_EVENTS)[number]>;
export type DeviceStateEvent = EventOfDefinition<(typeof DEVICE_EVENTS)[number]>;
export type AgentDirectoryEvent = EventOfDefinition<(typeof AGENT_DIRECTORY_EVENTS)[number]>;
export type AgentDirectoryEventType = AgentDirectoryEvent['type'];

/** The data of one event type: `AgentDirectoryEventData<'AgentRegistered'>`. */
export type AgentDirectoryEventData<T extends AgentDirectoryEventType> = Extract<AgentDirectoryEvent, { type: T }>['data'];

/** A stored / published agent-directory event. */
export type AgentDirectoryEventEnvelope = {
  [K in AgentDirectoryEvent as K['type']]: EventEnvelope<K['type'], K['data']>;
}[AgentDirectoryEventType];

export const AgentDirectoryEventTypeSchema = z.enum(
  AGENT_DIRECTORY_EVENTS.map((d) => d.type) as [AgentDirectoryEventType, ...AgentDirectoryEventType[]],
);

/**
 * Validates a received message as an agent-directory event (consumer side: the router's replicas). Throws
 * on an unknown type or version or data that breaks the schema, so the consumer can dead-letter it.
 */
export function parseAgentDirectoryEvent(message: { type: string; version: number; data: unknown }): AgentDirectoryEvent {
  const def = AGENT_DIRECTORY_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not an agent-directory event type: "${message.type}"`);
  if (def.version !== message.version) {
    throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  }
  return { type: def.type, data: def.schema.parse(message.data) } as AgentDirectoryEvent;
}
