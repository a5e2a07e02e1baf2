// Which callback activity the call log takes from callback-slots' dispatch events, checked against the contracts' examples.
import { CALLBACK_DISPATCH_EVENTS, CallbackAttemptFinishedEvent, CallbackAttemptStartedEvent } from '@cc/contracts';
import { callbackActivityOf } from './callback-activity.adapter';

describe('callbackActivityOf', () => {
  it('an attempt started: the agents of its agent side (not the customer)', () => {
    const example = CallbackAttemptStartedEvent.example;
    expect(callbackActivityOf({ type: CallbackAttemptStartedEvent.type, version: 1, data: example })).toEqual({
      kind: 'started',
      bookingId: example.bookingId,
      attempt: 1,
      agentIds: ['1b4e28ba-2fa1-4d2b-9b7e-2a7c5f0a4c11'],
      startedAt: example.startedAt,
    });
  });

  it('agents rung together are each named once; targets without an agent are left out', () => {
    const example = CallbackAttemptStartedEvent.example;
    const a = '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a';
    const legs = [
      {
        kind: 'agent' as const,
        targets: [
          { kind: 'extension' as const, extension: '2001', agentId: a },
          { kind: 'number' as const, e164: '+447700900123', agentId: a },
          { kind: 'number' as const, e164: '+447700900999', agentId: null },
        ],
        ringSeconds: 30,
      },
      example.legs[1]!,
    ];
    expect(callbackActivityOf({ type: CallbackAttemptStartedEvent.type, version: 1, data: { ...example, legs } })).toMatchObject({ agentIds: [a] });
  });

  it('an attempt finished: its outcome', () => {
    const example = CallbackAttemptFinishedEvent.example;
    expect(callbackActivityOf({ type: CallbackAttemptFinishedEvent.type, version: 1, data: example })).toEqual({
      kind: 'finished',
      bookingId: example.bookingId,
      attempt: 1,
      outcome: 'no-answer',
      finishedAt: example.finishedAt,
    });
  });

  it('skips every other event type without parsing it, and refuses a broken needed one', () => {
    for (const def of CALLBACK_DISPATCH_EVENTS.filter((d) => d.type !== 'CallbackAttemptStarted' && d.type !== 'CallbackAttemptFinished')) {
      expect(callbackActivityOf({ type: def.type, version: 99, data: null })).toBeNull();
    }
    expect(callbackActivityOf({ type: 'CallbackBooked', version: 1, data: {} })).toBeNull();
    expect(() => callbackActivityOf({ type: 'CallbackAttemptFinished', version: 2, data: CallbackAttemptFinishedEvent.example })).toThrow(/not supported/);
  });
});
