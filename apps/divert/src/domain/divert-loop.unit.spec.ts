// Specification of divert loops (refused at write time) and of following divert chains at call time.
import { DIVERT_ERRORS, DomainError, type DivertCondition, type DivertRules, type DivertResolution } from '@cc/contracts';
import { divertRuleSetsOf, findDivertLoop, followDivertChain, type DivertLoop } from './divert-loop';
import { during, ext, num, rules, tenant, voicemail, within } from './divert-rules.fixture';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const DEC_1 = '2026-12-01T00:00:00.000Z';
const DEC_10 = '2026-12-10T00:00:00.000Z';
const DEC_20 = '2026-12-20T00:00:00.000Z';
const DEC_24 = '2026-12-24T00:00:00.000Z';
const JAN_2 = '2027-01-02T00:00:00.000Z';
const NOV_1 = '2026-11-01T00:00:00.000Z';
const NOV_20 = '2026-11-20T00:00:00.000Z';

/** `2001 -always-> 2002 -always-> … -always-> 20nn`: extensions numbered from 2001. */
const alwaysChain = (length: number): Map<string, DivertRules> => {
  const entries: Record<string, DivertRules> = {};
  for (let i = 0; i < length; i++) entries[String(2001 + i)] = rules({ always: ext(String(2002 + i)) });
  entries[String(2001 + length)] = rules({});
  return tenant(entries);
};

describe('findDivertLoop: a change that would close a loop is found', () => {
  it.each<[string, Map<string, DivertRules>, DivertRules, Omit<DivertLoop, 'at'>]>([
    [
      '2-cycle: forward always to an extension that forwards always back',
      tenant({ '2002': rules({ always: ext('2001') }) }),
      rules({ always: ext('2002') }),
      { chain: ['2001', '2002', '2001'], conditions: ['always', 'always'] },
    ],
    [
      '3-cycle through mixed conditions (any condition can happen at call time)',
      tenant({ '2002': rules({ busy: ext('2003') }), '2003': rules({ noAnswer: ext('2001') }) }),
      rules({ unreachable: ext('2002') }),
      { chain: ['2001', '2002', '2003', '2001'], conditions: ['unreachable', 'busy', 'noAnswer'] },
    ],
    [
      'busy ping-pong: both busy bounces the call for ever',
      tenant({ '2002': rules({ busy: ext('2001') }) }),
      rules({ busy: ext('2002') }),
      { chain: ['2001', '2002', '2001'], conditions: ['busy', 'busy'] },
    ],
    [
      'no-answer ring-round never reaches voicemail',
      tenant({ '2002': rules({ noAnswer: ext('2003') }), '2003': rules({ noAnswer: ext('2001') }) }),
      rules({ noAnswer: ext('2002') }),
      { chain: ['2001', '2002', '2003', '2001'], conditions: ['noAnswer', 'noAnswer', 'noAnswer'] },
    ],
    [
      'self: forwarding to itself is a 1-cycle',
      tenant({}),
      rules({ always: ext('2001') }),
      { chain: ['2001', '2001'], conditions: ['always'] },
    ],
    [
      'the shortest loop is reported when there are several',
      tenant({
        '2002': rules({ busy: ext('2003'), unreachable: ext('2001') }),
        '2003': rules({ always: ext('2001') }),
      }),
      rules({ always: ext('2002') }),
      { chain: ['2001', '2002', '2001'], conditions: ['always', 'unreachable'] },
    ],
    [
      'a long chain back to the extension is a loop (no hop limit at write time)',
      (() => {
        const chain = alwaysChain(19); // 2001 -> 2002 -> … -> 2020
        chain.set('2020', rules({ always: ext('2001') }));
        chain.delete('2001');
        return chain;
      })(),
      rules({ always: ext('2002') }),
      {
        chain: [...Array.from({ length: 20 }, (_, i) => String(2001 + i)), '2001'],
        conditions: Array.from({ length: 20 }, (): DivertCondition => 'always'),
      },
    ],
  ])('%s', (_rule, ruleSets, proposed, expected) => {
    expect(findDivertLoop(ruleSets, '2001', proposed, NOW)).toEqual({ ...expected, at: NOW.toISOString() });
  });
});

describe('findDivertLoop: no loop', () => {
  it.each<[string, Map<string, DivertRules>, DivertRules]>([
    ['the chain ends at voicemail', tenant({ '2002': rules({ always: ext('2003') }), '2003': rules({ always: voicemail() }) }), rules({ always: ext('2002') })],
    ['the chain ends at an outside number', tenant({ '2002': rules({ busy: num('+441234567890') }) }), rules({ busy: ext('2002') })],
    [
      'the chain runs into a removed extension (it has no rules, so no edges)',
      tenant({ '2002': rules({ always: ext('2003') }) }),
      rules({ always: ext('2002') }),
    ],
    [
      "the other extension's way back is hidden by its active forward always",
      tenant({ '2002': rules({ always: voicemail(), busy: ext('2001') }) }),
      rules({ busy: ext('2002') }),
    ],
    [
      "this extension's own rules are hidden by its active forward always",
      tenant({ '2002': rules({ busy: ext('2001') }) }),
      rules({ always: voicemail(), busy: ext('2002') }),
    ],
    [
      'loops only through windows that do not overlap in time (back-to-back holidays)',
      tenant({ '2002': rules({ always: within(ext('2001'), during(DEC_1, DEC_10)) }) }),
      rules({ always: within(ext('2002'), during(DEC_10, DEC_20)) }),
    ],
    [
      'a way back whose window is already over',
      tenant({ '2002': rules({ always: within(ext('2001'), during(NOV_1, NOV_20)) }) }),
      rules({ always: ext('2002') }),
    ],
    [
      'a forward that leaves the graph: nothing points back',
      tenant({ '2002': rules({ noAnswer: ext('2003') }), '2003': rules({}) }),
      rules({ noAnswer: ext('2002') }),
    ],
  ])('%s', (_rule, ruleSets, proposed) => {
    expect(findDivertLoop(ruleSets, '2001', proposed, NOW)).toBeNull();
  });
});

describe('findDivertLoop: time', () => {
  it('finds a loop that only exists later, and says from when', () => {
    const ruleSets = tenant({ '2002': rules({ always: within(ext('2001'), during(DEC_24, JAN_2)) }) });
    const loop = findDivertLoop(ruleSets, '2001', rules({ always: ext('2002') }), NOW);
    expect(loop).toEqual({ chain: ['2001', '2002', '2001'], conditions: ['always', 'always'], at: DEC_24 });
  });

  it('finds overlapping windows, even by a day', () => {
    const ruleSets = tenant({ '2002': rules({ always: within(ext('2001'), during(DEC_1, DEC_20)) }) });
    const loop = findDivertLoop(ruleSets, '2001', rules({ always: within(ext('2002'), during(DEC_10, JAN_2)) }), NOW);
    expect(loop?.at).toBe(DEC_10);
  });

  it('finds the loop that appears when the other side’s forward always ends', () => {
    // 2002 forwards everything to voicemail over the holiday, then its busy rule back to 2001 is live again.
    const ruleSets = tenant({ '2002': rules({ always: within(voicemail(), during(NOV_1, DEC_10)), busy: ext('2001') }) });
    const loop = findDivertLoop(ruleSets, '2001', rules({ busy: ext('2002') }), NOW);
    expect(loop).toEqual({ chain: ['2001', '2002', '2001'], conditions: ['busy', 'busy'], at: DEC_10 });
  });

  it('finds the loop exposed when this extension’s own forward always ends', () => {
    const ruleSets = tenant({ '2002': rules({ noAnswer: ext('2001') }) });
    const proposed = rules({ always: within(voicemail(), during(NOV_1, DEC_20)), noAnswer: ext('2002') });
    expect(findDivertLoop(ruleSets, '2001', proposed, NOW)?.at).toBe(DEC_20);
  });
});

describe('findDivertLoop: only loops the change closes', () => {
  const existingLoop = tenant({ '2001': rules({ always: ext('2002') }), '2002': rules({ always: ext('2001') }) });

  it('does not block an unrelated edit of an extension on a loop that already exists (written by racing requests)', () => {
    expect(findDivertLoop(existingLoop, '2001', rules({ always: ext('2002'), ringSeconds: 30 }), NOW)).toBeNull();
  });

  it('does not blame an extension that only feeds into an existing loop', () => {
    expect(findDivertLoop(existingLoop, '2003', rules({ always: ext('2001') }), NOW)).toBeNull();
  });

  it('refuses a new way round even when an old loop exists', () => {
    const ruleSets = tenant({ '2001': rules({ always: ext('2002') }), '2002': rules({ always: ext('2001') }), '2003': rules({ busy: ext('2001') }) });
    const proposed = rules({ always: ext('2002'), busy: ext('2003') });
    // 2001's busy edge is hidden by its forward always: still no NEW live edge, so nothing new is closed.
    expect(findDivertLoop(ruleSets, '2001', proposed, NOW)).toBeNull();
    const exposed = rules({ busy: ext('2003') });
    expect(findDivertLoop(ruleSets, '2001', exposed, NOW)).toEqual({
      chain: ['2001', '2003', '2001'],
      conditions: ['busy', 'busy'],
      at: NOW.toISOString(),
    });
  });

  it('refuses extending a window so that it overlaps the way back', () => {
    const ruleSets = tenant({
      '2001': rules({ always: within(ext('2002'), during(DEC_1, DEC_10)) }),
      '2002': rules({ always: within(ext('2001'), during(DEC_10, DEC_20)) }),
    });
    const loop = findDivertLoop(ruleSets, '2001', rules({ always: within(ext('2002'), during(DEC_1, DEC_20)) }), NOW);
    expect(loop?.at).toBe(DEC_10);
  });
});

describe('followDivertChain', () => {
  const at = NOW;
  const resolution = (
    outcome: DivertResolution['outcome'],
    hops: Array<[string, DivertCondition, string]> = [],
    stop: DivertResolution['stop'] = 'resolved',
  ): DivertResolution => ({ outcome, hops: hops.map(([from, condition, to]) => ({ from, condition, to })), stop });

  it.each<[string, Map<string, DivertRules>, string, DivertCondition, number, DivertResolution]>([
    ['a call to an extension without diverts rings it', tenant({ '2001': rules({}) }), '2001', 'always', 8, resolution({ kind: 'ring', extension: '2001', ringSeconds: null })],
    [
      'a call rings the extension for its no-answer ring time',
      tenant({ '2001': rules({ noAnswer: voicemail(), ringSeconds: 20 }) }),
      '2001',
      'always',
      8,
      resolution({ kind: 'ring', extension: '2001', ringSeconds: 20 }),
    ],
    [
      'busy to voicemail ends in the voicemail of the busy extension',
      tenant({ '2001': rules({ busy: voicemail() }) }),
      '2001',
      'busy',
      8,
      resolution({ kind: 'voicemail', extension: '2001' }),
    ],
    [
      'unreachable to an outside number',
      tenant({ '2001': rules({ unreachable: num('+447911123456') }) }),
      '2001',
      'unreachable',
      8,
      resolution({ kind: 'number', e164: '+447911123456', divertedBy: '2001' }),
    ],
    [
      'no divert for the condition: the call flow decides',
      tenant({ '2001': rules({ busy: voicemail() }) }),
      '2001',
      'noAnswer',
      8,
      resolution({ kind: 'noDivert', extension: '2001', condition: 'noAnswer' }),
    ],
    [
      'forward always chains are followed to the extension that rings',
      tenant({ '2001': rules({ always: ext('2002') }), '2002': rules({ always: ext('2003') }), '2003': rules({ noAnswer: voicemail(), ringSeconds: 15 }) }),
      '2001',
      'always',
      8,
      resolution({ kind: 'ring', extension: '2003', ringSeconds: 15 }, [
        ['2001', 'always', '2002'],
        ['2002', 'always', '2003'],
      ]),
    ],
    [
      'after a busy divert, the next extension only applies its forward always before ringing',
      tenant({ '2001': rules({ busy: ext('2002') }), '2002': rules({ always: ext('2003'), busy: voicemail() }), '2003': rules({ busy: voicemail() }) }),
      '2001',
      'busy',
      8,
      resolution({ kind: 'ring', extension: '2003', ringSeconds: null }, [
        ['2001', 'busy', '2002'],
        ['2002', 'always', '2003'],
      ]),
    ],
    [
      'the busy rule of an extension with active forward always is not taken: forward always is (hop says so)',
      tenant({ '2001': rules({ always: ext('2002'), busy: voicemail() }), '2002': rules({}) }),
      '2001',
      'busy',
      8,
      resolution({ kind: 'ring', extension: '2002', ringSeconds: null }, [['2001', 'always', '2002']]),
    ],
    [
      'a forward always outside its window is not taken',
      tenant({ '2001': rules({ always: within(ext('2002'), during(DEC_24, JAN_2)) }), '2002': rules({}) }),
      '2001',
      'always',
      8,
      resolution({ kind: 'ring', extension: '2001', ringSeconds: null }),
    ],
    [
      'a long chain under the hop limit resolves',
      alwaysChain(8),
      '2001',
      'always',
      8,
      resolution(
        { kind: 'ring', extension: '2009', ringSeconds: null },
        Array.from({ length: 8 }, (_, i): [string, DivertCondition, string] => [String(2001 + i), 'always', String(2002 + i)]),
      ),
    ],
    [
      'a chain longer than the hop limit stops at the voicemail of the extension dialled, as the router does',
      alwaysChain(12),
      '2001',
      'always',
      3,
      resolution(
        { kind: 'voicemail', extension: '2001' },
        [
          ['2001', 'always', '2002'],
          ['2002', 'always', '2003'],
          ['2003', 'always', '2004'],
        ],
        'hopLimit',
      ),
    ],
    [
      'hop limit 0: no extension hop at all',
      alwaysChain(2),
      '2001',
      'always',
      0,
      resolution({ kind: 'voicemail', extension: '2001' }, [], 'hopLimit'),
    ],
    [
      'a loop that slipped past the write check (racing writes) stops at the voicemail of the extension dialled',
      tenant({ '2001': rules({ always: ext('2002') }), '2002': rules({ always: ext('2003') }), '2003': rules({ always: ext('2001') }) }),
      '2001',
      'always',
      8,
      resolution(
        { kind: 'voicemail', extension: '2001' },
        [
          ['2001', 'always', '2002'],
          ['2002', 'always', '2003'],
        ],
        'loop',
      ),
    ],
    [
      'a chain into a removed extension ends at the voicemail of the extension that pointed there',
      tenant({ '2001': rules({ always: ext('2002') }), '2002': rules({ noAnswer: ext('2009'), always: ext('2009') }) }),
      '2001',
      'always',
      8,
      resolution({ kind: 'voicemail', extension: '2002' }, [['2001', 'always', '2002']], 'removedTarget'),
    ],
  ])('%s', (_rule, ruleSets, start, condition, hopLimit, expected) => {
    expect(followDivertChain(ruleSets, start, condition, at, hopLimit)).toEqual(expected);
  });

  it('treats extensions already visited in earlier steps of the call as a loop, ending at the first one', () => {
    // The router rang 2001, then 2002 (busy divert); 2002 does not answer and forwards back to 2001.
    const ruleSets = tenant({ '2001': rules({ busy: ext('2002') }), '2002': rules({ noAnswer: ext('2001') }) });
    expect(followDivertChain(ruleSets, '2002', 'noAnswer', at, 7, ['2001'])).toEqual(
      resolution({ kind: 'voicemail', extension: '2001' }, [], 'loop'),
    );
  });

  it('refuses to start at an extension that does not exist', () => {
    const attempt = () => followDivertChain(tenant({}), '2001', 'always', at, 8);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(expect.objectContaining({ code: DIVERT_ERRORS.UNKNOWN_EXTENSION.code, details: { extension: '2001' } }));
  });
});

describe('divertRuleSetsOf (replica + directory)', () => {
  const ruleSets = divertRuleSetsOf(tenant({ '2001': rules({ busy: voicemail() }), '2003': rules({ busy: voicemail() }) }), new Set(['2001', '2002']));

  it('answers configured rules of existing extensions', () => expect(ruleSets.get('2001')).toEqual(rules({ busy: voicemail() })));
  it('answers default rules for existing, never configured extensions', () => expect(ruleSets.get('2002')).toEqual(rules({})));
  it('answers nothing for extensions that no longer exist, even with stale rules', () => expect(ruleSets.get('2003')).toBeUndefined());

  it('lets a call ring an existing extension that was never configured', () => {
    const withForward = divertRuleSetsOf(tenant({ '2001': rules({ always: ext('2002') }) }), new Set(['2001', '2002']));
    expect(followDivertChain(withForward, '2001', 'always', NOW, 8).outcome).toEqual({ kind: 'ring', extension: '2002', ringSeconds: null });
  });
});
