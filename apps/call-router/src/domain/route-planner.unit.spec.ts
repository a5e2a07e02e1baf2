// Specification of routing decisions: which devices ring, for how long, and where a call goes on
// no-answer / busy / unreachable, per ring preference, working hours (DST), device state, diverts
// (chains, loops, hop limit), groups, schedules (rotation, emergency), callbacks and menus.
import type { AgentView, CallFlowDefinition, CallFlowNode, RoutePlan, ScheduleDefinitionData, TraceCode } from '@cc/contracts';
import { MAX_STEPS_PER_DECISION } from './flow-segment.planner';
import { agentIdsOf, planRoute } from './route-planner';
import {
  MONDAY_10,
  NUMBER,
  TENANT,
  agent,
  agentIdOf,
  callSlot,
  describeSteps,
  device,
  diverts,
  flow,
  mobileOf,
  ringAgentFlow,
  toExtension,
  toNumber,
  toVoicemail,
  world,
  type WorldInput,
} from './routing.fixture';

type Routed = Extract<RoutePlan, { outcome: 'routed' }>;

function route(input: WorldInput, at: Date = MONDAY_10): Routed {
  const plan = planRoute({ tenantId: TENANT, callId: 'call-1', number: NUMBER, cli: '+447700900123', dryRun: false }, world(input), at);
  if (plan.outcome !== 'routed') throw new Error(`expected a routed plan, got ${JSON.stringify(plan)}`);
  expect(plan.decision.steps[0]!.id).toBe(plan.decision.currentStepId);
  return plan;
}
const lines = (plan: Routed): string[] => describeSteps(plan.decision.steps);
const codes = (plan: Routed): TraceCode[] => plan.decision.trace.map((e) => e.code);
const traceOf = (plan: Routed, code: TraceCode) => plan.decision.trace.filter((e) => e.code === code);
const idle = (...extensions: string[]) => extensions.map((e) => device(e, 'registered'));

const LONDON_OFFICE: AgentView['workingHours'] = {
  mode: 'weekly',
  timezone: 'Europe/London',
  ranges: [{ day: 'mon', start: '09:00', end: '17:00' }],
};
const FALLBACK_VMS = ['vm group:no-answer', 'vm group:busy', 'vm group:unreachable'];
/** The three fallback voicemail lines of ringAgentFlow, numbered from `first`. */
const fallbacks = (first: number): string[] => FALLBACK_VMS.map((line, i) => `s${first + i} ${line}`);

describe('planRoute', () => {
  describe('numbers without a flow are not routable (an answer, not an error)', () => {
    it.each<[string, WorldInput, string, 'unknownNumber' | 'retired']>([
      ['no flow was ever published', {}, TENANT, 'unknownNumber'],
      ['the flow was retired', { flows: [ringAgentFlow('2001')], retired: true }, TENANT, 'retired'],
      ["another tenant's number", { flows: [ringAgentFlow('2001')] }, 'globex', 'unknownNumber'],
    ])('%s', (_, input, tenantId, reason) => {
      const plan = planRoute({ tenantId, callId: null, number: NUMBER, cli: null, dryRun: true }, world(input), MONDAY_10);
      expect(plan).toMatchObject({ outcome: 'notRoutable', reason, dryRun: true, number: NUMBER, at: MONDAY_10.toISOString() });
      expect(plan.outcome === 'notRoutable' && plan.trace.map((e) => e.code)).toEqual(['flow.notRoutable']);
    });

    it('routes with the latest published version and says which', () => {
      const v1 = ringAgentFlow('2001');
      const v2 = ringAgentFlow('2002');
      const plan = route({ flows: [v1, v2], agents: [agent('2001'), agent('2002')], devices: idle('2001', '2002') });
      expect(plan.flowVersion).toBe(2);
      expect(lines(plan)[0]).toBe('s1 ring 2002 30s na=s2 b=s3 u=s4');
      expect(traceOf(plan, 'flow.selected')[0]!.facts).toMatchObject({ version: 2 });
    });
  });

  describe('the ring preference decides the devices', () => {
    it.each<[string, AgentView['ringPreference'], string[]]>([
      ['simultaneous: extension and mobile together', { kind: 'simultaneous' }, ['s1 ring 2001+mobile(2001)! 30s na=s2 b=s3 u=s4', ...fallbacks(2)]],
      [
        'extensionThenMobile: the extension alone for N s, then the mobile',
        { kind: 'extensionThenMobile', mobileAfterSeconds: 20 },
        ['s1 ring 2001 20s na=s2 b=s2 u=s2', 's2 ring mobile(2001)! 30s na=s3 b=s4 u=s5', ...fallbacks(3)],
      ],
      ['extensionOnly: never the mobile', { kind: 'extensionOnly' }, ['s1 ring 2001 30s na=s2 b=s3 u=s4', ...fallbacks(2)]],
      ['mobileOnly: never the extension', { kind: 'mobileOnly' }, ['s1 ring mobile(2001)! 30s na=s2 b=s3 u=s4', ...fallbacks(2)]],
    ])('%s', (_, ringPreference, expected) => {
      const plan = route({ flows: [ringAgentFlow('2001')], agents: [agent('2001', { ringPreference })], devices: idle('2001') });
      expect(lines(plan)).toEqual(expected);
      expect(traceOf(plan, 'agent.ringPreference')[0]!.facts).toMatchObject({ preference: ringPreference.kind });
    });

    it('the mobile leg is a number leg of the agent, with answer confirmation from the flow settings', () => {
      const withConfirmation = route({ flows: [ringAgentFlow('2001')], agents: [agent('2001', { ringPreference: { kind: 'mobileOnly' } })] });
      expect(withConfirmation.decision.steps[0]).toMatchObject({
        kind: 'ring',
        targets: [{ kind: 'number', legId: 's1.1', e164: mobileOf('2001'), agentId: agentIdOf('2001'), role: 'mobile', answerConfirmation: true }],
      });
      const without = route({
        flows: [ringAgentFlow('2001', {}, { mobileAnswerConfirmation: false })],
        agents: [agent('2001', { ringPreference: { kind: 'simultaneous' } })],
      });
      expect(lines(without)[0]).toBe('s1 ring 2001+mobile(2001) 30s na=s2 b=s3 u=s4');
    });

    it.each<[string, number | undefined, number | null, number, number, string]>([
      ['the flow default', undefined, null, 30, 30, 'flowDefault'],
      ['the flow default as configured', undefined, null, 25, 25, 'flowDefault'],
      ["the extension's no-answer divert ring time", undefined, 45, 30, 45, 'noAnswerDivert'],
      ["the node's override", 15, null, 30, 15, 'node'],
      ["the node's override, even over a no-answer divert", 15, 45, 30, 15, 'node'],
    ])('ring time: %s', (_, override, divertSeconds, flowDefault, expected, from) => {
      const plan = route({
        flows: [ringAgentFlow('2001', override === undefined ? {} : { ringSeconds: override }, { defaultRingSeconds: flowDefault })],
        agents: [agent('2001')],
        devices: idle('2001'),
        diverts: divertSeconds === null ? {} : { '2001': diverts({ noAnswer: toVoicemail }, divertSeconds) },
      });
      expect(plan.decision.steps[0]).toMatchObject({ kind: 'ring', ringSeconds: expected });
      expect(traceOf(plan, 'agent.ringPreference')[0]!.facts).toMatchObject({ ringSeconds: expected, ringSecondsFrom: from });
    });
  });

  describe('outside working hours the after-hours policy applies', () => {
    const MONDAY_18 = new Date('2026-11-23T18:00:00.000Z');
    it.each<[string, AgentView['afterHours'], string[]]>([
      ['voicemail: the agent’s box', { kind: 'voicemail' }, ['s1 vm 2001']],
      ['forwardExtension: that extension rings instead', { kind: 'forwardExtension', extension: '2002' }, ['s1 ring 2002 30s na=s2 b=s3 u=s4', ...fallbacks(2)]],
      ['forwardNumber: forwarded out, voicemail if that fails', { kind: 'forwardNumber', e164: '+447700900999' }, ['s1 fwd +447700900999 by 2001 fail=s2', 's2 vm 2001']],
      ['followCallFlow: the flow’s no-answer edge', { kind: 'followCallFlow' }, ['s1 vm group:no-answer']],
    ])('%s', (_, afterHours, expected) => {
      const plan = route(
        {
          flows: [ringAgentFlow('2001')],
          agents: [agent('2001', { workingHours: LONDON_OFFICE, afterHours }), agent('2002')],
          devices: idle('2001', '2002'),
        },
        MONDAY_18,
      );
      expect(lines(plan)).toEqual(expected);
      expect(codes(plan)).toContain('agent.outsideHours');
      expect(traceOf(plan, 'agent.afterHours')[0]?.facts ?? traceOf(plan, 'agent.afterHours')).toMatchObject(
        afterHours.kind === 'forwardExtension' ? { condition: 'afterHours', to: '2002' } : { policy: afterHours.kind },
      );
    });

    it('within working hours the agent rings and the trace names the range', () => {
      const plan = route({ flows: [ringAgentFlow('2001')], agents: [agent('2001', { workingHours: LONDON_OFFICE, afterHours: { kind: 'voicemail' } })] });
      expect(lines(plan)[0]).toBe('s1 ring 2001 30s na=s2 b=s3 u=s4');
      expect(traceOf(plan, 'agent.withinHours')[0]!.facts).toMatchObject({ range: 'mon 09:00-17:00', zone: 'Europe/London' });
    });

    it.each<[string, string, AgentView['workingHours'], boolean]>([
      ['Monday 08:30 UTC before spring forward is 08:30 GMT', '2026-03-23T08:30:00.000Z', LONDON_OFFICE, false],
      ['Monday 08:30 UTC after spring forward is 09:30 BST', '2026-03-30T08:30:00.000Z', LONDON_OFFICE, true],
      ['Monday 08:30 UTC before fall back is 09:30 BST', '2026-10-19T08:30:00.000Z', LONDON_OFFICE, true],
      ['Monday 08:30 UTC after fall back is 08:30 GMT', '2026-10-26T08:30:00.000Z', LONDON_OFFICE, false],
      ...(
        [
          ['spring forward: 01:30-02:30 opens when the clock jumps to 02:00 BST', '2026-03-29T01:15:00.000Z', true],
          ['spring forward: 00:45 GMT is before the range', '2026-03-29T00:45:00.000Z', false],
          ['fall back: the second pass of 01:45 (GMT) is still inside 01:30-02:30', '2026-10-25T01:45:00.000Z', true],
          ['fall back: 02:35 GMT is after the range', '2026-10-25T02:35:00.000Z', false],
        ] as const
      ).map(
        ([name, at, inside]) =>
          [name, at, { mode: 'weekly', timezone: 'Europe/London', ranges: [{ day: 'sun', start: '01:30', end: '02:30' }] }, inside] as [
            string,
            string,
            AgentView['workingHours'],
            boolean,
          ],
      ),
    ])('DST: %s', (_, at, workingHours, inside) => {
      const plan = route({ flows: [ringAgentFlow('2001')], agents: [agent('2001', { workingHours, afterHours: { kind: 'voicemail' } })] }, new Date(at));
      expect(lines(plan)[0]).toBe(inside ? 's1 ring 2001 30s na=s2 b=s3 u=s4' : 's1 vm 2001');
    });

    it('an agent with an empty week is never working', () => {
      const plan = route({
        flows: [ringAgentFlow('2001')],
        agents: [agent('2001', { workingHours: { mode: 'weekly', timezone: 'Europe/London', ranges: [] }, afterHours: { kind: 'voicemail' } })],
      });
      expect(lines(plan)).toEqual(['s1 vm 2001']);
    });
  });

  describe('agents that cannot be rung take the flow’s unreachable edge', () => {
    it.each<[string, AgentView[], TraceCode]>([
      ['a disabled agent is skipped', [agent('2001', { status: 'disabled' })], 'agent.disabled'],
      ['a removed agent', [agent('2001', { status: 'removed' })], 'agent.notFound'],
      ['an agent the router never heard of', [], 'agent.notFound'],
    ])('%s', (_, agents, code) => {
      const plan = route({ flows: [ringAgentFlow('2001')], agents });
      expect(lines(plan)).toEqual(['s1 vm group:unreachable']);
      expect(codes(plan)).toEqual(['flow.selected', code, 'flow.edge']);
    });

    it('without onUnreachable the no-answer edge is taken', () => {
      const flowWithOneEdge = flow(
        {
          ring: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'na' },
          na: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'no-answer' } },
        },
        'ring',
      );
      expect(lines(route({ flows: [flowWithOneEdge], agents: [agent('2001', { status: 'disabled' })] }))).toEqual(['s1 vm group:no-answer']);
    });
  });

  describe('device state: an unregistered extension is unreachable, one on a call is busy', () => {
    it.each<[string, AgentView['ringPreference'], 'unregistered' | 'onCall' | 'unknown', WorldInput['diverts'], string[], TraceCode]>([
      ['unregistered, no divert: the flow’s unreachable edge without ringing', { kind: 'extensionOnly' }, 'unregistered', {}, ['s1 vm group:unreachable'], 'device.unregistered'],
      [
        'unregistered with an unreachable divert: the divert, without ringing',
        { kind: 'extensionOnly' },
        'unregistered',
        { '2001': diverts({ unreachable: toExtension('2002') }) },
        ['s1 ring 2002 30s na=s2 b=s3 u=s4', ...fallbacks(2)],
        'device.unregistered',
      ],
      ['on a call, no divert: the flow’s busy edge', { kind: 'extensionOnly' }, 'onCall', {}, ['s1 vm group:busy'], 'device.onCall'],
      ['on a call with a busy divert to voicemail', { kind: 'extensionOnly' }, 'onCall', { '2001': diverts({ busy: toVoicemail }) }, ['s1 vm 2001'], 'device.onCall'],
      ['simultaneous, unregistered extension: only the mobile rings', { kind: 'simultaneous' }, 'unregistered', {}, ['s1 ring mobile(2001)! 30s na=s2 b=s3 u=s4', ...fallbacks(2)], 'device.unregistered'],
      [
        'extensionThenMobile, extension on a call: straight to the mobile',
        { kind: 'extensionThenMobile', mobileAfterSeconds: 20 },
        'onCall',
        {},
        ['s1 ring mobile(2001)! 30s na=s2 b=s3 u=s4', ...fallbacks(2)],
        'device.onCall',
      ],
      ['never reported: rung anyway (the SIP edge knows better)', { kind: 'extensionOnly' }, 'unknown', {}, ['s1 ring 2001 30s na=s2 b=s3 u=s4', ...fallbacks(2)], 'device.unknown'],
    ])('%s', (_, ringPreference, state, divertRules, expected, code) => {
      const devices = state === 'unknown' ? idle('2002') : [device('2001', state === 'unregistered' ? 'unregistered' : 'registered', state === 'onCall' ? 'onCall' : 'idle'), ...idle('2002')];
      const plan = route({ flows: [ringAgentFlow('2001')], agents: [agent('2001', { ringPreference }), agent('2002')], devices, diverts: divertRules });
      expect(lines(plan)).toEqual(expected);
      expect(codes(plan)).toContain(code);
    });
  });

  describe('diverts of an extension', () => {
    const agents = [agent('2001'), agent('2002'), agent('2003')];
    it.each<[string, WorldInput['diverts'], string[]]>([
      ['always to an extension: 2001 does not ring, 2002 does', { '2001': diverts({ always: toExtension('2002') }) }, ['s1 ring 2002 30s na=s2 b=s3 u=s4', ...fallbacks(2)]],
      ['always to voicemail', { '2001': diverts({ always: toVoicemail }) }, ['s1 vm 2001']],
      ['always to a number: forwarded, voicemail if that fails', { '2001': diverts({ always: toNumber('+447700900999') }) }, ['s1 fwd +447700900999 by 2001 fail=s2', 's2 vm 2001']],
      [
        'no answer: rings its ring time, then the target',
        { '2001': diverts({ noAnswer: toExtension('2002') }, 20) },
        ['s1 ring 2001 20s na=s2 b=s4 u=s5', 's2 ring 2002 30s na=s3 b=s4 u=s5', ...fallbacks(3)],
      ],
      ['busy (reported while ringing): the busy divert', { '2001': diverts({ busy: toVoicemail }) }, ['s1 ring 2001 30s na=s2 b=s3 u=s4', 's2 vm group:no-answer', 's3 vm 2001', 's4 vm group:unreachable']],
      [
        'unreachable (reported while ringing): the unreachable divert',
        { '2001': diverts({ unreachable: toNumber('+447700900999') }) },
        ['s1 ring 2001 30s na=s2 b=s3 u=s4', 's2 vm group:no-answer', 's3 vm group:busy', 's4 fwd +447700900999 by 2001 fail=s5', 's5 vm 2001'],
      ],
    ])('%s', (_, divertRules, expected) => {
      expect(lines(route({ flows: [ringAgentFlow('2001')], agents, devices: idle('2001', '2002', '2003'), diverts: divertRules }))).toEqual(expected);
    });

    it('a failure edge taken by a divert says so (for the Diverted event)', () => {
      const plan = route({ flows: [ringAgentFlow('2001')], agents, diverts: { '2001': diverts({ noAnswer: toExtension('2002') }) } });
      expect(plan.decision.steps[0]).toMatchObject({ via: { noAnswer: { kind: 'divert', fromExtension: '2001' }, busy: { kind: 'flow' }, unreachable: { kind: 'flow' } } });
      expect(traceOf(plan, 'divert.noAnswer')[0]!.facts).toMatchObject({ extension: '2001', to: '2002', when: 's1 noAnswer' });
    });

    it.each<[string, { from: string; to: string }, boolean]>([
      ['inside its validity window the divert applies', { from: '2026-11-20T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }, true],
      ['after its window it is off', { from: '2026-11-01T00:00:00.000Z', to: '2026-11-23T10:00:00.000Z' }, false],
      ['before its window it is off', { from: '2026-11-23T10:00:00.001Z', to: '2026-11-30T00:00:00.000Z' }, false],
    ])('%s', (_, validity, applies) => {
      const rules = diverts({});
      rules.always = { target: toExtension('2002'), validity };
      const plan = route({ flows: [ringAgentFlow('2001')], agents, diverts: { '2001': rules } });
      expect(lines(plan)[0]).toBe(applies ? 's1 ring 2002 30s na=s2 b=s3 u=s4' : 's1 ring 2001 30s na=s2 b=s3 u=s4');
    });

    it('chains A -> B -> C on no answer: each rings in turn', () => {
      const plan = route({
        flows: [ringAgentFlow('2001')],
        agents,
        diverts: { '2001': diverts({ noAnswer: toExtension('2002') }), '2002': diverts({ noAnswer: toExtension('2003') }) },
      });
      expect(lines(plan)).toEqual([
        's1 ring 2001 20s na=s2 b=s5 u=s6',
        's2 ring 2002 20s na=s3 b=s5 u=s6',
        's3 ring 2003 30s na=s4 b=s5 u=s6',
        ...fallbacks(4),
      ]);
    });

    it('chains A -> B -> C always: only C rings', () => {
      const plan = route({
        flows: [ringAgentFlow('2001')],
        agents,
        diverts: { '2001': diverts({ always: toExtension('2002') }), '2002': diverts({ always: toExtension('2003') }) },
      });
      expect(lines(plan)).toEqual(['s1 ring 2003 30s na=s2 b=s3 u=s4', ...fallbacks(2)]);
      expect(traceOf(plan, 'divert.always').map((e) => e.facts['hop'])).toEqual([1, 2]);
    });

    it('a loop A -> B -> A (always) ends at the voicemail of A, traced', () => {
      const plan = route({
        flows: [ringAgentFlow('2001')],
        agents,
        diverts: { '2001': diverts({ always: toExtension('2002') }), '2002': diverts({ always: toExtension('2001') }) },
      });
      expect(lines(plan)).toEqual(['s1 vm 2001']);
      expect(traceOf(plan, 'divert.loop')[0]!.facts).toMatchObject({ chain: '2001>2002>2001' });
    });

    it('a loop A -> B -> A on no answer rings A, then B, then goes to the voicemail of A', () => {
      const plan = route({
        flows: [ringAgentFlow('2001')],
        agents,
        diverts: { '2001': diverts({ noAnswer: toExtension('2002') }), '2002': diverts({ noAnswer: toExtension('2001') }) },
      });
      expect(lines(plan)).toEqual(['s1 ring 2001 20s na=s2 b=s4 u=s5', 's2 ring 2002 20s na=s3 b=s4 u=s5', 's3 vm 2001', 's4 vm group:busy', 's5 vm group:unreachable']);
      expect(plan.decision.steps[1]).toMatchObject({ via: { noAnswer: { kind: 'protection', reason: 'loop' } } });
    });

    it('a loop through an after-hours forward and a divert is caught too', () => {
      const plan = route(
        {
          flows: [ringAgentFlow('2001')],
          agents: [agent('2001', { workingHours: LONDON_OFFICE, afterHours: { kind: 'forwardExtension', extension: '2002' } }), agent('2002')],
          diverts: { '2002': diverts({ always: toExtension('2001') }) },
        },
        new Date('2026-11-23T20:00:00.000Z'),
      );
      expect(lines(plan)).toEqual(['s1 vm 2001']);
      expect(traceOf(plan, 'divert.loop')[0]!.facts).toMatchObject({ chain: '2001>2002>2001' });
    });

    it.each<[number, string[]]>([
      [5, ['s1 vm 2001']],
      [6, ['s1 ring 2007 30s na=s2 b=s3 u=s4', ...fallbacks(2)]],
    ])('hop limit %i on a chain of 6 always-diverts 2001 -> … -> 2007', (hopLimit, expected) => {
      const chain = ['2001', '2002', '2003', '2004', '2005', '2006', '2007'];
      const divertRules = Object.fromEntries(chain.slice(0, -1).map((ext, i) => [ext, diverts({ always: toExtension(chain[i + 1]!) })]));
      const plan = route({ flows: [ringAgentFlow('2001', {}, { divertHopLimit: hopLimit })], agents: chain.map((e) => agent(e)), diverts: divertRules });
      expect(lines(plan)).toEqual(expected);
      expect(codes(plan).includes('divert.hopLimit')).toBe(hopLimit === 5);
    });

    it.each<[string, AgentView[]]>([
      ['removed (no agent holds it)', [agent('2001')]],
      ['held by a disabled agent', [agent('2001'), agent('2009', { status: 'disabled' })]],
    ])('a divert to an extension that is %s goes to the diverting extension’s voicemail', (_, agentsHere) => {
      const always = route({ flows: [ringAgentFlow('2001')], agents: agentsHere, diverts: { '2001': diverts({ always: toExtension('2009') }) } });
      expect(lines(always)).toEqual(['s1 vm 2001']);
      expect(codes(always)).toContain('divert.targetRemoved');
      const noAnswer = route({ flows: [ringAgentFlow('2001')], agents: agentsHere, diverts: { '2001': diverts({ noAnswer: toExtension('2009') }) } });
      expect(lines(noAnswer)).toEqual(['s1 ring 2001 20s na=s2 b=s3 u=s4', 's2 vm 2001', 's3 vm group:busy', 's4 vm group:unreachable']);
    });

    it('a runaway divert tree is cut off at the step limit, traced', () => {
      // Extension 1000 + i diverts on no-answer / busy / unreachable to 1000 + 3i + 1..3: a ternary tree.
      const agentsHere = Array.from({ length: 364 }, (_, i) => agent(String(1000 + i)));
      const divertRules = Object.fromEntries(
        agentsHere.map((a, i) => [
          a.extension,
          diverts({ noAnswer: toExtension(String(1000 + 3 * i + 1)), busy: toExtension(String(1000 + 3 * i + 2)), unreachable: toExtension(String(1000 + 3 * i + 3)) }),
        ]),
      );
      const plan = route({ flows: [ringAgentFlow('1000')], agents: agentsHere, diverts: divertRules });
      expect(plan.decision.steps.length).toBeLessThanOrEqual(MAX_STEPS_PER_DECISION + 3);
      expect(traceOf(plan, 'plan.limit')).toHaveLength(1);
      expect(lines(plan)).toContain(`s${MAX_STEPS_PER_DECISION + 1} hangup flowError`);
    });
  });

  describe('ring groups', () => {
    const groupFlow = (strategy: 'simultaneous' | 'inOrder', members: string[]): CallFlowDefinition =>
      flow(
        {
          group: { type: 'ringGroup', agentIds: members.map(agentIdOf), strategy, memberRingSeconds: 25, onNoAnswer: 'na', onBusy: 'busy', onUnreachable: 'unr' },
          na: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'no-answer' } },
          busy: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'busy' } },
          unr: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'unreachable' } },
        },
        'group',
      );
    const members: WorldInput = {
      agents: [
        agent('2001'),
        agent('2002', { status: 'disabled' }),
        agent('2003', { workingHours: LONDON_OFFICE }),
        agent('2004'),
        agent('2005', { ringPreference: { kind: 'mobileOnly' } }),
        agent('2006'),
        agent('2008', { ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 10 } }),
      ],
      devices: [...idle('2001', '2005', '2006', '2008'), device('2004', 'registered', 'onCall')],
      diverts: { '2006': diverts({ always: toExtension('2001') }) },
    };
    const SKIPPED = [
      ['2002', 'disabled'],
      ['2003', 'outsideWorkingHours'],
      ['2004', 'busy'],
      ['2001', 'alreadyRinging'], // 2006 forwards always to 2001, which is already ringing
      ['2007', 'notFound'],
    ];
    const EVENING = new Date('2026-11-23T19:00:00.000Z');

    it('simultaneous: one step with every eligible member’s devices; the others skipped with reasons', () => {
      const plan = route({ ...members, flows: [groupFlow('simultaneous', ['2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008'])] }, EVENING);
      expect(lines(plan)).toEqual(['s1 ring 2001+mobile(2005)!+2008+mobile(2008)! 25s na=s2 b=s3 u=s4', ...fallbacks(2)]);
      expect(traceOf(plan, 'group.memberSkipped').map((e) => [String(Number(String(e.facts['agentId']).slice(-4))), e.facts['reason']])).toEqual(SKIPPED);
    });

    it('inOrder: one step per member, each failing over to the next, the last to the flow', () => {
      const plan = route({ ...members, flows: [groupFlow('inOrder', ['2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008'])] }, EVENING);
      expect(lines(plan)).toEqual([
        's1 ring 2001 25s na=s2 b=s2 u=s2',
        's2 ring mobile(2005)! 25s na=s3 b=s3 u=s3',
        's3 ring 2008 10s na=s4 b=s4 u=s4',
        's4 ring mobile(2008)! 25s na=s5 b=s6 u=s7',
        ...fallbacks(5),
      ]);
      expect(plan.decision.steps[0]).toMatchObject({ via: { noAnswer: { kind: 'sequence' } } });
      expect(plan.decision.steps[3]).toMatchObject({ via: { noAnswer: { kind: 'flow' } } });
    });

    it.each<[string, string[], string]>([
      ['every member busy: the busy edge', ['2004'], 's1 vm group:busy'],
      ['members skipped for other reasons: the unreachable edge', ['2002', '2004'], 's1 vm group:unreachable'],
    ])('%s', (_, memberIds, expected) => {
      const plan = route({ ...members, flows: [groupFlow('simultaneous', memberIds)] });
      expect(lines(plan)).toEqual([expected]);
      expect(codes(plan)).toContain('group.empty');
    });

    it('a member forwarding always to a number rings that number as a confirmed leg; a loop of members is skipped', () => {
      const plan = route({
        agents: [agent('2001'), agent('2002'), agent('2003')],
        diverts: {
          '2001': diverts({ always: toNumber('+447700900999') }),
          '2002': diverts({ always: toExtension('2003') }),
          '2003': diverts({ always: toExtension('2002') }),
        },
        flows: [groupFlow('simultaneous', ['2001', '2002'])],
      });
      expect(lines(plan)[0]).toBe('s1 ring fwd:+447700900999! 25s na=s2 b=s3 u=s4');
      expect(traceOf(plan, 'group.memberSkipped')[0]!.facts).toMatchObject({ reason: 'divertLoop' });
    });
  });

  describe('schedule branches', () => {
    const schedule = (overrides: Partial<ScheduleDefinitionData> = {}): ScheduleDefinitionData => ({
      scheduleId: 'office',
      tenantId: TENANT,
      name: 'Office',
      timezone: 'Europe/London',
      mode: 'custom',
      templates: [{ templateId: 'week-a', name: 'Schedule 1', ranges: [{ day: 'mon', start: '09:00', end: '17:00' }] }],
      rotation: null,
      exceptions: [],
      emergency: null,
      ...overrides,
    });
    const branchFlow = (withEmergency: boolean): CallFlowDefinition =>
      flow(
        {
          hours: { type: 'schedule', scheduleId: 'office', branches: { open: 'open', closed: 'closed', ...(withEmergency ? { emergency: 'emergency' } : {}) } },
          open: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'open' } },
          closed: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'closed' } },
          ...(withEmergency ? { emergency: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'emergency' } } satisfies CallFlowNode } : {}),
        },
        'hours',
      );
    const emergency = (state: 'open' | 'closed') => ({ state, reason: 'Fire alarm', by: null, at: '2026-11-23T08:00:00.000Z', expiresAt: null });
    const MONDAY_18 = new Date('2026-11-23T18:00:00.000Z');

    it.each<[string, ScheduleDefinitionData | null, boolean, Date, string, TraceCode, Record<string, unknown>]>([
      ['open by a rule', schedule(), true, MONDAY_10, 'open', 'schedule.open', { decidedBy: 'rule', rule: 'mon 09:00-17:00', templateId: 'week-a' }],
      ['closed outside the rules', schedule(), true, MONDAY_18, 'closed', 'schedule.closed', { decidedBy: 'no-rule' }],
      ['24/7', schedule({ mode: '24/7' }), true, MONDAY_18, 'open', 'schedule.open', { decidedBy: '24/7' }],
      [
        'closed by a holiday exception',
        schedule({ exceptions: [{ exceptionId: 'hol', label: 'Staff day', effect: 'closed', when: { kind: 'dates', from: '2026-11-23', to: '2026-11-23' } }] }),
        true,
        MONDAY_10,
        'closed',
        'schedule.closed',
        { decidedBy: 'exception', exceptionId: 'hol' },
      ],
      ['emergency closed: the emergency branch', schedule({ emergency: emergency('closed') }), true, MONDAY_10, 'emergency', 'schedule.emergency', { decidedBy: 'emergency', label: 'Fire alarm' }],
      ['emergency closed without an emergency branch: the closed branch', schedule({ emergency: emergency('closed') }), false, MONDAY_10, 'closed', 'schedule.emergency', { branch: 'closed' }],
      ['emergency open beats closing time', schedule({ emergency: emergency('open') }), true, MONDAY_18, 'open', 'schedule.open', { decidedBy: 'emergency' }],
      ['a schedule the router does not know: closed', null, true, MONDAY_10, 'closed', 'schedule.unknown', { scheduleId: 'office' }],
    ])('%s', (_, def, withEmergency, at, branch, code, facts) => {
      const plan = route({ flows: [branchFlow(withEmergency)], schedules: def ? [def] : [] }, at);
      expect(lines(plan)).toEqual([`s1 vm group:${branch}`]);
      expect(traceOf(plan, code)[0]!.facts).toMatchObject(facts);
    });

    describe('rotation: two weekly templates alternate week by week from the anchor', () => {
      const rotating = (firstTemplateId: string) =>
        schedule({
          templates: [
            { templateId: 'week-a', name: 'Schedule 1', ranges: [{ day: 'mon', start: '09:00', end: '17:00' }] },
            { templateId: 'week-b', name: 'Schedule 2', ranges: [{ day: 'mon', start: '13:00', end: '17:00' }] },
          ],
          rotation: { active: true, anchorDate: '2026-11-02', firstTemplateId },
        });
      it.each<[string, string, string, number, string]>([
        ['week-a', '2026-11-02T10:00:00.000Z', 'open', 0, 'week-a'],
        ['week-a', '2026-11-09T10:00:00.000Z', 'closed', 1, 'week-b'],
        ['week-a', '2026-11-16T10:00:00.000Z', 'open', 2, 'week-a'],
        ['week-a', '2026-11-23T10:00:00.000Z', 'closed', 3, 'week-b'],
        ['week-a', '2026-11-23T14:00:00.000Z', 'open', 3, 'week-b'],
        ['week-b', '2026-11-23T10:00:00.000Z', 'open', 3, 'week-a'],
      ])('first %s: at %s the schedule is %s (week %i, %s)', (first, at, branch, week, templateId) => {
        const plan = route({ flows: [branchFlow(false)], schedules: [rotating(first)] }, new Date(at));
        expect(lines(plan)).toEqual([`s1 vm group:${branch}`]);
        expect(plan.decision.trace.find((e) => e.code.startsWith('schedule.'))!.facts).toMatchObject({ rotationWeek: week, templateId });
      });
    });
  });

  describe('offer callback: only when the call slot has a free place in its window', () => {
    const TUESDAY_9 = '2026-11-24T09:00:00.000Z';
    const offerFlow = flow(
      {
        cb: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'fb', onDeclined: 'declined' },
        fb: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'fallback' } },
        declined: { type: 'hangup' },
      },
      'cb',
    );
    it.each<[string, WorldInput['callSlots'], Date, string, Record<string, unknown>]>([
      ['a free place tomorrow: offered', [{ definition: callSlot() }], MONDAY_10, 's1 offer support-uk', { nextFreeStart: TUESDAY_9, free: 2 }],
      ['one place left: offered', [{ definition: callSlot(), booked: { [TUESDAY_9]: 1 } }], MONDAY_10, 's1 offer support-uk', { free: 1 }],
      ['full, and next week is outside the 6-day window: not offered', [{ definition: callSlot(), booked: { [TUESDAY_9]: 2 } }], MONDAY_10, 's1 vm group:fallback', { reason: 'noFreeTimeSlot' }],
      [
        'full, but an 8-day window reaches next week: offered',
        [{ definition: callSlot({ settings: { ...callSlot().settings, offerWindowDays: 8, offerHorizonDays: 8 } }), booked: { [TUESDAY_9]: 2 } }],
        MONDAY_10,
        's1 offer support-uk',
        { nextFreeStart: '2026-12-01T09:00:00.000Z' },
      ],
      ['the date is closed: not offered', [{ definition: callSlot(), closedDates: ['2026-11-24'] }], MONDAY_10, 's1 vm group:fallback', { reason: 'noFreeTimeSlot' }],
      ['the occurrence’s capacity was set to 0: not offered', [{ definition: callSlot(), capacity: { [TUESDAY_9]: 0 } }], MONDAY_10, 's1 vm group:fallback', { reason: 'noFreeTimeSlot' }],
      ['an occurrence that has started is not offered', [{ definition: callSlot() }], new Date('2026-11-24T09:10:00.000Z'), 's1 vm group:fallback', { reason: 'noFreeTimeSlot' }],
      ['the call slot was deleted', [{ definition: callSlot(), deleted: true }], MONDAY_10, 's1 vm group:fallback', { reason: 'deleted' }],
      ['the call slot is unknown', [], MONDAY_10, 's1 vm group:fallback', { reason: 'unknownCallSlot' }],
    ])('%s', (_, callSlots, at, expected, facts) => {
      const plan = route({ flows: [offerFlow], callSlots }, at);
      expect(lines(plan)).toEqual([expected]);
      expect(plan.decision.trace.find((e) => e.code.startsWith('callback.'))!.facts).toMatchObject(facts);
    });

    it('the offer step carries the caller’s CLI and where to go after the dialogue', () => {
      const plan = route({ flows: [offerFlow], callSlots: [{ definition: callSlot() }] });
      expect(plan.decision.steps[0]).toEqual({
        kind: 'offerCallback',
        id: 's1',
        nodeId: 'cb',
        callSlotId: 'support-uk',
        callerCli: '+447700900123',
        onBookedNodeId: null,
        onDeclinedNodeId: 'declined',
      });
    });
  });

  describe('menus, announcements, forwards, voicemail boxes, hang-ups', () => {
    it('a menu waits for input: its options name nodes, planned when the key arrives', () => {
      const plan = route({
        flows: [
          flow(
            {
              welcome: {
                type: 'menu',
                prompt: { kind: 'tts', text: 'Press 1 for sales, 2 for support', language: 'en-GB' },
                options: { '2': 'support', '1': 'sales' },
                timeoutSeconds: 5,
                invalidRetries: 2,
                default: 'support',
              },
              sales: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'support' },
              support: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'support' } },
            },
            'welcome',
          ),
        ],
        agents: [agent('2001')],
      });
      expect(lines(plan)).toEqual(['s1 menu welcome']);
      expect(plan.decision.steps[0]).toMatchObject({
        options: [
          { digit: '1', nodeId: 'sales' },
          { digit: '2', nodeId: 'support' },
        ],
        timeoutSeconds: 5,
        invalidRetries: 2,
        attempt: 0,
        defaultNodeId: 'support',
        invalidPrompt: null,
      });
    });

    it.each<[string, Record<string, CallFlowNode>, string, WorldInput['agents'], string[]]>([
      [
        'announcement, forward, hang up when the forward fails',
        {
          hello: { type: 'announcement', prompt: { kind: 'recording', recordingId: 'closed-2026' }, next: 'out' },
          out: { type: 'forward', e164: '+447700900999', onFailure: 'bye' },
          bye: { type: 'hangup' },
        },
        'hello',
        [],
        ['s1 announce -> s2', 's2 fwd +447700900999 fail=s3', 's3 hangup flow'],
      ],
      ['a forward without onFailure hangs up', { out: { type: 'forward', e164: '+447700900999' } }, 'out', [], ['s1 fwd +447700900999 fail=s2', 's2 hangup forwardFailed']],
      ['an agent’s voicemail box is its extension’s', { vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2001') } } }, 'vm', [agent('2001')], ['s1 vm 2001']],
      ['the box of a removed agent: hang up', { vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2001') } } }, 'vm', [agent('2001', { status: 'removed' })], ['s1 hangup noMailbox']],
      ['an extension’s box', { vm: { type: 'voicemail', mailbox: { kind: 'extension', extension: '2001' } } }, 'vm', [agent('2001')], ['s1 vm 2001']],
    ])('%s', (_, nodes, start, agents, expected) => {
      expect(lines(route({ flows: [flow(nodes, start)], agents }))).toEqual(expected);
    });

    it('a published flow that breaks the graph rules still does not crash a call', () => {
      const broken = flow({ a: { type: 'announcement', prompt: { kind: 'tts', text: 'hi', language: null }, next: 'missing' } }, 'a');
      const plan = route({ flows: [broken] });
      expect(lines(plan)).toEqual(['s1 announce -> s2', 's2 hangup flowError']);
      expect(traceOf(plan, 'flow.error')[0]!.facts).toMatchObject({ problem: 'missingNode' });
    });
  });

  it('agentIdsOf names every agent rung or whose box is used', () => {
    const plan = route({
      flows: [ringAgentFlow('2001', {}, {})],
      agents: [agent('2001', { ringPreference: { kind: 'simultaneous' } }), agent('2002')],
      diverts: { '2001': diverts({ noAnswer: toExtension('2002') }) },
    });
    expect(agentIdsOf(plan.decision.steps).sort()).toEqual([agentIdOf('2001'), agentIdOf('2002')]);
  });
});
