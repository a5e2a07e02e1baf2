// Names without a namespace are the contract's, verbatim; with one, nothing can collide with production.
import { DEAD_LETTER_STREAM, deadLetterSubject, eventStreamName, eventSubject, eventSubjectFilter, eventSubjectsOf } from '@cc/contracts';
import { jetStreamNames } from './jetstream-names.builder';

describe('jetStreamNames', () => {
  it('without a namespace, is exactly the contract builders', () => {
    const names = jetStreamNames();
    expect(names.namespace).toBeNull();
    expect(names.eventStream('callback-slots')).toBe(eventStreamName('callback-slots'));
    expect(names.eventSubjects('divert')).toBe(eventSubjectsOf('divert'));
    expect(names.eventSubject('divert', 'acme', 'DivertRuleSet')).toBe(eventSubject('divert', 'acme', 'DivertRuleSet'));
    expect(names.eventFilter('schedule', 'acme')).toBe(eventSubjectFilter('schedule', 'acme'));
    expect(names.deadLetterStream).toBe(DEAD_LETTER_STREAM);
    expect(names.deadLetterSubject('router-replica')).toBe(deadLetterSubject('router-replica'));
    expect(names.deadLetterSubjects).toBe('dlq.>');
  });

  it('keeps the dead-letter wildcard in step with the contract dead-letter subject', () => {
    const names = jetStreamNames();
    expect(names.deadLetterSubject('x').startsWith(names.deadLetterSubjects.slice(0, -1))).toBe(true);
  });

  it('with a namespace, prefixes stream names with "<ns>_" and subjects with "<ns>."', () => {
    const names = jetStreamNames('t-1a2b3c4d');
    expect(names.eventStream('callback-slots')).toBe('t-1a2b3c4d_EVT_CALLBACK_SLOTS');
    expect(names.eventSubjects('divert')).toBe('t-1a2b3c4d.evt.divert.>');
    expect(names.eventSubject('divert', 'acme', 'DivertRuleSet')).toBe('t-1a2b3c4d.evt.divert.acme.DivertRuleSet');
    expect(names.eventFilter('divert')).toBe('t-1a2b3c4d.evt.divert.*.*');
    expect(names.deadLetterStream).toBe('t-1a2b3c4d_DEADLETTER');
    expect(names.deadLetterSubjects).toBe('t-1a2b3c4d.dlq.>');
    expect(names.deadLetterSubject('router-replica')).toBe('t-1a2b3c4d.dlq.router-replica');
  });

  it.each(['T-UPPER', 'has.dot', 'a b', '-leading', 'x'.repeat(33)])('refuses namespace %j', (ns) => {
    expect(() => jetStreamNames(ns)).toThrow(/namespace/);
  });

  it('still refuses tenants that would add subject tokens', () => {
    expect(() => jetStreamNames('t-1').eventSubject('divert', 'acme.evil', 'X')).toThrow(/subject token/);
  });
});
