// Every event the platform publishes, grouped by the subject it is published on: the source of the
// AsyncAPI document (`npm run docs:asyncapi`, and /docs/asyncapi.json on every service).
import type { CatalogEntry } from './asyncapi';
import { AGENT_DIRECTORY_EVENTS } from './agent-directory';
import { CALLBACK_SLOTS_EVENTS } from './callback-slots';
import { CALL_FLOW_EVENTS, ROUTING_EVENTS } from './call-router';
import { DIVERT_EVENTS } from './divert';
import { SCHEDULE_EVENTS } from './schedule';
import type { ServiceName } from './services';

const domain = (service: ServiceName, events: CatalogEntry['events'], description: string): CatalogEntry => ({
  group: service,
  description,
  events,
  address: (type) => `evt.${service}.{tenantId}.${type}`,
  parameters: { tenantId: 'the tenant the event belongs to' },
});

export const EVENT_CATALOG: readonly CatalogEntry[] = [
  domain('agent-directory', AGENT_DIRECTORY_EVENTS, 'Tenants, agents, roster, logins and device state (stream EVT_AGENT_DIRECTORY)'),
  domain('schedule', SCHEDULE_EVENTS, 'Call schedules, each event with the full schedule (stream EVT_SCHEDULE)'),
  domain('divert', DIVERT_EVENTS, 'Per-extension diverts, each event with all rules of the extension (stream EVT_DIVERT)'),
  domain('callback-slots', CALLBACK_SLOTS_EVENTS, 'Call slots, bookings, offers and callbacks (stream EVT_CALLBACK_SLOTS)'),
  domain('call-router', CALL_FLOW_EVENTS, 'Call flows per dialled number (stream EVT_CALL_ROUTER)'),
  {
    group: 'routing',
    description: 'Routing events of calls (stream ROUTING); per-agent copies on routing-agent.{tenantId}.{agentId}.{type}',
    events: ROUTING_EVENTS,
    address: (type) => `routing.{tenantId}.{number}.${type}`,
    parameters: { tenantId: 'the tenant', number: 'the dialled number, digits only (E.164 without +)' },
  },
];
