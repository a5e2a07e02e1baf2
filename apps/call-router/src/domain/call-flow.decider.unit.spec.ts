// Specification of a number's call flow as an aggregate: versions, optimistic concurrency on versions,
// validation before publishing, idempotent re-publish and retire.
import { CALL_ROUTER_ERRORS, DomainError, type CallFlowDefinitionInput, type CallFlowEvent } from '@cc/contracts';
import { decide, evolve, initialState, type CallFlowCommand, type CallFlowState } from './call-flow.decider';
import { agentIdOf, NUMBER } from './routing.fixture';

const input = (name = 'Main line'): CallFlowDefinitionInput => ({
  number: NUMBER,
  name,
  start: 'ring',
  nodes: {
    ring: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'vm' },
    vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2001') } },
  },
});
const publish = (flow = input(), expectedVersion?: number): CallFlowCommand => ({
  type: 'PublishCallFlow',
  number: NUMBER,
  flow,
  ...(expectedVersion === undefined ? {} : { expectedVersion }),
});
const given = (...commands: CallFlowCommand[]): CallFlowState =>
  commands.reduce((state, command) => decide(command, state).reduce(evolve, state), initialState());
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('no error');
};

describe('a number without a flow', () => {
  it('publishes version 1 with the default settings filled in', () => {
    const [event] = decide(publish(), initialState()) as [Extract<CallFlowEvent, { type: 'CallFlowPublished' }>];
    expect(event.type).toBe('CallFlowPublished');
    expect(event.data.version).toBe(1);
    expect(event.data.flow.settings).toEqual({ defaultRingSeconds: 30, mobileAnswerConfirmation: true, divertHopLimit: 5 });
  });

  it('refuses an invalid graph, a flow for another number and retiring nothing', () => {
    expect(codeOf(() => decide(publish({ ...input(), start: 'nowhere' }), initialState()))).toBe(CALL_ROUTER_ERRORS.INVALID_FLOW.code);
    expect(codeOf(() => decide(publish({ ...input(), number: '+441234567999' }), initialState()))).toBe('VALIDATION.INVALID_INPUT');
    expect(codeOf(() => decide({ type: 'RetireCallFlow', number: NUMBER, reason: null }, initialState()))).toBe(CALL_ROUTER_ERRORS.FLOW_NOT_FOUND.code);
  });

  it('accepts expectedVersion 0 and refuses any other', () => {
    expect(decide(publish(input(), 0), initialState())).toHaveLength(1);
    expect(codeOf(() => decide(publish(input(), 1), initialState()))).toBe(CALL_ROUTER_ERRORS.FLOW_VERSION_CONFLICT.code);
  });
});

describe('a published flow', () => {
  const published = given(publish());

  it('counts versions up on a change, and publishing the current flow again changes nothing', () => {
    expect(decide(publish(input('Renamed')), published)).toEqual([expect.objectContaining({ data: expect.objectContaining({ version: 2 }) })]);
    expect(decide(publish(), published)).toEqual([]);
  });

  it('refuses a publish based on an older version, telling the current one', () => {
    const v2 = given(publish(), publish(input('B')));
    try {
      decide(publish(input('C'), 1), v2);
      throw new Error('no error');
    } catch (error) {
      expect(error).toMatchObject({ code: CALL_ROUTER_ERRORS.FLOW_VERSION_CONFLICT.code, details: { currentVersion: 2 } });
    }
  });

  it('retires with its last version; retiring again changes nothing; publishing again revives it as the next version', () => {
    const retired = given(publish(), { type: 'RetireCallFlow', number: NUMBER, reason: 'ported out' });
    expect(retired).toMatchObject({ status: 'retired', version: 1 });
    expect(decide({ type: 'RetireCallFlow', number: NUMBER, reason: null }, retired)).toEqual([]);
    expect(given(publish(), { type: 'RetireCallFlow', number: NUMBER, reason: null }, publish())).toMatchObject({ status: 'published', version: 2 });
  });
});
