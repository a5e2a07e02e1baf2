// Specification of which endpoints get a routing event: by status, event-type filter and registration time.
import { endpointWants, type EndpointSubscription } from './webhook-endpoint.filter';

const endpoint: EndpointSubscription = { status: 'enabled', eventTypes: null, createdAt: '2026-11-23T09:00:00.000Z' };
const event = { type: 'CallEnded', occurredAt: '2026-11-23T09:00:05.000Z' };

describe('endpointWants', () => {
  it('an enabled endpoint without a filter gets every type', () => expect(endpointWants(endpoint, event)).toBe(true));
  it('a filter lets through only its types', () => {
    expect(endpointWants({ ...endpoint, eventTypes: ['CallEnded', 'LegAnswered'] }, event)).toBe(true);
    expect(endpointWants({ ...endpoint, eventTypes: ['LegAnswered'] }, event)).toBe(false);
  });
  it('a disabled endpoint gets nothing', () => expect(endpointWants({ ...endpoint, status: 'disabled' }, event)).toBe(false));
  it('events from before the endpoint was registered are not sent to it', () =>
    expect(endpointWants(endpoint, { ...event, occurredAt: '2026-11-23T08:59:59.999Z' })).toBe(false));
});
