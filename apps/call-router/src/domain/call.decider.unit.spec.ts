// Specification of a call as an event-sourced aggregate: what a routing decision records, how progress
// becomes routing events (legs, diverts, decisions, the end), and that the fold of those events is the
// state the next progress event is decided on.
import { CALL_ROUTER_ERRORS, DomainError, type CallProgress, type RoutePlan, type RoutingEvent } from '@cc/contracts';
import { decideProgress, decideRoute, foldCall, type CallRecord, type RecordedCallEvent } from './call.decider';
import { planRoute } from './route-planner';
import { agent, device, diverts, MONDAY_10, NUMBER, ringAgentFlow, TENANT, toExtension, world, type WorldInput } from './routing.fixture';

const CALL = 'c-1@carrier.test';
const at = (seconds: number) => new Date(MONDAY_10.getTime() + seconds * 1000);

type Routed = Extract<RoutePlan, { outcome: 'routed' }>;

function routed(input: WorldInput): { plan: Routed; replicas: ReturnType<typeof world> } {
  const replicas = world(input);
  const plan = planRoute({ tenantId: TENANT, callId: CALL, number: NUMBER, cli: '+447700900123', dryRun: false }, replicas, MONDAY_10);
  if (plan.outcome !== 'routed') throw new Error('not routed');
  return { plan, replicas };
}

/** The events as stored: with the envelope's tenant, time and cause. */
const stored = (events: RoutingEvent[], seconds: number, causationId: string | null = null): RecordedCallEvent[] =>
  events.map((event) => ({ ...event, tenantId: TENANT, occurredAt: at(seconds).toISOString(), causationId }) as RecordedCallEvent);

type ProgressInput = CallProgress extends infer P ? (P extends CallProgress ? Omit<P, 'tenantId' | 'callId'> : never) : never;
const progress = (p: ProgressInput): CallProgress => ({ tenantId: TENANT, callId: CALL, ...p }) as CallProgress;

function apply(record: CallRecord, history: RecordedCallEvent[], p: CallProgress, seconds: number, replicas: ReturnType<typeof world>, causationId: string | null = null) {
  const decision = decideProgress(record, p, replicas, at(seconds), causationId);
  if (decision.duplicate) return { decision, history, record };
  const next = [...history, ...stored(decision.events, seconds, causationId)];
  return { decision, history: next, record: foldCall(next) };
}

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('no error');
};

const twoAgents: WorldInput = {
  flows: [ringAgentFlow('2001')],
  agents: [agent('2001'), agent('2002')],
  devices: [device('2001', 'registered'), device('2002', 'registered')],
  diverts: { '2001': diverts({ noAnswer: toExtension('2002') }) },
};

describe('recording a routing decision', () => {
  it('records the call, the decision and the devices it rings', () => {
    const { plan } = routed(twoAgents);
    expect(decideRoute(plan, '+447700900123').map((e) => e.type)).toEqual(['CallReceived', 'RouteDecided', 'LegRinging']);
  });

  it('records a call to an unknown number as received and at once ended (rejected)', () => {
    const plan = planRoute({ tenantId: TENANT, callId: CALL, number: '+441234567999', cli: null, dryRun: false }, world({}), MONDAY_10);
    const events = decideRoute(plan, null);
    expect(events).toMatchObject([
      { type: 'CallReceived', data: { notRoutable: 'unknownNumber', flowVersion: null } },
      { type: 'CallEnded', data: { outcome: 'rejected', durationSeconds: 0 } },
    ]);
    expect(codeOf(() => decideProgress(foldCall(stored(events, 0)), progress({ kind: 'hangup' }), world({}), at(1)))).toBe(CALL_ROUTER_ERRORS.CALL_ENDED.code);
  });

  it('refuses to record a dry run (an adapter bug, not input)', () => {
    const replicas = world(twoAgents);
    const plan = planRoute({ tenantId: TENANT, callId: null, number: NUMBER, cli: null, dryRun: true }, replicas, MONDAY_10);
    expect(() => decideRoute(plan, null)).toThrow(/dry run/);
  });
});

describe('a routed call', () => {
  const start = () => {
    const { plan, replicas } = routed(twoAgents);
    const history = stored(decideRoute(plan, '+447700900123'), 0);
    return { replicas, history, record: foldCall(history) };
  };

  it('folds to the first decision, ringing since the call started', () => {
    const { record } = start();
    expect(record).toMatchObject({ status: 'tracked', call: { status: 'routing', currentStepId: 's1', flowVersion: 1 }, stepEnteredAt: at(0).toISOString() });
  });

  it('follows a no-answer divert: the leg failed, the divert to 2002 (hop 1), the decision, 2002 ringing', () => {
    const { replicas, history, record } = start();
    const { decision, record: after } = apply(record, history, progress({ kind: 'no-answer', legId: 's1.1' }), 20, replicas);
    expect(decision.duplicate).toBe(false);
    if (decision.duplicate) return;
    expect(decision.events.map((e) => e.type)).toEqual(['LegFailed', 'Diverted', 'RouteDecided', 'LegRinging']);
    expect(decision.events[0]).toMatchObject({ data: { reason: 'noAnswer', ringSeconds: 20, leg: { extension: '2001' } } });
    expect(decision.events[1]).toMatchObject({ data: { fromExtension: '2001', condition: 'noAnswer', to: { kind: 'extension', extension: '2002' }, hop: 1 } });
    expect(after).toMatchObject({ status: 'tracked', divertHops: 1, stepEnteredAt: at(20).toISOString() });
  });

  it('records who answered and how long it rang; the hang-up ends it with the talk time', () => {
    const { replicas, history, record } = start();
    const answered = apply(record, history, progress({ kind: 'answered', legId: 's1.1' }), 7, replicas);
    expect(answered.decision).toMatchObject({ duplicate: false, events: [{ type: 'LegAnswered', data: { ringSeconds: 7, leg: { extension: '2001' } } }] });
    const ended = apply(answered.record, answered.history, progress({ kind: 'hangup' }), 67, replicas);
    expect(ended.decision).toMatchObject({
      events: [{ type: 'CallEnded', data: { outcome: 'answered', durationSeconds: 67, talkSeconds: 60, answeredBy: agent('2001').agentId } }],
    });
    expect(codeOf(() => decideProgress(ended.record, progress({ kind: 'hangup' }), replicas, at(70)))).toBe(CALL_ROUTER_ERRORS.CALL_ENDED.code);
  });

  it('applies an event the reporter sends twice (same id) once', () => {
    const { replicas, history, record } = start();
    const first = apply(record, history, progress({ kind: 'no-answer' }), 20, replicas, 'edge-event-1');
    expect(first.decision.duplicate).toBe(false);
    expect(decideProgress(first.record, progress({ kind: 'no-answer' }), replicas, at(21), 'edge-event-1')).toEqual({ duplicate: true });
  });

  it('asks which leg answered when several devices ring', () => {
    const input: WorldInput = { ...twoAgents, agents: [agent('2001', { ringPreference: { kind: 'simultaneous' } }), agent('2002')] };
    const { plan, replicas } = routed(input);
    const record = foldCall(stored(decideRoute(plan, null), 0));
    expect(codeOf(() => decideProgress(record, progress({ kind: 'answered' }), replicas, at(3)))).toBe(CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS.code);
    expect(decideProgress(record, progress({ kind: 'answered', legId: 's1.2' }), replicas, at(3))).toMatchObject({
      events: [{ type: 'LegAnswered', data: { leg: { kind: 'number', role: 'mobile' } } }],
    });
  });

  it('refuses progress for a call it never recorded', () => {
    expect(codeOf(() => decideProgress(foldCall([]), progress({ kind: 'hangup' }), world({}), at(1)))).toBe(CALL_ROUTER_ERRORS.UNKNOWN_CALL.code);
  });
});
