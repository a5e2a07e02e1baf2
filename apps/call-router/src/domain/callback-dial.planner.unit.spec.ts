// Specification of who takes a scheduled callback: the ring node whose failure leads to the call slot's
// offer, planned by the call rules at the attempt's time; nobody when no flow offers the call slot, no ring
// node leads to its offer, or nobody would ring now.
import type { CallFlowNode } from '@cc/contracts';
import { planCallbackDial, type PublishedFlow } from './callback-dial.planner';
import { agent, agentIdOf, device, flow, MONDAY_10, NUMBER, world } from './routing.fixture';

const offerFlow = (ring: Partial<Extract<CallFlowNode, { type: 'ringAgent' }>> = {}, callSlotId = 'support-uk'): PublishedFlow => ({
  number: NUMBER,
  version: 1,
  flow: flow(
    {
      ring: { type: 'ringAgent', agentId: agentIdOf('2001'), ringSeconds: 25, onNoAnswer: 'offer', ...ring },
      offer: { type: 'offerCallback', callSlotId, fallback: 'vm' },
      vm: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'support' } },
    },
    'ring',
    { defaultRingSeconds: 40 },
  ),
});

const view = (input: Parameters<typeof world>[0] = {}) =>
  world({ agents: [agent('2001')], devices: [device('2001', 'registered')], ...input }).view;

describe('planCallbackDial', () => {
  it('rings the team the caller waited for, with its ring time; the customer rings for the flow default', () => {
    expect(planCallbackDial([offerFlow()], view(), { callSlotId: 'support-uk', at: MONDAY_10 })).toEqual({
      outcome: 'planned',
      agent: { targets: [{ kind: 'extension', extension: '2001', agentId: agentIdOf('2001') }], ringSeconds: 25 },
      customerRingSeconds: 40,
    });
  });

  it('rings extension and mobile for a simultaneous agent', () => {
    const plan = planCallbackDial([offerFlow()], view({ agents: [agent('2001', { ringPreference: { kind: 'simultaneous' } })] }), { callSlotId: 'support-uk', at: MONDAY_10 });
    expect(plan.outcome === 'planned' && plan.agent.targets.map((t) => t.kind)).toEqual(['extension', 'number']);
  });

  it.each<[string, PublishedFlow[], Parameters<typeof view>[0], RegExp]>([
    ['no flow offers the call slot', [offerFlow({}, 'other-slot')], {}, /no published call flow offers callbacks of call slot support-uk/],
    ['no ring node leads to the offer', [{ ...offerFlow(), flow: { ...offerFlow().flow, nodes: { ...offerFlow().flow.nodes, ring: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'vm' } } } }], {}, /no ring node leads/],
    ['the agent is disabled', [offerFlow()], { agents: [agent('2001', { status: 'disabled' })] }, /disabled/],
  ])('answers no-agent when %s', (_, flows, input, reason) => {
    const plan = planCallbackDial(flows, view(input), { callSlotId: 'support-uk', at: MONDAY_10 });
    expect(plan.outcome).toBe('no-agent');
    expect(plan.outcome === 'no-agent' && plan.reason).toMatch(reason);
  });
});
