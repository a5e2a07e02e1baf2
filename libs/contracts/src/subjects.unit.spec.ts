import { eventStreamName, eventSubject, eventSubjectFilter, deadLetterSubject, rpcSubject } from './subjects';

describe('subject builders', () => {
  it.each([
    [eventStreamName('call-router'), 'EVT_CALL_ROUTER'],
    [eventSubject('divert', 'acme', 'DivertRuleSet'), 'evt.divert.acme.DivertRuleSet'],
    [eventSubjectFilter('schedule'), 'evt.schedule.*.*'],
    [eventSubjectFilter('schedule', 'acme'), 'evt.schedule.acme.*'],
    [deadLetterSubject('router-replica'), 'dlq.router-replica'],
    [rpcSubject('call-router', 'route'), 'call-router.route'],
  ])('%s is %s', (actual, expected) => expect(actual).toBe(expected));

  it('refuses a tenant that would break the subject into more tokens', () => {
    expect(() => eventSubject('divert', 'acme.evil', 'X')).toThrow(/subject token/);
    expect(() => eventSubject('divert', 'acme >', 'X')).toThrow(/subject token/);
  });
});
