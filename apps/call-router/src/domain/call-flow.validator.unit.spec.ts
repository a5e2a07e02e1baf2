// Specification of the call-flow graph rules: what may be published, and the field path of each problem.
import { CALL_FLOW_LIMITS, CALL_ROUTER_ERRORS, CallFlowDefinitionSchema, DomainError, exampleCallFlow, type CallFlowNode } from '@cc/contracts';
import { assertValidCallFlow, callFlowProblems } from './call-flow.validator';
import { agentIdOf, flow } from './routing.fixture';

const say = (text: string) => ({ kind: 'tts' as const, text, language: null });
const vm: CallFlowNode = { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'main' } };
const announce = (next: string): CallFlowNode => ({ type: 'announcement', prompt: say('hello'), next });
const ring = (ext: string, onNoAnswer: string, extra: Partial<Extract<CallFlowNode, { type: 'ringAgent' }>> = {}): CallFlowNode => ({
  type: 'ringAgent',
  agentId: agentIdOf(ext),
  onNoAnswer,
  ...extra,
});
const menu = (options: Record<string, string>, fallback: string): CallFlowNode => ({
  type: 'menu',
  prompt: say('press 1'),
  options,
  timeoutSeconds: 5,
  invalidRetries: 1,
  default: fallback,
});

describe('callFlowProblems', () => {
  it('accepts the contract example and a flow whose only loop waits for a key', () => {
    expect(callFlowProblems(exampleCallFlow)).toEqual([]);
    expect(callFlowProblems(flow({ m: menu({ '1': 'a', '9': 'm' }, 'a'), a: announce('m') }, 'm'))).toEqual([]);
  });

  it('accepts a loop back through a declined callback offer (the caller pressed keys)', () => {
    const nodes: Record<string, CallFlowNode> = {
      r: ring('2001', 'cb'),
      cb: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'v', onDeclined: 'r' },
      v: vm,
    };
    expect(callFlowProblems(flow(nodes, 'r'))).toEqual([]);
  });

  it.each<[string, Record<string, CallFlowNode>, string, Array<{ path: string; message: RegExp }>]>([
    [
      'a dangling schedule branch',
      { hours: { type: 'schedule', scheduleId: 'office', branches: { open: 'v', closed: 'gone' } }, v: vm },
      'hours',
      [{ path: 'nodes.hours.branches.closed', message: /"gone" does not exist/ }],
    ],
    ['a dangling menu option and default', { m: menu({ '1': 'nope' }, 'nada') }, 'm', [
      { path: 'nodes.m.options.1', message: /"nope" does not exist/ },
      { path: 'nodes.m.default', message: /"nada" does not exist/ },
    ]],
    ['a start node that does not exist (reachability is not judged then)', { v: vm }, 'begin', [{ path: 'start', message: /"begin" does not exist/ }]],
    ['a node nothing leads to', { v: vm, orphan: { type: 'hangup' } }, 'v', [{ path: 'nodes.orphan', message: /cannot be reached from the start node "v"/ }]],
    ['announcements in a circle', { a: announce('b'), b: announce('a') }, 'a', [{ path: 'nodes.b.next', message: /loop a -> b -> a never waits/ }]],
    ['agents ringing each other on no answer forever', { a: ring('2001', 'b'), b: ring('2002', 'a', { onBusy: 'v' }), v: vm }, 'a', [
      { path: 'nodes.b.onNoAnswer', message: /loop a -> b -> a/ },
    ]],
    ['a forward failing back to itself', { f: { type: 'forward', e164: '+447911123456', onFailure: 'f' } }, 'f', [{ path: 'nodes.f.onFailure', message: /loop f -> f/ }]],
    ['a callback offer whose fallback loops without input', { cb: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'x' }, x: announce('cb') }, 'cb', [
      { path: 'nodes.x.next', message: /loop cb -> x -> cb/ },
    ]],
    ['a menu without options', { m: menu({}, 'v'), v: vm }, 'm', [{ path: 'nodes.m.options', message: /at least one option/ }]],
    ['an agent twice in a group', {
      g: { type: 'ringGroup', agentIds: [agentIdOf('2001'), agentIdOf('2002'), agentIdOf('2001')], strategy: 'inOrder', memberRingSeconds: 20, onNoAnswer: 'v' },
      v: vm,
    }, 'g', [{ path: 'nodes.g.agentIds.2', message: /already member 0/ }]],
    ['a forward to a premium-rate number', { f: { type: 'forward', e164: '+449065000000' } }, 'f', [{ path: 'nodes.f.e164', message: /premium-rate/ }]],
    ['a forward to a number that does not exist', { f: { type: 'forward', e164: '+4412345' } }, 'f', [{ path: 'nodes.f.e164', message: /not a valid/ }]],
  ])('refuses %s', (_, nodes, start, expected) => {
    const problems = callFlowProblems(flow(nodes, start));
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(problems[i]!.path).toBe(e.path);
      expect(problems[i]!.message).toMatch(e.message);
    });
  });

  it(`refuses more than ${CALL_FLOW_LIMITS.maxChainWithoutInput} nodes in a row without input`, () => {
    const chain = (n: number): Record<string, CallFlowNode> => {
      const nodes: Record<string, CallFlowNode> = { [`a${n}`]: { type: 'hangup' } };
      for (let i = 1; i < n; i++) nodes[`a${i}`] = announce(`a${i + 1}`);
      return nodes;
    };
    expect(callFlowProblems(flow(chain(CALL_FLOW_LIMITS.maxChainWithoutInput), 'a1'))).toEqual([]);
    expect(callFlowProblems(flow(chain(CALL_FLOW_LIMITS.maxChainWithoutInput + 1), 'a1'))).toEqual([
      { path: 'nodes.a1', message: expect.stringMatching(/41 nodes in a row/) },
    ]);
  });

  it('does not mistake inherited object keys for nodes', () => {
    expect(callFlowProblems(flow({ v: announce('constructor') }, 'toString'))).toEqual([
      { path: 'start', message: expect.stringMatching(/"toString" does not exist/) },
      { path: 'nodes.v.next', message: expect.stringMatching(/"constructor" does not exist/) },
    ]);
  });

  it('the schema refuses what the graph check never sees: bad node ids, keys and limits', () => {
    const base = { ...exampleCallFlow };
    expect(CallFlowDefinitionSchema.safeParse({ ...base, nodes: { ...base.nodes, '1bad': vm } }).success).toBe(false);
    expect(CallFlowDefinitionSchema.safeParse({ ...base, nodes: { ...base.nodes, m: menu({ A: 'sales' }, 'sales') } }).success).toBe(false);
    const tooMany = Object.fromEntries(Array.from({ length: CALL_FLOW_LIMITS.maxNodes + 1 }, (_, i) => [`n${i}`, vm]));
    expect(CallFlowDefinitionSchema.safeParse({ ...base, start: 'n0', nodes: tooMany }).success).toBe(false);
  });
});

describe('assertValidCallFlow', () => {
  it('throws CALL_ROUTER.INVALID_FLOW (400) with every field path', () => {
    try {
      assertValidCallFlow(flow({ a: announce('b'), b: announce('a'), x: { type: 'hangup' } }, 'a'));
      throw new Error('expected INVALID_FLOW');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: CALL_ROUTER_ERRORS.INVALID_FLOW.code, kind: 'validation', details: { number: '+441234567000' } });
      expect((error as DomainError).errors.map((e) => e.path)).toEqual(['nodes.x', 'nodes.b.next']);
    }
  });

  it('passes a valid flow', () => {
    expect(() => assertValidCallFlow(exampleCallFlow)).not.toThrow();
  });
});
