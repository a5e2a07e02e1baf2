// Specification of the blacklist: E.164 numbers match exactly, prefixes match every number starting
// with them; adding twice changes nothing, removing what is not listed is refused.
import { DomainError, foldEvents, type BlacklistEvent } from '@cc/contracts';
import { blacklistDecider, blacklistEntries, blacklistMatch, isBlacklisted, type BlacklistCommand, type BlacklistState } from './blacklist.decider';

const add = (kind: 'number' | 'prefix', value: string, note: string | null = null): BlacklistCommand => ({ type: 'AddBlacklistEntry', kind, value, note });
const remove = (kind: 'number' | 'prefix', value: string): BlacklistCommand => ({ type: 'RemoveBlacklistEntry', kind, value });

function given(...commands: BlacklistCommand[]): BlacklistState {
  const events: BlacklistEvent[] = [];
  for (const command of commands) events.push(...blacklistDecider.decide(command, foldEvents(blacklistDecider, events)));
  return foldEvents(blacklistDecider, events);
}
function refusal(state: BlacklistState, command: BlacklistCommand): DomainError {
  try {
    blacklistDecider.decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('blacklist', () => {
  describe('Empty', () => {
    it('lists nothing', () => {
      expect(isBlacklisted(given(), '+441234567890')).toBe(false);
      expect(blacklistEntries(given())).toEqual([]);
    });

    it('adds a number and a prefix', () => {
      expect(blacklistDecider.decide(add('prefix', '+4490', 'premium'), given())).toEqual([
        { type: 'BlacklistEntryAdded', data: { kind: 'prefix', value: '+4490', note: 'premium' } },
      ]);
    });

    it.each([
      ['number', '01234567890'],
      ['number', '+44'],
      ['prefix', '44'],
      ['prefix', '+0'],
    ] as const)('refuses a %s "%s" that is not E.164 (INVALID_BLACKLIST_ENTRY, path value)', (kind, value) => {
      expect(refusal(given(), add(kind, value))).toMatchObject({ code: 'CALLBACK_SLOTS.INVALID_BLACKLIST_ENTRY', errors: [{ path: 'value' }] });
    });

    it('refuses to remove what is not listed (BLACKLIST_ENTRY_NOT_FOUND)', () => {
      expect(refusal(given(), remove('number', '+441234567890'))).toMatchObject({ code: 'CALLBACK_SLOTS.BLACKLIST_ENTRY_NOT_FOUND', kind: 'not_found' });
    });
  });

  describe('Listed', () => {
    const state = () => given(add('number', '+441234567890'), add('prefix', '+4490'), add('prefix', '+44909'));

    it('matches a number exactly', () => {
      expect(blacklistMatch(state(), '+441234567890')).toMatchObject({ kind: 'number', value: '+441234567890' });
      expect(isBlacklisted(state(), '+441234567891')).toBe(false);
    });

    it('matches every number starting with a prefix, reporting the longest prefix', () => {
      expect(blacklistMatch(state(), '+449090000000')).toMatchObject({ kind: 'prefix', value: '+44909' });
      expect(blacklistMatch(state(), '+449010000000')).toMatchObject({ kind: 'prefix', value: '+4490' });
      expect(isBlacklisted(state(), '+447911123456')).toBe(false);
    });

    it('adding the same entry again changes nothing; a new note is recorded', () => {
      expect(blacklistDecider.decide(add('prefix', '+4490'), state())).toEqual([]);
      const [event] = blacklistDecider.decide(add('prefix', '+4490', 'premium rate'), state());
      expect(event).toEqual({ type: 'BlacklistEntryAdded', data: { kind: 'prefix', value: '+4490', note: 'premium rate' } });
    });

    it('removing an entry unlists it (and only it)', () => {
      const after = given(add('number', '+441234567890'), add('prefix', '+4490'), remove('prefix', '+4490'));
      expect(isBlacklisted(after, '+449010000000')).toBe(false);
      expect(isBlacklisted(after, '+441234567890')).toBe(true);
    });

    it('a number entry is not a prefix: removing the number keeps a prefix with the same digits', () => {
      const after = given(add('number', '+441234567890'), add('prefix', '+441234567890'), remove('number', '+441234567890'));
      expect(blacklistMatch(after, '+441234567890')).toMatchObject({ kind: 'prefix' });
    });

    it('lists numbers first, each kind in order', () => {
      expect(blacklistEntries(state()).map((e) => `${e.kind} ${e.value}`)).toEqual(['number +441234567890', 'prefix +4490', 'prefix +44909']);
    });
  });
});
