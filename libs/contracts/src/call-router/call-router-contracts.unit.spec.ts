// Specification of the call-router's public contracts: subjects and stream ids, request validation at the
// edge (malformed CLI, missing call id), and event parsing for consumers.
import {
  CALL_ROUTER_EVENTS,
  CallFlowDefinitionInputSchema,
  CallProgressSchema,
  RouteRequestSchema,
  exampleCallFlow,
  parseCallRouterEvent,
  routingAgentEventSubject,
  routingEventFilter,
  routingEventSubject,
  toCallFlowStreamId,
  toCallStreamId,
} from './index';

describe('routing subjects', () => {
  it('puts tenant, dialled number digits and type in the subject', () => {
    expect(routingEventSubject('acme', '+441234567000', 'CallEnded')).toBe('routing.acme.441234567000.CallEnded');
    expect(routingEventFilter('acme')).toBe('routing.acme.*.*');
    expect(routingEventFilter('acme', '+441234567000')).toBe('routing.acme.441234567000.*');
    expect(routingEventFilter('acme', '*', 'LegAnswered')).toBe('routing.acme.*.LegAnswered');
    expect(routingAgentEventSubject('acme', '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a', 'LegRinging')).toBe(
      'routing-agent.acme.6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a.LegRinging',
    );
  });

  it.each([
    () => routingEventSubject('acme', '441234567000', 'CallEnded'),
    () => routingEventSubject('Acme Ltd', '+441234567000', 'CallEnded'),
    () => routingEventSubject('acme', '+441234567000', 'Call.Ended'),
    () => routingAgentEventSubject('acme', 'a.b', 'LegRinging'),
  ])('refuses parts that are not one subject token (%#)', (build) => {
    expect(build).toThrow();
  });

  it('builds stream ids that stay unambiguous for opaque call ids', () => {
    expect(toCallFlowStreamId('acme', '+441234567000')).toBe('callflow-acme-441234567000');
    expect(toCallStreamId('acme', 'a-b@c')).toBe('call-acme-612d624063');
  });
});

describe('RouteRequestSchema', () => {
  const request = { tenantId: 'acme', callId: 'c-1', number: '+441234567000', cli: '+447700900123' };
  it.each<[string, Record<string, unknown>, string | null]>([
    ['a real call', request, null],
    ['a withheld CLI', { ...request, cli: null }, null],
    ['a dry run without call id at an arbitrary time', { ...request, callId: undefined, dryRun: true, at: '2026-11-23T08:59:00+00:00' }, null],
    ['a malformed CLI', { ...request, cli: '07700 900123' }, 'cli'],
    ['a dialled number that is not E.164', { ...request, number: '1234' }, 'number'],
    ['a real call without call id', { ...request, callId: undefined }, 'callId'],
    ['an unknown field', { ...request, priority: 1 }, ''],
  ])('%s', (_, input, errorPath) => {
    const result = RouteRequestSchema.safeParse(input);
    expect(result.success).toBe(errorPath === null);
    if (!result.success && errorPath !== null) expect(result.error.issues[0]!.path.join('.')).toBe(errorPath);
  });
});

describe('CallProgressSchema', () => {
  it.each<[Record<string, unknown>, boolean]>([
    [{ kind: 'dtmf', digits: '1#' }, true],
    [{ kind: 'dtmf', digits: '1a' }, false],
    [{ kind: 'answered', legId: 's3.2', stepId: 's3' }, true],
    [{ kind: 'answered', legId: '3.2' }, false],
    [{ kind: 'callback-offer-ended', outcome: 'booked', bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10' }, true],
    [{ kind: 'ringing' }, false],
  ])('%j valid: %s', (event, valid) => {
    expect(CallProgressSchema.safeParse({ tenantId: 'acme', callId: 'c-1', ...event }).success).toBe(valid);
  });
});

describe('call flow input', () => {
  it('settings may be left out', () => {
    const { settings: _settings, ...withoutSettings } = exampleCallFlow;
    expect(CallFlowDefinitionInputSchema.safeParse(withoutSettings).success).toBe(true);
  });
});

describe('parseCallRouterEvent', () => {
  it.each(CALL_ROUTER_EVENTS.map((d) => [d.type, d] as const))('parses the example of %s', (_, def) => {
    expect(parseCallRouterEvent({ type: def.type, version: def.version, data: def.example })).toEqual({ type: def.type, data: def.example });
  });

  it('refuses unknown types, versions and bad data', () => {
    expect(() => parseCallRouterEvent({ type: 'CallTeleported', version: 1, data: {} })).toThrow(/not a call-router event/);
    expect(() => parseCallRouterEvent({ type: 'CallEnded', version: 2, data: {} })).toThrow(/v2 is not supported/);
    expect(() => parseCallRouterEvent({ type: 'CallEnded', version: 1, data: { callId: 'x' } })).toThrow();
  });
});
