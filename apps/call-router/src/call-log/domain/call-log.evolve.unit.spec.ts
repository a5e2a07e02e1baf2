// Specification of the call log of one call: the summary and, per agent, offered / answered / missed with
// ring and talk time, given the routing events of the call.
import { parseCallRouterEvent, type RoutingEvent } from '@cc/contracts';
import { RoutingCallScript, type ScriptedAgent } from '../testing/routing-call.script';
import { agentCallFactsOf, evolveCallLog, foldCallLog, type CallLogEvent, type CallLogState } from './call-log.evolve';

const ada: ScriptedAgent = { agentId: '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a', extension: '2001' };
const bob: ScriptedAgent = { agentId: '1b4e28ba-2fa1-4d2b-9b7e-2a7c5f0a4c11', extension: '2002' };

const script = () => new RoutingCallScript('acme', 'call-1@pbx.acme.test', '+441234567000', '2026-11-23T09:00:00.000Z');

const logEvents = (s: RoutingCallScript): CallLogEvent[] =>
  s.events.map((event, revision) => ({ ...(parseCallRouterEvent(event) as RoutingEvent), id: event.id, occurredAt: event.occurredAt, revision }) as CallLogEvent);

const fold = (s: RoutingCallScript): CallLogState => {
  const state = foldCallLog(logEvents(s));
  if (state === null) throw new Error('no events');
  return state;
};

describe('call log of one call', () => {
  describe('a group ring answered by one agent', () => {
    const state = fold(script().received().decided([ada, bob]).ringing(ada).ringing(bob).answered(ada, 7.5).ended('answered', { talkSeconds: 120, answeredBy: ada }));

    it('summarises the call: who, when, outcome, duration and talk time', () => {
      expect(state).toMatchObject({
        status: 'ended',
        callId: 'call-1@pbx.acme.test',
        number: '+441234567000',
        cli: '+447700900123',
        flowVersion: 1,
        startedAt: '2026-11-23T09:00:00.000Z',
        endedAt: '2026-11-23T09:02:07.500Z',
        outcome: 'answered',
        durationSeconds: 127.5,
        talkSeconds: 120,
        answeredBy: ada.agentId,
        agentIds: [ada.agentId, bob.agentId],
        stepCount: 6,
        revision: 5,
      });
    });

    it('the agent who answered: offered, answered with ring time and talk time', () => {
      expect(agentCallFactsOf(state)).toContainEqual({ agentId: ada.agentId, offered: true, answered: true, missed: false, ringSeconds: 7.5, talkSeconds: 120 });
    });

    it('the colleague rung with them did not miss it', () => {
      expect(agentCallFactsOf(state)).toContainEqual({ agentId: bob.agentId, offered: true, answered: false, missed: false, ringSeconds: null, talkSeconds: null });
    });
  });

  describe('a ring step nobody answered', () => {
    const unanswered = () => script().received().decided([ada, bob]).ringing(ada).ringing(bob).stepFailed([ada, bob], 'noAnswer', 30);

    it('is a miss for every agent it rang, as soon as the step failed', () => {
      const facts = agentCallFactsOf(fold(unanswered()));
      expect(facts.map((f) => [f.agentId, f.missed])).toEqual([
        [ada.agentId, true],
        [bob.agentId, true],
      ]);
    });

    it('ending in voicemail keeps the miss and the call concerns the mailbox owner', () => {
      const state = fold(unanswered().voicemail(ada).after(40).ended('voicemail'));
      expect(state).toMatchObject({ status: 'ended', outcome: 'voicemail', talkSeconds: null, answeredBy: null });
      expect(agentCallFactsOf(state).every((f) => f.missed && !f.answered)).toBe(true);
    });
  });

  describe('hunting: the first agent does not answer, the next one does', () => {
    const state = fold(
      script()
        .received()
        .decided([ada])
        .ringing(ada)
        .stepFailed([ada], 'noAnswer', 20)
        .decided([bob], 'no-answer')
        .ringing(bob)
        .answered(bob, 3)
        .ended('answered', { talkSeconds: 60, answeredBy: bob }),
    );

    it('the first agent missed it, the second answered it', () => {
      expect(agentCallFactsOf(state)).toEqual([
        { agentId: ada.agentId, offered: true, answered: false, missed: true, ringSeconds: null, talkSeconds: null },
        { agentId: bob.agentId, offered: true, answered: true, missed: false, ringSeconds: 3, talkSeconds: 60 },
      ]);
    });
  });

  describe('a failure reported with the leg that decided it (the SIP edge names it)', () => {
    const failing = () => script().received().decided([ada]).ringing(ada).stepFailed([ada], 'busy', 2, ada);

    it('does not end the step by itself: another leg of it could still answer', () => {
      expect(agentCallFactsOf(fold(failing()))[0]).toMatchObject({ agentId: ada.agentId, missed: false });
    });

    it('is a miss once the router decides the next steps (even without another ring step)', () => {
      const facts = agentCallFactsOf(fold(failing().decidedVoicemail(ada, 'busy')));
      expect(facts).toEqual([{ agentId: ada.agentId, offered: true, answered: false, missed: true, ringSeconds: null, talkSeconds: null }]);
    });
  });

  describe('a call still ringing', () => {
    const state = fold(script().received().decided([ada]).ringing(ada));

    it('is in progress: offered, neither answered nor (yet) missed', () => {
      expect(state.status).toBe('inProgress');
      expect(agentCallFactsOf(state)).toEqual([{ agentId: ada.agentId, offered: true, answered: false, missed: false, ringSeconds: null, talkSeconds: null }]);
    });

    it('the caller hanging up while it rings makes it a miss', () => {
      const abandoned = fold(script().received().decided([ada]).ringing(ada).after(12).ended('abandoned'));
      expect(agentCallFactsOf(abandoned)).toEqual([{ agentId: ada.agentId, offered: true, answered: false, missed: true, ringSeconds: null, talkSeconds: null }]);
    });
  });

  it('a diverted call concerns the diverting agent without offering it to them', () => {
    const state = fold(script().received().diverted(ada, '2002').decided([bob]).ringing(bob));
    expect(state.agentIds).toEqual([ada.agentId, bob.agentId]);
    expect(agentCallFactsOf(state).map((f) => f.agentId)).toEqual([bob.agentId]);
  });

  it('a call that booked a callback records it, and nobody was offered the call', () => {
    const state = fold(script().received(null).callbackOffered().callbackBooked().ended('callbackBooked', { afterSeconds: 50 }));
    expect(state).toMatchObject({ cli: null, callbackBooked: true, outcome: 'callbackBooked', agentIds: [] });
    expect(agentCallFactsOf(state)).toEqual([]);
  });

  it('a call whose first recorded event is not CallReceived still gets a log entry', () => {
    const events = logEvents(script().received().decided([ada]).ringing(ada));
    const state = evolveCallLog(null, { ...events[2]!, revision: 0 });
    expect(state).toMatchObject({ status: 'inProgress', callId: 'call-1@pbx.acme.test', startedAt: events[2]!.occurredAt, stepCount: 1, agentIds: [ada.agentId] });
  });

  it('folding is deterministic: the same events give the same state', () => {
    const s = script().received().decided([ada, bob]).ringing(ada).answered(ada, 2).ended('answered', { talkSeconds: 5, answeredBy: ada });
    expect(JSON.stringify(fold(s))).toBe(JSON.stringify(foldCallLog(logEvents(s))));
  });
});
