// Specification of the divert aggregate: given these events, when this command, then these events or this error.
import {
  DIVERT_ERRORS,
  DomainError,
  foldEvents,
  parseDivertEvent,
  RING_SECONDS_DEFAULT,
  type DivertEvent,
  type DivertRules,
  type EventEnvelope,
} from '@cc/contracts';
import {
  decide,
  divertDecider,
  evolve,
  initialState,
  type ClearDivertRule,
  type DivertCommand,
  type DivertState,
  type MarkTargetOrphaned,
  type RemoveExtensionDiverts,
  type ReplaceDivertRules,
  type SetDivertRule,
} from './divert.decider';
import { during, ext, num, rules, tenant, voicemail, within } from './divert-rules.fixture';
import type { DivertRuleChange } from './normalise-divert-rules';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const KNOWN = new Set(['2001', '2002', '2003', '2004']);
const HOLIDAY = during('2026-12-24T00:00:00.000Z', '2027-01-02T00:00:00.000Z');

const edit = { extension: '2001', now: NOW, reason: null, knownExtensions: KNOWN, ruleSets: tenant({}) };
const setRule = (change: DivertRuleChange, over: Partial<SetDivertRule> = {}): SetDivertRule =>
  ({ type: 'SetDivertRule', ...edit, defaultCountry: 'GB', ...change, ...over }) as SetDivertRule;
const clearRule = (condition: ClearDivertRule['condition'], over: Partial<ClearDivertRule> = {}): ClearDivertRule => ({
  type: 'ClearDivertRule',
  ...edit,
  condition,
  ...over,
});
const replaceRules = (input: ReplaceDivertRules['rules'], over: Partial<ReplaceDivertRules> = {}): ReplaceDivertRules => ({
  type: 'ReplaceDivertRules',
  ...edit,
  defaultCountry: 'GB',
  rules: input,
  ...over,
});
const markOrphaned = (removedExtension: string): MarkTargetOrphaned => ({
  type: 'MarkTargetOrphaned',
  extension: '2001',
  now: NOW,
  reason: `extension ${removedExtension} removed`,
  removedExtension,
});
const removeExtension = (): RemoveExtensionDiverts => ({ type: 'RemoveExtensionDiverts', extension: '2001', now: NOW, reason: 'agent left' });

const configured = (r: DivertRules): DivertEvent => ({ type: 'DivertRulesReplaced', data: { extension: '2001', changedConditions: ['busy'], rules: r, reason: null } });
const removed = (): DivertEvent => ({ type: 'DivertExtensionRemoved', data: { extension: '2001', reason: null } });

const given = (...events: DivertEvent[]): DivertState => foldEvents(divertDecider, events);

/** Runs the command; every emitted event must also satisfy its published contract. */
function when(state: DivertState, command: DivertCommand): DivertEvent[] {
  const events = decide(command, state);
  for (const event of events) expect(parseDivertEvent({ type: event.type, version: 1, data: event.data })).toEqual(event);
  return events;
}

function refusal(state: DivertState, command: DivertCommand): DomainError {
  try {
    decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the command to be refused');
}

describe('divert decider', () => {
  describe('given an unconfigured extension', () => {
    const state = given();

    it('sets one rule and carries the complete resulting rules', () => {
      expect(when(state, setRule({ condition: 'busy', target: { kind: 'voicemail' } }, { reason: 'on the phone a lot' }))).toEqual([
        { type: 'DivertRuleSet', data: { extension: '2001', condition: 'busy', rules: rules({ busy: voicemail() }), reason: 'on the phone a lot' } },
      ]);
    });

    it.each([
      ['441234567890', '+441234567890'],
      ['+44 1234 567890', '+441234567890'],
      ['01234 567890', '+441234567890'],
    ])('normalises the number %j to %s', (typed, e164) => {
      const [event] = when(state, setRule({ condition: 'unreachable', target: { kind: 'number', number: typed } }));
      expect(event?.data).toMatchObject({ rules: { unreachable: { target: { kind: 'number', e164 } } } });
    });

    it('defaults the no-answer ring time to 300 s', () => {
      const [event] = when(state, setRule({ condition: 'noAnswer', target: { kind: 'extension', extension: '2002' } }));
      expect(event?.data).toMatchObject({ rules: { noAnswer: { ringSeconds: RING_SECONDS_DEFAULT } } });
    });

    it.each([5, 20, 600])('accepts a ring time of %i s', (ringSeconds) => {
      const [event] = when(state, setRule({ condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds }));
      expect(event?.data).toMatchObject({ rules: { noAnswer: { ringSeconds } } });
    });

    it('stores a validity window in UTC', () => {
      const validity = { from: '2026-12-24T08:00:00+01:00', to: '2027-01-02T08:00:00+01:00' };
      const [event] = when(state, setRule({ condition: 'always', target: { kind: 'extension', extension: '2002' }, validity }));
      expect(event?.data).toMatchObject({ rules: { always: { validity: during('2026-12-24T07:00:00.000Z', '2027-01-02T07:00:00.000Z') } } });
    });

    it('drops a window given with an "off" target (off inside, off outside)', () => {
      expect(when(state, setRule({ condition: 'busy', target: { kind: 'off' }, validity: HOLIDAY }))).toEqual([]);
    });

    it('accepts a window that has already started but not ended', () => {
      const validity = during('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');
      expect(when(state, setRule({ condition: 'busy', target: { kind: 'voicemail' }, validity }))).toHaveLength(1);
    });

    it.each<[string, DivertRuleChange, Partial<SetDivertRule>, string, string[]]>([
      ['a divert to itself', { condition: 'busy', target: { kind: 'extension', extension: '2001' } }, {}, DIVERT_ERRORS.TARGET_IS_SELF.code, ['rules.busy.target.extension']],
      ['a divert to an unknown extension', { condition: 'noAnswer', target: { kind: 'extension', extension: '2999' } }, {}, DIVERT_ERRORS.UNKNOWN_EXTENSION.code, ['rules.noAnswer.target.extension']],
      ['rules of an extension the directory does not know', { condition: 'busy', target: { kind: 'voicemail' } }, { extension: '2999' }, DIVERT_ERRORS.UNKNOWN_EXTENSION.code, ['extension']],
      ['a number that is not a number', { condition: 'unreachable', target: { kind: 'number', number: 'my mobile' } }, {}, DIVERT_ERRORS.INVALID_NUMBER.code, ['rules.unreachable.target.number']],
      ['a number that does not exist', { condition: 'unreachable', target: { kind: 'number', number: '4412345' } }, {}, DIVERT_ERRORS.INVALID_NUMBER.code, ['rules.unreachable.target.number']],
      ['a premium-rate number (toll fraud)', { condition: 'always', target: { kind: 'number', number: '09065 000000' } }, {}, DIVERT_ERRORS.NUMBER_NOT_ALLOWED.code, ['rules.always.target.number']],
      ['a ring time under 5 s', { condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds: 4 }, {}, DIVERT_ERRORS.RING_TIME_OUT_OF_RANGE.code, ['rules.noAnswer.ringSeconds']],
      ['a ring time over 600 s', { condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds: 601 }, {}, DIVERT_ERRORS.RING_TIME_OUT_OF_RANGE.code, ['rules.noAnswer.ringSeconds']],
      ['a fractional ring time', { condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds: 20.5 }, {}, DIVERT_ERRORS.RING_TIME_OUT_OF_RANGE.code, ['rules.noAnswer.ringSeconds']],
      [
        'a window that ends before it starts',
        { condition: 'busy', target: { kind: 'voicemail' }, validity: during('2027-01-02T00:00:00Z', '2026-12-24T00:00:00Z') },
        {},
        DIVERT_ERRORS.INVALID_VALIDITY_WINDOW.code,
        ['rules.busy.validity.to'],
      ],
      [
        'an empty window (end = start)',
        { condition: 'busy', target: { kind: 'voicemail' }, validity: during('2026-12-24T00:00:00Z', '2026-12-24T01:00:00+01:00') },
        {},
        DIVERT_ERRORS.INVALID_VALIDITY_WINDOW.code,
        ['rules.busy.validity.to'],
      ],
      [
        'a window that is not made of instants',
        { condition: 'busy', target: { kind: 'voicemail' }, validity: during('christmas', '2026-12-24T01:00:00Z') },
        {},
        DIVERT_ERRORS.INVALID_VALIDITY_WINDOW.code,
        ['rules.busy.validity.from'],
      ],
      [
        'a window that is already over',
        { condition: 'busy', target: { kind: 'voicemail' }, validity: during('2026-11-01T00:00:00Z', NOW.toISOString()) },
        {},
        DIVERT_ERRORS.VALIDITY_WINDOW_ENDED.code,
        ['rules.busy.validity.to'],
      ],
    ])('refuses %s', (_rule, change, over, code, paths) => {
      const error = refusal(state, setRule(change, over));
      expect(error.code).toBe(code);
      expect(error.errors.map((e) => e.path)).toEqual(paths);
      expect(error.message.length).toBeGreaterThan(0);
    });

    it('maps each refusal to its HTTP kind', () => {
      expect(refusal(state, setRule({ condition: 'busy', target: { kind: 'extension', extension: '2999' } })).kind).toBe('not_found');
      expect(refusal(state, setRule({ condition: 'busy', target: { kind: 'extension', extension: '2001' } })).kind).toBe('validation');
    });

    it('lists every violation of a replace at once, with each code', () => {
      const error = refusal(
        state,
        replaceRules({
          always: { target: { kind: 'extension', extension: '2001' } },
          noAnswer: { target: { kind: 'voicemail' }, ringSeconds: 1000 },
          busy: { target: { kind: 'number', number: 'abc' } },
          unreachable: { target: { kind: 'extension', extension: '2999' } },
        }),
      );
      expect(error.code).toBe(DIVERT_ERRORS.TARGET_IS_SELF.code);
      expect(error.message).toMatch(/and 3 more/);
      expect(error.details).toEqual({
        violations: [
          { code: DIVERT_ERRORS.TARGET_IS_SELF.code, path: 'rules.always.target.extension' },
          { code: DIVERT_ERRORS.INVALID_NUMBER.code, path: 'rules.busy.target.number' },
          { code: DIVERT_ERRORS.UNKNOWN_EXTENSION.code, path: 'rules.unreachable.target.extension' },
          { code: DIVERT_ERRORS.RING_TIME_OUT_OF_RANGE.code, path: 'rules.noAnswer.ringSeconds' },
        ],
      });
    });

    it('replaces all rules, naming the conditions that changed', () => {
      const events = when(
        state,
        replaceRules({ noAnswer: { target: { kind: 'extension', extension: '2002' }, ringSeconds: 20 }, busy: { target: { kind: 'voicemail' } } }),
      );
      expect(events).toEqual([
        {
          type: 'DivertRulesReplaced',
          data: { extension: '2001', changedConditions: ['noAnswer', 'busy'], rules: rules({ noAnswer: ext('2002'), busy: voicemail(), ringSeconds: 20 }), reason: null },
        },
      ]);
    });

    it.each<[string, DivertCommand]>([
      ['setting a rule to off', setRule({ condition: 'always', target: { kind: 'off' } })],
      ['setting the default ring time with no divert', setRule({ condition: 'noAnswer', target: { kind: 'off' }, ringSeconds: 300 })],
      ['replacing with nothing (all off)', replaceRules({})],
      ['clearing a rule', clearRule('busy')],
      ['orphaning a target it never had', markOrphaned('2002')],
      ['removing the extension', removeExtension()],
    ])('writes nothing for a no-op: %s', (_rule, command) => {
      expect(when(state, command)).toEqual([]);
    });

    it('refuses a divert that would close a loop, with the chain', () => {
      const ruleSets = tenant({ '2002': rules({ busy: ext('2003') }), '2003': rules({ always: ext('2001') }) });
      const error = refusal(state, setRule({ condition: 'noAnswer', target: { kind: 'extension', extension: '2002' } }, { ruleSets }));
      expect(error.code).toBe('DIVERT.LOOP');
      expect(error.kind).toBe('conflict');
      expect(error.errors.map((e) => e.path)).toEqual(['rules.noAnswer.target.extension']);
      expect(error.details).toEqual({ chain: ['2001', '2002', '2003', '2001'], conditions: ['noAnswer', 'busy', 'always'], at: NOW.toISOString() });
    });
  });

  describe('given a configured extension', () => {
    const current = rules({ noAnswer: ext('2002'), ringSeconds: 20, busy: within(ext('2003'), HOLIDAY), unreachable: num('+447911123456') });
    const state = given(configured(current));

    it('changes one rule and keeps the others', () => {
      const [event] = when(state, setRule({ condition: 'always', target: { kind: 'voicemail' } }));
      expect(event).toEqual({ type: 'DivertRuleSet', data: { extension: '2001', condition: 'always', rules: { ...current, always: { target: voicemail(), validity: null } }, reason: null } });
    });

    it('keeps the current ring time when a no-answer change leaves it out', () => {
      const [event] = when(state, setRule({ condition: 'noAnswer', target: { kind: 'voicemail' } }));
      expect(event?.data).toMatchObject({ rules: { noAnswer: { target: voicemail(), ringSeconds: 20 } } });
    });

    it.each<[string, DivertCommand]>([
      ['the same target again', setRule({ condition: 'noAnswer', target: { kind: 'extension', extension: '2002' } })],
      ['the same ring time again', setRule({ condition: 'noAnswer', target: { kind: 'extension', extension: '2002' }, ringSeconds: 20 })],
      [
        'the same window written in another offset',
        setRule({ condition: 'busy', target: { kind: 'extension', extension: '2003' }, validity: during('2026-12-24T01:00:00+01:00', '2027-01-02T01:00:00+01:00') }),
      ],
      ['the same number typed differently', setRule({ condition: 'unreachable', target: { kind: 'number', number: '07911 123456' } })],
      [
        'the same rules as a replace',
        replaceRules({
          noAnswer: { target: { kind: 'extension', extension: '2002' }, ringSeconds: 20 },
          busy: { target: { kind: 'extension', extension: '2003' }, validity: HOLIDAY },
          unreachable: { target: { kind: 'number', number: '447911123456' } },
        }),
      ],
      ['clearing a rule that is off', clearRule('always')],
      ['orphaning an extension no rule points to', markOrphaned('2004')],
    ])('writes nothing for a no-op: %s', (_rule, command) => {
      expect(when(state, command)).toEqual([]);
    });

    it('recognises a no-op against rules read back with keys reordered and offsets (as jsonb returns them)', () => {
      const stored = JSON.parse(
        '{"busy":{"validity":{"to":"2027-01-02T01:00:00+01:00","from":"2026-12-24T01:00:00+01:00"},"target":{"extension":"2003","kind":"extension"}},' +
          '"always":{"target":{"kind":"off"},"validity":null},"noAnswer":{"ringSeconds":20,"target":{"kind":"extension","extension":"2002"},"validity":null},' +
          '"unreachable":{"target":{"e164":"+447911123456","kind":"number"},"validity":null}}',
      ) as DivertRules;
      expect(when(given(configured(stored)), setRule({ condition: 'busy', target: { kind: 'extension', extension: '2003' }, validity: HOLIDAY }))).toEqual([]);
    });

    it('clears a rule to off', () => {
      expect(when(state, clearRule('unreachable', { reason: 'back in the office' }))).toEqual([
        {
          type: 'DivertRuleCleared',
          data: { extension: '2001', condition: 'unreachable', rules: { ...current, unreachable: { target: { kind: 'off' }, validity: null } }, reason: 'back in the office' },
        },
      ]);
    });

    it('clearing no-answer also puts the ring time back to the default', () => {
      const [event] = when(state, clearRule('noAnswer'));
      expect(event?.data).toMatchObject({ rules: { noAnswer: { target: { kind: 'off' }, validity: null, ringSeconds: RING_SECONDS_DEFAULT } } });
    });

    it('replace turns off the conditions it leaves out', () => {
      const [event] = when(state, replaceRules({ always: { target: { kind: 'voicemail' } } }));
      expect(event).toEqual({
        type: 'DivertRulesReplaced',
        data: { extension: '2001', changedConditions: ['always', 'noAnswer', 'busy', 'unreachable'], rules: rules({ always: voicemail() }), reason: null },
      });
    });

    it('refuses a forward always that closes a loop', () => {
      const ruleSets = tenant({ '2001': current, '2002': rules({ always: ext('2001') }) });
      const error = refusal(state, setRule({ condition: 'always', target: { kind: 'extension', extension: '2002' } }, { ruleSets }));
      expect(error.details).toMatchObject({ chain: ['2001', '2002', '2001'], conditions: ['always', 'always'] });
    });

    it('refuses clearing a forward always when that exposes a loop through the other rules', () => {
      const withAlways = { ...current, always: { target: voicemail(), validity: null } };
      const ruleSets = tenant({ '2001': withAlways, '2002': rules({ always: ext('2001') }) });
      const error = refusal(given(configured(withAlways)), clearRule('always', { ruleSets }));
      expect(error.code).toBe('DIVERT.LOOP');
      expect(error.details).toMatchObject({ chain: ['2001', '2002', '2001'], conditions: ['noAnswer', 'always'] });
    });

    it('judges "closed by this change" against its own state, not a lagging read model', () => {
      // A loop 2001 <-> 2002 slipped in through racing writes; the read model has not caught up with 2001 yet.
      const own = rules({ always: ext('2002') });
      const staleReadModel = tenant({ '2002': rules({ always: ext('2001') }) });
      const events = when(given(configured(own)), setRule({ condition: 'noAnswer', target: { kind: 'off' }, ringSeconds: 30 }, { ruleSets: staleReadModel }));
      expect(events).toHaveLength(1);
    });

    it('refuses changes once the directory no longer knows the extension', () => {
      const error = refusal(state, clearRule('busy', { knownExtensions: new Set(['2002']) }));
      expect(error.code).toBe(DIVERT_ERRORS.UNKNOWN_EXTENSION.code);
      expect(error.errors).toEqual([{ path: 'extension', message: 'extension 2001 does not exist' }]);
    });

    it('sends the rules that pointed at a removed extension to voicemail, keeping their windows', () => {
      const pointing = rules({ noAnswer: ext('2003'), busy: within(ext('2003'), HOLIDAY), unreachable: ext('2002'), ringSeconds: 20 });
      expect(when(given(configured(pointing)), markOrphaned('2003'))).toEqual([
        {
          type: 'DivertTargetOrphaned',
          data: {
            extension: '2001',
            removedExtension: '2003',
            conditions: ['noAnswer', 'busy'],
            rules: rules({ noAnswer: voicemail(), busy: within(voicemail(), HOLIDAY), unreachable: ext('2002'), ringSeconds: 20 }),
            reason: 'extension 2003 removed',
          },
        },
      ]);
    });

    it('removes the extension’s diverts when the extension is removed', () => {
      expect(when(state, removeExtension())).toEqual([{ type: 'DivertExtensionRemoved', data: { extension: '2001', reason: 'agent left' } }]);
    });
  });

  describe('given a removed extension', () => {
    const state = given(configured(rules({ busy: voicemail(), unreachable: ext('2002') })), removed());

    it('starts from default rules when the extension number is created again', () => {
      expect(when(state, setRule({ condition: 'busy', target: { kind: 'extension', extension: '2002' } }))).toEqual([
        { type: 'DivertRuleSet', data: { extension: '2001', condition: 'busy', rules: rules({ busy: ext('2002') }), reason: null } },
      ]);
    });

    it('refuses changes while the directory does not know the extension', () => {
      const error = refusal(state, setRule({ condition: 'busy', target: { kind: 'voicemail' } }, { knownExtensions: new Set(['2002']) }));
      expect(error.code).toBe(DIVERT_ERRORS.UNKNOWN_EXTENSION.code);
    });

    it.each<[string, DivertCommand]>([
      ['orphaning a target', markOrphaned('2002')],
      ['removing it again', removeExtension()],
      ['clearing a rule', clearRule('busy')],
    ])('writes nothing for %s', (_rule, command) => {
      expect(when(state, command)).toEqual([]);
    });
  });

  describe('evolve', () => {
    it('starts unconfigured', () => expect(initialState()).toEqual({ status: 'unconfigured' }));

    it.each<[string, DivertEvent]>([
      ['DivertRuleSet', { type: 'DivertRuleSet', data: { extension: '2001', condition: 'busy', rules: rules({ busy: voicemail() }), reason: null } }],
      ['DivertRulesReplaced', configured(rules({ busy: voicemail() }))],
      ['DivertRuleCleared', { type: 'DivertRuleCleared', data: { extension: '2001', condition: 'always', rules: rules({ busy: voicemail() }), reason: null } }],
      [
        'DivertTargetOrphaned',
        { type: 'DivertTargetOrphaned', data: { extension: '2001', removedExtension: '2003', conditions: ['busy'], rules: rules({ busy: voicemail() }), reason: null } },
      ],
    ])('%s makes the carried rules the state, whatever came before', (_type, event) => {
      const before = given(configured(rules({ always: ext('2004') })));
      expect(evolve(before, event)).toEqual({ status: 'configured', extension: '2001', rules: rules({ busy: voicemail() }) });
    });

    it('DivertExtensionRemoved makes it removed', () => {
      expect(evolve(given(configured(rules({}))), removed())).toEqual({ status: 'removed', extension: '2001' });
    });

    it('folds stored envelopes as they come from the event store', () => {
      const envelopes: EventEnvelope[] = [
        {
          id: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
          type: 'DivertRuleSet',
          version: 1,
          tenantId: 'acme',
          occurredAt: NOW.toISOString(),
          correlationId: 'c-1',
          causationId: null,
          actor: 'user:admin@acme.test',
          data: { extension: '2001', condition: 'busy', rules: rules({ busy: voicemail() }), reason: null },
        },
      ];
      const events = envelopes.map(parseDivertEvent);
      expect(foldEvents(divertDecider, events)).toEqual({ status: 'configured', extension: '2001', rules: rules({ busy: voicemail() }) });
    });
  });
});
