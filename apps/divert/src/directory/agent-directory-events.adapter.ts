// Reads the facts diverts need out of agent-directory's events (contracts in libs/contracts/src/agent-directory):
// every agent event carries the whole agent (its extension and status), every tenant event the whole tenant
// (its default country). Event types diverts do not need are skipped without parsing them.
import {
  AGENT_EVENTS,
  TENANT_EVENTS,
  parseAgentDirectoryEvent,
  type AgentDirectoryEvent,
  type AgentStatus,
  type AgentView,
  type CountryCode,
  type TenantView,
} from '@cc/contracts';

type AgentViewEvent = Extract<AgentDirectoryEvent, { data: { agent: AgentView } }>;
type TenantViewEvent = Extract<AgentDirectoryEvent, { data: { tenant: TenantView } }>;

const AGENT_VIEW_EVENT_TYPES: ReadonlySet<string> = new Set(AGENT_EVENTS.map((definition) => definition.type));
const TENANT_VIEW_EVENT_TYPES: ReadonlySet<string> = new Set(TENANT_EVENTS.map((definition) => definition.type));
const carriesAgent = (event: AgentDirectoryEvent): event is AgentViewEvent => AGENT_VIEW_EVENT_TYPES.has(event.type);
const carriesTenant = (event: AgentDirectoryEvent): event is TenantViewEvent => TENANT_VIEW_EVENT_TYPES.has(event.type);

export type DirectoryFact =
  | { kind: 'agent'; agentId: string; extension: string; status: AgentStatus }
  | { kind: 'tenant'; defaultCountry: CountryCode };

/**
 * The divert-relevant facts of an agent-directory event, or null for event types diverts do not need.
 * Throws for a relevant type in an unknown version or with data that breaks its contract (the consumer
 * retries, then dead-letters it with the reason).
 */
export function directoryFactOf(event: { type: string; version: number; data: unknown }): DirectoryFact | null {
  if (!AGENT_VIEW_EVENT_TYPES.has(event.type) && !TENANT_VIEW_EVENT_TYPES.has(event.type)) return null;
  const parsed = parseAgentDirectoryEvent(event);
  if (carriesAgent(parsed)) {
    const { agentId, extension, status } = parsed.data.agent;
    return { kind: 'agent', agentId, extension, status };
  }
  if (carriesTenant(parsed)) return { kind: 'tenant', defaultCountry: parsed.data.tenant.settings.defaultCountry };
  throw new Error(`agent-directory ${event.type} carries neither an agent nor a tenant`);
}
