// Which endpoints of a tenant receive a routing event: enabled, subscribed to its type (null = every type),
// and registered before the event happened (a new endpoint does not receive a backlog it never asked for).

export type EndpointSubscription = {
  readonly status: 'enabled' | 'disabled';
  readonly eventTypes: readonly string[] | null;
  readonly createdAt: string;
};

export function endpointWants(endpoint: EndpointSubscription, event: { type: string; occurredAt: string }): boolean {
  if (endpoint.status !== 'enabled') return false;
  if (endpoint.eventTypes !== null && !endpoint.eventTypes.includes(event.type)) return false;
  return Date.parse(event.occurredAt) >= Date.parse(endpoint.createdAt);
}
