// The tenant's blacklist (`blacklist-{tenant}`): E.164 numbers and prefixes that are never called
// back. A caller presenting one must type another callback number; an entered one is refused.
import {
  BlacklistEntryAddedEvent,
  E164PrefixSchema,
  E164Schema,
  normalisePhoneNumber,
  type BlacklistEvent,
  type BlacklistTarget,
  type Decider,
} from '@cc/contracts';
import { callbackSlotsError } from './callback-slots-error';

export type BlacklistEntry = BlacklistTarget & { readonly note: string | null };

export type BlacklistState =
  | { readonly status: 'Empty' }
  /** Keyed by the value (`+441234567890`, `+4490`). May hold no entries after removals. */
  | { readonly status: 'Listed'; readonly numbers: ReadonlyMap<string, BlacklistEntry>; readonly prefixes: ReadonlyMap<string, BlacklistEntry> };

export const initialBlacklistState = (): BlacklistState => ({ status: 'Empty' });

/** `value` already normalised: a number in E.164 (the adapter normalises what was typed), a prefix as `+digits`. */
export type AddBlacklistEntry = { type: 'AddBlacklistEntry'; kind: 'number' | 'prefix'; value: string; note: string | null };
export type RemoveBlacklistEntry = { type: 'RemoveBlacklistEntry'; kind: 'number' | 'prefix'; value: string };
export type BlacklistCommand = AddBlacklistEntry | RemoveBlacklistEntry;

export function decideBlacklist(command: BlacklistCommand, state: BlacklistState): BlacklistEvent[] {
  const existing = entryOf(state, command.kind, command.value);
  switch (command.type) {
    case 'AddBlacklistEntry': {
      if (!wellFormed(command.kind, command.value)) {
        throw callbackSlotsError('INVALID_BLACKLIST_ENTRY', `"${command.value}" is not an E.164 ${command.kind}`, [
          { path: 'value', message: command.kind === 'number' ? 'an E.164 number, e.g. +441234567890' : 'an E.164 prefix, e.g. +4490' },
        ]);
      }
      if (existing && existing.note === command.note) return []; // already listed as asked
      const data = BlacklistEntryAddedEvent.schema.parse({ kind: command.kind, value: command.value, note: command.note });
      return [{ type: 'BlacklistEntryAdded', data }];
    }
    case 'RemoveBlacklistEntry': {
      if (!existing) {
        throw callbackSlotsError('BLACKLIST_ENTRY_NOT_FOUND', `${command.kind} ${command.value} is not on the blacklist`, [
          { path: 'value', message: 'not blacklisted' },
        ]);
      }
      return [{ type: 'BlacklistEntryRemoved', data: { kind: existing.kind, value: existing.value } as BlacklistTarget }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolveBlacklist(state: BlacklistState, event: BlacklistEvent): BlacklistState {
  const listed = state.status === 'Listed' ? state : { status: 'Listed' as const, numbers: new Map<string, BlacklistEntry>(), prefixes: new Map<string, BlacklistEntry>() };
  switch (event.type) {
    case 'BlacklistEntryAdded': {
      const entry = event.data as BlacklistEntry;
      return entry.kind === 'number'
        ? { ...listed, numbers: new Map(listed.numbers).set(entry.value, entry) }
        : { ...listed, prefixes: new Map(listed.prefixes).set(entry.value, entry) };
    }
    case 'BlacklistEntryRemoved': {
      const key = event.data.kind === 'number' ? 'numbers' : 'prefixes';
      const next = new Map(listed[key]);
      next.delete(event.data.value);
      return { ...listed, [key]: next };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const blacklistDecider: Decider<BlacklistState, BlacklistCommand, BlacklistEvent> = {
  initialState: initialBlacklistState,
  evolve: evolveBlacklist,
  decide: decideBlacklist,
};

/**
 * The entry that blacklists an E.164 number: the number itself, else the longest prefix it starts
 * with (`+4490…` matches prefixes `+4490` and `+44`; `+4490` is reported). Null when it is not listed.
 */
export function blacklistMatch(state: BlacklistState, e164: string): BlacklistEntry | null {
  if (state.status === 'Empty') return null;
  const exact = state.numbers.get(e164);
  if (exact) return exact;
  for (let length = e164.length; length >= 2; length--) {
    const entry = state.prefixes.get(e164.slice(0, length));
    if (entry) return entry;
  }
  return null;
}

export const isBlacklisted = (state: BlacklistState, e164: string): boolean => blacklistMatch(state, e164) !== null;

/** Every entry, numbers first, each kind ascending (for the HTTP view). */
export function blacklistEntries(state: BlacklistState): BlacklistEntry[] {
  if (state.status === 'Empty') return [];
  const sorted = (m: ReadonlyMap<string, BlacklistEntry>) => [...m.values()].sort((a, b) => a.value.localeCompare(b.value));
  return [...sorted(state.numbers), ...sorted(state.prefixes)];
}

/**
 * A number must be a real E.164 number (a "+44" number would never match anything: that is a
 * prefix); a prefix is `+` and 1-15 digits. With a leading `+` the default country plays no part.
 */
function wellFormed(kind: 'number' | 'prefix', value: string): boolean {
  if (kind === 'prefix') return E164PrefixSchema.safeParse(value).success;
  if (!E164Schema.safeParse(value).success) return false;
  const parsed = normalisePhoneNumber(value, 'GB');
  return parsed.ok && parsed.e164 === value;
}

function entryOf(state: BlacklistState, kind: 'number' | 'prefix', value: string): BlacklistEntry | undefined {
  if (state.status === 'Empty') return undefined;
  return (kind === 'number' ? state.numbers : state.prefixes).get(value);
}
