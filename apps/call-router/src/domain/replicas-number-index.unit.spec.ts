// Specification of the dialled-number index the SIP edge routes by (it knows only the number, not the
// tenant): one tenant per published number, none while retired, none when two tenants claim it.
import { DEFAULT_CALL_FLOW_SETTINGS, type CallFlowEvent } from '@cc/contracts';
import { RoutingReplicas } from './replicas';
import { agentIdOf, NUMBER } from './routing.fixture';

const flow = { number: NUMBER, name: 'Line', start: 'vm', nodes: { vm: { type: 'voicemail' as const, mailbox: { kind: 'agent' as const, agentId: agentIdOf('2001') } } }, settings: DEFAULT_CALL_FLOW_SETTINGS };
const published = (version: number): CallFlowEvent => ({ type: 'CallFlowPublished', data: { number: NUMBER, version, flow } });
const retired = (version: number): CallFlowEvent => ({ type: 'CallFlowRetired', data: { number: NUMBER, version, reason: null } });

describe('tenantOfNumber', () => {
  it('names the tenant with a published flow for the number, and nobody for an unknown number', () => {
    const replicas = new RoutingReplicas();
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 0 }, published(1));
    expect(replicas.tenantOfNumber(NUMBER)).toBe('acme');
    expect(replicas.tenantOfNumber('+441234567999')).toBeUndefined();
  });

  it('forgets a retired number and knows it again when it is published again', () => {
    const replicas = new RoutingReplicas();
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 0 }, published(1));
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 1 }, retired(1));
    expect(replicas.tenantOfNumber(NUMBER)).toBeUndefined();
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 2 }, published(2));
    expect(replicas.tenantOfNumber(NUMBER)).toBe('acme');
  });

  it('refuses to guess when two tenants published a flow for the same number, until one retires it', () => {
    const replicas = new RoutingReplicas();
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 0 }, published(1));
    replicas.applyCallFlowEvent({ tenantId: 'globex', revision: 0 }, published(1));
    expect(replicas.tenantOfNumber(NUMBER)).toBeUndefined();
    replicas.applyCallFlowEvent({ tenantId: 'globex', revision: 1 }, retired(1));
    expect(replicas.tenantOfNumber(NUMBER)).toBe('acme');
  });

  it('ignores a redelivered (stale) event', () => {
    const replicas = new RoutingReplicas();
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 0 }, published(1));
    replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 1 }, retired(1));
    expect(replicas.applyCallFlowEvent({ tenantId: 'acme', revision: 0 }, published(1))).toBe('stale');
    expect(replicas.tenantOfNumber(NUMBER)).toBeUndefined();
  });
});
