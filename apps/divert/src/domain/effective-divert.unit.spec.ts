// Specification of what an extension's diverts do at one instant (windows, forward-always precedence).
import type { DivertCondition, DivertRules } from '@cc/contracts';
import { ext, during, num, off, rules, voicemail, within } from './divert-rules.fixture';
import { activeForwards, effectiveDivert, effectiveDivertView, isWithinValidity, type EffectiveDivert } from './effective-divert';

const AT = new Date('2026-12-28T12:00:00.000Z');
const HOLIDAY = during('2026-12-24T00:00:00.000Z', '2027-01-02T00:00:00.000Z');
const LAST_MONTH = during('2026-11-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z');

describe('effectiveDivert', () => {
  it.each<[string, DivertRules, DivertCondition, EffectiveDivert]>([
    ['an unconfigured extension rings and diverts nowhere', rules({}), 'always', { rings: true, appliedCondition: 'always', target: off(), ringSeconds: null }],
    ['an unconfigured extension has no busy divert', rules({}), 'busy', { rings: true, appliedCondition: 'busy', target: off(), ringSeconds: null }],
    ['forward always means the phone does not ring', rules({ always: ext('2002') }), 'always', { rings: false, appliedCondition: 'always', target: ext('2002') }],
    [
      'forward always wins over the busy rule (the phone is never tried)',
      rules({ always: voicemail(), busy: ext('2003') }),
      'busy',
      { rings: false, appliedCondition: 'always', target: voicemail() },
    ],
    [
      'forward always wins over no-answer',
      rules({ always: num('+441234567890'), noAnswer: ext('2003'), ringSeconds: 20 }),
      'noAnswer',
      { rings: false, appliedCondition: 'always', target: num('+441234567890') },
    ],
    [
      'forward always inside its window applies',
      rules({ always: within(ext('2002'), HOLIDAY) }),
      'unreachable',
      { rings: false, appliedCondition: 'always', target: ext('2002') },
    ],
    [
      'forward always outside its window is off: the phone rings and the condition rule applies',
      rules({ always: within(ext('2002'), LAST_MONTH), busy: voicemail() }),
      'busy',
      { rings: true, appliedCondition: 'busy', target: voicemail(), ringSeconds: null },
    ],
    [
      'a busy rule outside its window is off',
      rules({ busy: within(ext('2002'), LAST_MONTH) }),
      'busy',
      { rings: true, appliedCondition: 'busy', target: off(), ringSeconds: null },
    ],
    [
      'the no-answer ring time is reported while the no-answer divert applies',
      rules({ noAnswer: ext('2002'), ringSeconds: 20 }),
      'unreachable',
      { rings: true, appliedCondition: 'unreachable', target: off(), ringSeconds: 20 },
    ],
    [
      'no ring time when the no-answer divert is outside its window (the call flow decides how long)',
      rules({ noAnswer: within(ext('2002'), LAST_MONTH), ringSeconds: 20 }),
      'noAnswer',
      { rings: true, appliedCondition: 'noAnswer', target: off(), ringSeconds: null },
    ],
    [
      'unreachable rule applies to unreachable',
      rules({ unreachable: num('+447911123456') }),
      'unreachable',
      { rings: true, appliedCondition: 'unreachable', target: num('+447911123456'), ringSeconds: null },
    ],
  ])('%s', (_rule, given, condition, expected) => {
    expect(effectiveDivert(given, condition, AT)).toEqual(expected);
  });
});

describe('validity windows are half-open [from, to)', () => {
  const rule = within(voicemail(), during('2026-12-24T00:00:00.000Z', '2027-01-02T00:00:00.000Z'));
  it.each([
    ['2026-12-23T23:59:59.999Z', false],
    ['2026-12-24T00:00:00.000Z', true],
    ['2027-01-01T23:59:59.999Z', true],
    ['2027-01-02T00:00:00.000Z', false],
  ])('at %s valid: %s', (at, expected) => expect(isWithinValidity(rule, new Date(at))).toBe(expected));

  it('compares instants, not text: a window given with an offset covers the same instants', () => {
    const withOffset = within(voicemail(), during('2026-12-24T01:00:00+01:00', '2027-01-02T01:00:00+01:00'));
    expect(isWithinValidity(withOffset, new Date('2026-12-24T00:00:00.000Z'))).toBe(true);
    expect(isWithinValidity(withOffset, new Date('2027-01-02T00:00:00.000Z'))).toBe(false);
  });
});

describe('effectiveDivertView', () => {
  it('shows every condition of a ringing extension', () => {
    const view = effectiveDivertView(rules({ noAnswer: ext('2002'), busy: voicemail(), ringSeconds: 25 }), AT);
    expect(view).toEqual({
      rings: true,
      ringSeconds: 25,
      targets: { always: off(), noAnswer: ext('2002'), busy: voicemail(), unreachable: off() },
    });
  });

  it('shows the always target for every condition while forward always is active', () => {
    const view = effectiveDivertView(rules({ always: within(ext('2002'), HOLIDAY), busy: voicemail(), noAnswer: ext('2003') }), AT);
    expect(view).toEqual({
      rings: false,
      ringSeconds: null,
      targets: { always: ext('2002'), noAnswer: ext('2002'), busy: ext('2002'), unreachable: ext('2002') },
    });
  });
});

describe('activeForwards (the edges of the divert graph at an instant)', () => {
  it.each<[string, DivertRules, Array<{ condition: DivertCondition; to: string }>]>([
    ['no diverts, no edges', rules({}), []],
    [
      'every condition that forwards to an extension is an edge',
      rules({ noAnswer: ext('2002'), busy: ext('2003'), unreachable: ext('2002') }),
      [
        { condition: 'noAnswer', to: '2002' },
        { condition: 'busy', to: '2003' },
        { condition: 'unreachable', to: '2002' },
      ],
    ],
    ['voicemail and numbers leave the graph', rules({ noAnswer: voicemail(), busy: num('+441234567890') }), []],
    ['an active forward always is the only edge', rules({ always: ext('2004'), busy: ext('2003') }), [{ condition: 'always', to: '2004' }]],
    ['an active forward always to voicemail hides every other edge', rules({ always: voicemail(), busy: ext('2003') }), []],
    [
      'a forward always outside its window hides nothing',
      rules({ always: within(ext('2004'), LAST_MONTH), busy: ext('2003') }),
      [{ condition: 'busy', to: '2003' }],
    ],
    ['a rule outside its window is no edge', rules({ busy: within(ext('2003'), LAST_MONTH) }), []],
  ])('%s', (_rule, given, expected) => expect(activeForwards(given, AT)).toEqual(expected));
});
