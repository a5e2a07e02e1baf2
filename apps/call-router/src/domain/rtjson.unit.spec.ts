// Specification of the Kamailio rtjson translation: parallel for several devices of one step, serial
// chains only where every failure leads to the same next step, timers in ms, answer confirmation as the
// edge's X-CC-Confirm header through the media server.
import type { CallFlowDefinition, PlanStep, RoutePlan } from '@cc/contracts';
import { planRoute } from './route-planner';
import { MONDAY_10, NUMBER, TENANT, agent, agentIdOf, device, flow, mobileOf, ringAgentFlow, world, type WorldInput } from './routing.fixture';
import { toRtjson, type RtjsonOptions } from './rtjson';

const OPTIONS: RtjsonOptions = {
  extensionDomain: (tenantId) => `${tenantId}.sip.example.net`,
  pstnGateway: 'gw.example.net:5060',
  voicemailUri: (tenantId, mailbox) => `sip:vm-${mailbox.kind === 'extension' ? mailbox.extension : mailbox.mailboxId}@media.example.net;tenant=${tenantId}`,
  outboundProxy: null,
  answerConfirmation: { mediaServer: 'sip:10.0.0.20:5060', digit: '1', timeoutSeconds: 15, promptId: 'accept-call' },
  frTimerMs: null,
};
const CALL = 'a84b4c76e66710@pbx.acme.test';
const CONTEXT = { tenantId: TENANT, callId: CALL };
const oneFallback = (node: Partial<Extract<CallFlowDefinition['nodes'][string], { type: 'ringAgent' }>> = {}): CallFlowDefinition =>
  flow({ ring: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'vm', ...node }, vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2001') } } }, 'ring');

function plan(input: WorldInput): PlanStep[] {
  const result: RoutePlan = planRoute({ tenantId: TENANT, callId: CALL, number: NUMBER, cli: null, dryRun: false }, world(input), MONDAY_10);
  if (result.outcome !== 'routed') throw new Error('not routed');
  return result.decision.steps;
}

describe('toRtjson', () => {
  it('extension then mobile then voicemail: one serial document, each route with its own ring time', () => {
    const steps = plan({ flows: [oneFallback()], agents: [agent('2001', { ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 20 } })] });
    expect(toRtjson(steps, 's1', CONTEXT, OPTIONS)).toEqual({
      version: '1.0',
      routing: 'serial',
      routes: [
        { uri: 'sip:2001@acme.sip.example.net', headers: { extra: `X-CC-Call-Id: ${CALL}\r\nX-CC-Step-Id: s1\r\nX-CC-Leg-Id: s1.1\r\n` }, fr_inv_timer: 20000 },
        {
          uri: `sip:${mobileOf('2001')}@gw.example.net:5060;user=phone`,
          dst_uri: 'sip:10.0.0.20:5060',
          headers: { extra: `X-CC-Call-Id: ${CALL}\r\nX-CC-Step-Id: s2\r\nX-CC-Leg-Id: s2.1\r\nX-CC-Confirm: dtmf=1;timeout=15;prompt=accept-call\r\n` },
          fr_inv_timer: 30000,
        },
        { uri: 'sip:vm-2001@media.example.net;tenant=acme', headers: { extra: `X-CC-Call-Id: ${CALL}\r\nX-CC-Step-Id: s3\r\n` } },
      ],
      x_cc: {
        call_id: CALL,
        routes: [
          { step_id: 's1', leg_id: 's1.1', agent_id: agentIdOf('2001'), answer_confirmation: false },
          { step_id: 's2', leg_id: 's2.1', agent_id: agentIdOf('2001'), answer_confirmation: true },
          { step_id: 's3', leg_id: null, agent_id: agentIdOf('2001'), answer_confirmation: false },
        ],
      },
    });
  });

  it('several devices of one step: a parallel document with the same ring time on every route', () => {
    const steps = plan({ flows: [oneFallback()], agents: [agent('2001', { ringPreference: { kind: 'simultaneous' } })] });
    const doc = toRtjson(steps, 's1', CONTEXT, OPTIONS);
    expect(doc.routing).toBe('parallel');
    expect(doc.routes.map((r) => [r.uri, r.fr_inv_timer, r.dst_uri])).toEqual([
      ['sip:2001@acme.sip.example.net', 30000, undefined],
      [`sip:${mobileOf('2001')}@gw.example.net:5060;user=phone`, 30000, 'sip:10.0.0.20:5060'],
    ]);
    expect(doc.x_cc.routes.map((r) => r.leg_id)).toEqual(['s1.1', 's1.2']);
  });

  it('stops the serial chain where busy, unreachable and no-answer lead to different steps (the router decides next)', () => {
    const steps = plan({ flows: [ringAgentFlow('2001')], agents: [agent('2001')], devices: [device('2001', 'registered')] });
    const doc = toRtjson(steps, 's1', CONTEXT, OPTIONS);
    expect(doc.routes.map((r) => r.uri)).toEqual(['sip:2001@acme.sip.example.net']);
    expect(toRtjson(steps, 's3', CONTEXT, OPTIONS).routes.map((r) => r.uri)).toEqual(['sip:vm-busy@media.example.net;tenant=acme']);
  });

  it('an in-order group is one serial document, member after member, then the group’s voicemail', () => {
    const group = flow(
      {
        g: { type: 'ringGroup', agentIds: [agentIdOf('2001'), agentIdOf('2002')], strategy: 'inOrder', memberRingSeconds: 15, onNoAnswer: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'sales' } },
      },
      'g',
    );
    const doc = toRtjson(plan({ flows: [group], agents: [agent('2001'), agent('2002')] }), 's1', CONTEXT, { ...OPTIONS, outboundProxy: 'sip:edge.example.net', frTimerMs: 2000 });
    expect(doc.routes.map((r) => [r.uri, r.fr_inv_timer, r.fr_timer, r.dst_uri])).toEqual([
      ['sip:2001@acme.sip.example.net', 15000, 2000, 'sip:edge.example.net'],
      ['sip:2002@acme.sip.example.net', 15000, 2000, 'sip:edge.example.net'],
      ['sip:vm-sales@media.example.net;tenant=acme', undefined, 2000, undefined],
    ]);
  });

  it('a forward has no ring time of its own; a plain hang-up is a reject', () => {
    const steps = plan({ flows: [flow({ out: { type: 'forward', e164: '+447911123456' } }, 'out')] });
    expect(toRtjson(steps, 's1', CONTEXT, OPTIONS).routes).toEqual([
      { uri: 'sip:+447911123456@gw.example.net:5060;user=phone', headers: { extra: `X-CC-Call-Id: ${CALL}\r\nX-CC-Step-Id: s1\r\n` } },
    ]);
    expect(toRtjson(steps, 's2', CONTEXT, OPTIONS)).toMatchObject({ routes: [], reject: { code: 480 } });
  });

  it('refuses steps the media server runs (menus) and unknown steps', () => {
    const menu = plan({
      flows: [flow({ m: { type: 'menu', prompt: { kind: 'tts', text: 'Press 1', language: null }, options: { '1': 'h' }, timeoutSeconds: 5, invalidRetries: 0, default: 'h' }, h: { type: 'hangup' } }, 'm')],
    });
    expect(() => toRtjson(menu, 's1', CONTEXT, OPTIONS)).toThrow(/media server/);
    expect(() => toRtjson(menu, 's9', CONTEXT, OPTIONS)).toThrow(/not in the plan/);
  });

  it('never writes a call id that could break out of its header line', () => {
    const steps = plan({ flows: [oneFallback()], agents: [agent('2001')] });
    const doc = toRtjson(steps, 's1', { tenantId: TENANT, callId: 'x\r\nVia: evil' }, OPTIONS);
    expect(doc.routes[0]!.headers!.extra).toBe('X-CC-Step-Id: s1\r\nX-CC-Leg-Id: s1.1\r\n');
    expect(doc.x_cc.call_id).toBe('x\r\nVia: evil');
  });

  it.each([
    { digit: '12', timeoutSeconds: 15, promptId: 'accept-call' },
    { digit: '1', timeoutSeconds: 0, promptId: 'accept-call' },
    { digit: '1', timeoutSeconds: 15, promptId: 'a b' },
  ])('refuses answer-confirmation options %j', (bad) => {
    const steps = plan({ flows: [oneFallback()], agents: [agent('2001')] });
    expect(() => toRtjson(steps, 's1', CONTEXT, { ...OPTIONS, answerConfirmation: { mediaServer: null, ...bad } })).toThrow(RangeError);
  });
});
