// Specification of the divert contracts: stream ids, subjects, what the schemas accept and refuse, event parsing.
import {
  BulkReplaceDivertRulesRequestSchema,
  DivertRpc,
  DivertRulesSchema,
  DIVERT_EVENTS,
  EffectiveDivertResponseSchema,
  parseDivertEvent,
  ReplaceDivertRulesRequestSchema,
  SetDivertRuleRequestSchema,
  defaultDivertRules,
  exampleDivertRules,
  toDivertStreamId,
  BULK_DIVERT_MAX_ITEMS,
} from './index';

describe('toDivertStreamId', () => {
  it('is divert-{tenant}-{extension}', () => expect(toDivertStreamId('acme', '2001')).toBe('divert-acme-2001'));
  it.each([
    ['ACME', '2001'],
    ['acme.evil', '2001'],
    ['acme', '20 01'],
    ['acme', '2001-x'],
  ])('refuses tenant %j / extension %j', (tenantId, extension) => expect(() => toDivertStreamId(tenantId, extension)).toThrow());
});

describe('DivertRpc', () => {
  it('puts every endpoint on divert.{verb}, each subject once', () => {
    const subjects = Object.values(DivertRpc).map((rpc) => rpc.subject);
    expect(subjects).toEqual([
      'divert.get-rules',
      'divert.set-rule',
      'divert.clear-rule',
      'divert.replace-rules',
      'divert.bulk-replace-rules',
      'divert.effective-divert',
      'divert.list-rules',
      'divert.audit',
    ]);
  });

  it('requires the tenant and the actor on NATS requests', () => {
    const { tenantId: _t, ...withoutTenant } = DivertRpc.getRules.example.request;
    expect(DivertRpc.getRules.request.safeParse(withoutTenant).success).toBe(false);
    const { actor: _a, ...withoutActor } = DivertRpc.getRules.example.request;
    expect(DivertRpc.getRules.request.safeParse(withoutActor).success).toBe(false);
  });
});

describe('divert schemas', () => {
  it('default rules are valid stored rules: all off, 300 s', () => {
    expect(DivertRulesSchema.parse(defaultDivertRules())).toEqual({
      always: { target: { kind: 'off' }, validity: null },
      noAnswer: { target: { kind: 'off' }, validity: null, ringSeconds: 300 },
      busy: { target: { kind: 'off' }, validity: null },
      unreachable: { target: { kind: 'off' }, validity: null },
    });
  });

  it.each([
    ['a raw number where E.164 is required', { ...exampleDivertRules, busy: { target: { kind: 'number', e164: '441234567890' }, validity: null } }],
    ['a ring time out of range', { ...exampleDivertRules, noAnswer: { ...exampleDivertRules.noAnswer, ringSeconds: 601 } }],
    ['an unknown target kind', { ...exampleDivertRules, busy: { target: { kind: 'queue' }, validity: null } }],
    ['an extra field', { ...exampleDivertRules, busy: { target: { kind: 'voicemail', box: 1 }, validity: null } }],
    ['a missing condition', { always: exampleDivertRules.always, noAnswer: exampleDivertRules.noAnswer, busy: exampleDivertRules.busy }],
  ])('stored rules refuse %s', (_what, value) => expect(DivertRulesSchema.safeParse(value).success).toBe(false));

  it('a set-rule request takes a ring time for noAnswer only', () => {
    const base = { extension: '2001', target: { kind: 'voicemail' } };
    expect(SetDivertRuleRequestSchema.safeParse({ ...base, condition: 'noAnswer', ringSeconds: 20 }).success).toBe(true);
    expect(SetDivertRuleRequestSchema.safeParse({ ...base, condition: 'busy', ringSeconds: 20 }).success).toBe(false);
    expect(SetDivertRuleRequestSchema.safeParse({ ...base, condition: 'sometimes' }).success).toBe(false);
  });

  it('a set-rule request leaves the ring time range to the decider (its own error code)', () => {
    const parsed = SetDivertRuleRequestSchema.safeParse({ extension: '2001', condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds: 9000 });
    expect(parsed.success).toBe(true);
  });

  it('a request takes numbers as typed; E.164 read back from the API is valid input too', () => {
    for (const number of ['441234567890', '+441234567890', '01234 567890']) {
      const request = { extension: '2001', rules: { busy: { target: { kind: 'number', number } } } };
      expect(ReplaceDivertRulesRequestSchema.safeParse(request).success).toBe(true);
    }
  });

  it('a bulk request refuses the same extension twice, pointing at the repeat', () => {
    const item = { extension: '2001', rules: {} };
    const parsed = BulkReplaceDivertRulesRequestSchema.safeParse({ items: [item, { extension: '2002', rules: {} }, item] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([['items', 2, 'extension']]);
  });

  it('a bulk request is bounded', () => {
    const items = Array.from({ length: BULK_DIVERT_MAX_ITEMS + 1 }, (_, i) => ({ extension: String(10000 + i), rules: {} }));
    expect(BulkReplaceDivertRulesRequestSchema.safeParse({ items }).success).toBe(false);
    expect(BulkReplaceDivertRulesRequestSchema.safeParse({ items: [] }).success).toBe(false);
  });

  it('the effective-divert example is a valid response', () => {
    expect(EffectiveDivertResponseSchema.safeParse(DivertRpc.effectiveDivert.example.response).success).toBe(true);
  });
});

describe('divert events', () => {
  it('are all defined for the divert service, version 1, each type once', () => {
    expect(DIVERT_EVENTS.map((d) => [d.service, d.type, d.version])).toEqual([
      ['divert', 'DivertRuleSet', 1],
      ['divert', 'DivertRulesReplaced', 1],
      ['divert', 'DivertRuleCleared', 1],
      ['divert', 'DivertTargetOrphaned', 1],
      ['divert', 'DivertExtensionRemoved', 1],
    ]);
  });

  it.each(DIVERT_EVENTS.map((d) => [d.type, d] as const))('%s: its example parses as a received message', (_type, def) => {
    expect(parseDivertEvent({ type: def.type, version: def.version, data: def.example })).toEqual({ type: def.type, data: def.example });
  });

  it('every change event carries the complete rules (event-carried state transfer)', () => {
    for (const def of DIVERT_EVENTS.filter((d) => d.type !== 'DivertExtensionRemoved')) {
      const { rules: _rules, ...withoutRules } = def.example as { rules: unknown };
      expect(def.schema.safeParse(withoutRules).success).toBe(false);
    }
  });

  it.each([
    ['an unknown type', { type: 'DivertRuleDeleted', version: 1, data: {} }, /not a divert event type/],
    ['an unknown version', { type: 'DivertRuleSet', version: 2, data: DIVERT_EVENTS[0].example }, /not supported/],
    ['data that breaks the schema', { type: 'DivertRuleSet', version: 1, data: { extension: '2001' } }, /condition|rules/],
  ])('parseDivertEvent refuses %s (the consumer dead-letters it)', (_what, message, error) => {
    expect(() => parseDivertEvent(message)).toThrow(error);
  });
});
