// Specification of call progress: how answered / no-answer / busy / unreachable / DTMF / timeouts /
// offer outcomes / hang-ups move a call through its plan, with the flow version it started with.
import { CALL_ROUTER_ERRORS, DomainError, type CallFlowDefinition, type CallProgress, type CallProgressReply } from '@cc/contracts';
import { advance, type Advance } from './call-progress';
import { startCall, type CallState, type RoutingCall } from './call-state';
import { planRoute } from './route-planner';
import { MONDAY_10, NUMBER, TENANT, agent, agentIdOf, callSlot, describeSteps, device, flow, world, type WorldInput } from './routing.fixture';

const CALL = 'a84b4c76e66710@pbx.acme.test';
const later = (seconds: number): Date => new Date(MONDAY_10.getTime() + seconds * 1000);

const ivr = (salesNode: string): CallFlowDefinition =>
  flow(
    {
      welcome: {
        type: 'menu',
        prompt: { kind: 'tts', text: 'Press 1 for sales, 2 for support', language: 'en-GB' },
        options: { '1': salesNode, '2': 'support' },
        timeoutSeconds: 5,
        invalidRetries: 1,
        default: 'support',
      },
      sales: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'cb', onBusy: 'busy-vm' },
      cb: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'support', onDeclined: 'bye' },
      support: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'support' } },
      'busy-vm': { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'busy' } },
      bye: { type: 'hangup' },
    },
    'welcome',
  );

const WORLD: WorldInput = {
  flows: [ivr('sales')],
  agents: [agent('2001')],
  devices: [device('2001', 'registered')],
  callSlots: [{ definition: callSlot() }],
};

function start(input: WorldInput = WORLD): RoutingCall {
  const plan = planRoute({ tenantId: TENANT, callId: CALL, number: NUMBER, cli: '+447700900123', dryRun: false }, world(input), MONDAY_10);
  if (plan.outcome !== 'routed') throw new Error('not routed');
  return startCall(plan, '+447700900123');
}

const progress = (p: Record<string, unknown> & { kind: CallProgress['kind'] }): CallProgress => ({ tenantId: TENANT, callId: CALL, ...p }) as CallProgress;

/** Applies the events in turn, each a second apart; returns every step of the way. */
function drive(state: CallState, events: CallProgress[], input: WorldInput = WORLD): Advance[] {
  const r = world(input);
  const out: Advance[] = [];
  events.forEach((event, i) => {
    const next = advance(state, event, r, later(i + 1));
    out.push(next);
    state = next.state;
  });
  return out;
}
const last = (advances: Advance[]): Advance => advances[advances.length - 1]!;
const decisionLines = (reply: CallProgressReply): string[] => (reply.outcome === 'continue' ? describeSteps(reply.decision.steps) : [reply.outcome]);

function expectError(run: () => unknown, code: string, details: Record<string, unknown> = {}): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, details: expect.objectContaining(details) });
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('advance', () => {
  it('a new call starts at the plan’s first step with the flow version it was routed with', () => {
    expect(start()).toMatchObject({ status: 'routing', currentStepId: 's1', flowVersion: 1, nextStepSeq: 2, cli: '+447700900123', startedAt: MONDAY_10.toISOString() });
  });

  it('a dry run does not start a call', () => {
    const plan = planRoute({ tenantId: TENANT, callId: null, number: NUMBER, cli: null, dryRun: true }, world(WORLD), MONDAY_10);
    expect(() => plan.outcome === 'routed' && startCall(plan, null)).toThrow(/dry run/);
  });

  describe('menus', () => {
    it.each<[string, CallProgress[], string[], string[]]>([
      ['key 1 plans the sales branch lazily', [progress({ kind: 'dtmf', digits: '1' })], ['s2 ring 2001 30s na=s3 b=s4 u=s3', 's3 offer support-uk', 's4 vm group:busy'], ['menu.option', 'agent.withinHours', 'agent.ringPreference', 'flow.edge', 'callback.offerable', 'flow.edge', 'flow.edge']],
      ['only the first key of several counts', [progress({ kind: 'dtmf', digits: '2#' })], ['s2 vm group:support'], ['menu.option']],
      ['an invalid key replays the menu as a new step', [progress({ kind: 'dtmf', digits: '9' })], ['s2 menu welcome #1'], ['menu.invalid']],
      ['no key replays the menu', [progress({ kind: 'input-timeout' })], ['s2 menu welcome #1'], ['menu.timeout']],
      ['after the retries an invalid key goes to the default', [progress({ kind: 'dtmf', digits: '9' }), progress({ kind: 'dtmf', digits: '*' })], ['s3 vm group:support'], ['menu.default']],
      ['after the retries a timeout goes to the default', [progress({ kind: 'input-timeout' }), progress({ kind: 'input-timeout' })], ['s3 vm group:support'], ['menu.default']],
      ['a replayed menu still takes a valid key', [progress({ kind: 'input-timeout' }), progress({ kind: 'dtmf', digits: '2' })], ['s3 vm group:support'], ['menu.option']],
    ])('%s', (_, events, expected, traceCodes) => {
      const result = last(drive(start(), events));
      expect(decisionLines(result.reply)).toEqual(expected);
      expect(result.reply.outcome === 'continue' && result.reply.decision.trace.map((e) => e.code)).toEqual(traceCodes);
      expect(result.state).toMatchObject({ status: 'routing', currentStepId: expected[0]!.split(' ')[0] });
    });

    it('keeps the flow version the call started with when a newer one is published mid-call', () => {
      const call = start();
      const republished: WorldInput = { ...WORLD, flows: [ivr('sales'), ivr('support')] };
      const result = advance(call, progress({ kind: 'dtmf', digits: '1' }), world(republished), later(1));
      expect(decisionLines(result.reply)[0]).toBe('s2 ring 2001 30s na=s3 b=s4 u=s3');
      expect(result.state.flowVersion).toBe(1);
    });

    it('refuses to plan with a flow version the router no longer holds', () => {
      expectError(() => advance(start(), progress({ kind: 'dtmf', digits: '1' }), world({ ...WORLD, flows: [] }), later(1)), CALL_ROUTER_ERRORS.FLOW_VERSION_GONE.code, {
        version: 1,
      });
    });

    it('refuses a key for the menu step that was replaced by a replay', () => {
      const [replayed] = drive(start(), [progress({ kind: 'input-timeout' })]);
      expectError(
        () => advance(replayed!.state, progress({ kind: 'dtmf', digits: '1', stepId: 's1' }), world(WORLD), later(2)),
        CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS.code,
        { currentStepId: 's2' },
      );
    });
  });

  describe('ringing', () => {
    const ringing = (): CallState => drive(start(), [progress({ kind: 'dtmf', digits: '1' })])[0]!.state;

    it.each<[string, string, string[]]>([
      ['no-answer', 's3', ['s3 offer support-uk']],
      ['busy', 's4', ['s4 vm group:busy']],
      ['unreachable (no onUnreachable: the no-answer node)', 's3', ['s3 offer support-uk']],
    ])('%s follows the planned edge to %s', (kindLabel, next, expected) => {
      const kind = kindLabel.split(' ')[0] as CallProgress['kind'];
      const result = advance(ringing(), progress({ kind, legId: 's2.1' }), world(WORLD), later(30));
      expect(result.state).toMatchObject({ status: 'routing', currentStepId: next });
      expect(decisionLines(result.reply)).toEqual(expected);
      expect(result.reply.outcome === 'continue' && result.reply.decision.trace[0]).toMatchObject({ code: 'call.progress', facts: { stepId: 's2', next } });
    });

    it('answered connects the call; hang-up ends it with talk time', () => {
      const [answered, ended] = drive(ringing(), [progress({ kind: 'answered', legId: 's2.1' }), progress({ kind: 'hangup' })]);
      expect(answered!.reply).toEqual({ outcome: 'connected', callId: CALL, stepId: 's2', legId: 's2.1' });
      expect(ended!.reply).toEqual({ outcome: 'ended', callId: CALL, callOutcome: 'answered', durationSeconds: 2 });
      expect(ended!.state).toMatchObject({ status: 'ended', outcome: 'answered', talkSeconds: 1, durationSeconds: 2 });
    });

    it.each<[string, CallProgress, string]>([
      ['a key while ringing', progress({ kind: 'dtmf', digits: '1' }), 'kind'],
      ['an answer on a leg of another step', progress({ kind: 'answered', legId: 's9.1' }), 'legId'],
      ['an event for an earlier step', progress({ kind: 'no-answer', stepId: 's1' }), 'stepId'],
      ['an offer outcome while ringing', progress({ kind: 'callback-offer-ended', outcome: 'booked', bookingId: null }), 'kind'],
    ])('refuses %s', (_, event, path) => {
      try {
        advance(ringing(), event, world(WORLD), later(5));
        throw new Error('expected a refusal');
      } catch (error) {
        expect(error).toMatchObject({ code: CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS.code, kind: 'conflict', details: { currentStepId: 's2', stepKind: 'ring' } });
        expect((error as DomainError).errors[0]!.path).toBe(path);
      }
    });

    it('a connected call takes nothing but hang-up', () => {
      const [answered] = drive(ringing(), [progress({ kind: 'answered' })]);
      expectError(() => advance(answered!.state, progress({ kind: 'busy' }), world(WORLD), later(9)), CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS.code, { status: 'connected' });
    });

    it('announcements are passed through: progress for the step after them is taken', () => {
      const announced: WorldInput = {
        ...WORLD,
        flows: [
          flow(
            {
              hello: { type: 'announcement', prompt: { kind: 'tts', text: 'Calls are recorded', language: null }, next: 'ring' },
              ring: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'vm' },
              vm: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'support' } },
            },
            'hello',
          ),
        ],
      };
      const call = start(announced);
      expect(call.currentStepId).toBe('s1');
      const result = advance(call, progress({ kind: 'no-answer', stepId: 's2' }), world(announced), later(30));
      expect(result.state).toMatchObject({ currentStepId: 's3' });
      const viaAnnouncementId = advance(call, progress({ kind: 'no-answer', stepId: 's1' }), world(announced), later(30));
      expect(viaAnnouncementId.state).toMatchObject({ currentStepId: 's3' });
    });
  });

  describe('callback offers', () => {
    const offering = (): CallState => drive(start(), [progress({ kind: 'dtmf', digits: '1' }), progress({ kind: 'no-answer' })])[1]!.state;

    it('passes DTMF through to callback-slots without moving the call', () => {
      const call = offering();
      const result = advance(call, progress({ kind: 'dtmf', digits: '1' }), world(WORLD), later(40));
      expect(result.reply).toEqual({ outcome: 'passThrough', callId: CALL, service: 'callback-slots', callSlotId: 'support-uk', digits: '1' });
      expect(result.state).toBe(call);
    });

    it('a booking hangs up (no onBooked node) and the call ends as callbackBooked', () => {
      const [booked, ended] = drive(offering(), [
        progress({ kind: 'callback-offer-ended', outcome: 'booked', bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10' }),
        progress({ kind: 'hangup' }),
      ]);
      expect(decisionLines(booked!.reply)).toEqual(['s5 hangup callbackBooked']);
      expect(booked!.state).toMatchObject({ callbackBooked: true });
      expect(ended!.state).toMatchObject({ status: 'ended', outcome: 'callbackBooked' });
    });

    it('a declined offer continues at onDeclined; hanging up there is a rejected call', () => {
      const [declined, ended] = drive(offering(), [progress({ kind: 'callback-offer-ended', outcome: 'declined', bookingId: null }), progress({ kind: 'hangup' })]);
      expect(decisionLines(declined!.reply)).toEqual(['s5 hangup flow']);
      expect(ended!.state).toMatchObject({ outcome: 'rejected' });
    });
  });

  describe('how a call ends', () => {
    it.each<[string, CallProgress[], string]>([
      ['the caller hangs up in the menu: abandoned', [progress({ kind: 'hangup' })], 'abandoned'],
      ['the caller hangs up while it rings: abandoned', [progress({ kind: 'dtmf', digits: '1' }), progress({ kind: 'hangup' })], 'abandoned'],
      ['the caller leaves a message: voicemail', [progress({ kind: 'dtmf', digits: '2' }), progress({ kind: 'hangup' })], 'voicemail'],
      ['the voicemail system cannot take the call: failed', [progress({ kind: 'dtmf', digits: '2' }), progress({ kind: 'unreachable' })], 'failed'],
    ])('%s', (_, events, outcome) => {
      expect(last(drive(start(), events)).state).toMatchObject({ status: 'ended', outcome });
    });

    it('an ended call takes no more progress', () => {
      const ended = last(drive(start(), [progress({ kind: 'hangup' })])).state;
      expectError(() => advance(ended, progress({ kind: 'hangup' }), world(WORLD), later(9)), CALL_ROUTER_ERRORS.CALL_ENDED.code, { outcome: 'abandoned' });
    });

    it('progress for another call is refused', () => {
      expectError(() => advance(start(), { ...progress({ kind: 'hangup' }), callId: 'other' } as CallProgress, world(WORLD), later(1)), CALL_ROUTER_ERRORS.UNKNOWN_CALL.code);
    });
  });
});
