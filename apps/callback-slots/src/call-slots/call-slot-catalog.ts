// Reads call slots from their streams for the command and offer paths (never the lagging read model).
// A read is reused for CALL_SLOT_READ_CACHE_MS to accept bookings (a hot call slot then costs no query
// per booking); after that, or when asked for an exact read, only the events appended since the cached
// revision are fetched. Writes of this process update the cache at once (read-your-writes); bookings
// re-read exactly before refusing, so a refusal never rests on a cached definition.
import { Inject, Injectable } from '@nestjs/common';
import { toCallSlotStreamId, type CallSlotEvent } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, toDomainEvent } from '@cc/platform';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from '../config';
import { evolveCallSlot, initialCallSlotState, type ActiveCallSlot, type CallSlotState } from '../domain/call-slot.decider';
import { callbackSlotsError } from '../domain/callback-slots-error';
import { occurrencesBetween, type Occurrence } from '../domain/occurrences';
import { PerStateMemo } from '../bookings/per-state-memo';
import { FreshnessCache } from './freshness-cache';

export type CallSlotRead = { state: CallSlotState; revision: number | null };

const DAY_MS = 86_400_000;

@Injectable()
export class CallSlotCatalog {
  private readonly cache: FreshnessCache<CallSlotRead>;
  /** Occurrences by start, computed a UTC day at a time (one time-zone walk serves every time slot of the day). */
  private readonly days = new PerStateMemo<ReadonlyMap<string, Occurrence>>(400);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CALLBACK_SLOTS_CONFIG) config: CallbackSlotsConfig,
  ) {
    this.cache = new FreshnessCache(config.CALL_SLOT_READ_CACHE_MS, 10_000);
  }

  /** The call slot's state and stream revision (null: it never existed). `exact`: read the stream now. */
  async read(tenantId: string, callSlotId: string, options: { exact?: boolean } = {}): Promise<CallSlotRead> {
    const streamId = toCallSlotStreamId(tenantId, callSlotId);
    const cached = this.cache.get(streamId, options.exact === true);
    if (cached.fresh) return cached.fresh;
    const known = cached.stale;
    const since = known?.revision ?? null;
    const events = await this.store.readStream(streamId, since === null ? {} : { fromRevision: since + 1 });
    let read = known ?? { state: initialCallSlotState(), revision: null };
    if (events.length > 0) {
      let state = read.state;
      for (const event of events) state = evolveCallSlot(state, toDomainEvent(event) as CallSlotEvent);
      read = { state, revision: events[events.length - 1]!.revision };
    }
    if (read.revision !== null) this.cache.set(streamId, read);
    return read;
  }

  /** An active call slot; CALL_SLOT_NOT_FOUND (404) or CALL_SLOT_DELETED (410), after an exact read, otherwise. */
  async active(tenantId: string, callSlotId: string, options: { exact?: boolean } = {}): Promise<ActiveCallSlot> {
    const { state } = await this.read(tenantId, callSlotId, options);
    if (state.status === 'Active' || options.exact) return activeOrThrow(state, callSlotId);
    return activeOrThrow((await this.read(tenantId, callSlotId, { exact: true })).state, callSlotId);
  }

  /** What this process just wrote (the command's resulting state): later reads see it at once. */
  remember(tenantId: string, callSlotId: string, read: CallSlotRead): void {
    if (read.revision !== null) this.cache.set(toCallSlotStreamId(tenantId, callSlotId), read);
  }

  /**
   * `occurrenceAt` of the domain (the occurrence starting exactly at `startIso`, UNKNOWN_OCCURRENCE
   * otherwise), answered from the occurrences of its UTC day, computed once per call slot state.
   */
  occurrenceAt(callSlot: ActiveCallSlot, startIso: string): Occurrence {
    const startMs = Date.parse(startIso);
    const day = Math.floor(startMs / DAY_MS);
    const occurrences = this.days.get(callSlot, String(day), () => {
      const from = new Date(day * DAY_MS).toISOString();
      const until = new Date((day + 1) * DAY_MS).toISOString();
      return new Map(occurrencesBetween(callSlot, from, until).map((o) => [o.startIso, o]));
    });
    const found = Number.isNaN(startMs) ? undefined : occurrences.get(new Date(startMs).toISOString());
    if (!found) {
      throw callbackSlotsError('UNKNOWN_OCCURRENCE', `call slot ${callSlot.definition.callSlotId} has no time slot starting at ${startIso}`, [
        { path: 'startIso', message: 'not the start of an occurrence of this call slot' },
      ]);
    }
    return found;
  }
}

export const callSlotNotFound = (callSlotId: string) =>
  callbackSlotsError('CALL_SLOT_NOT_FOUND', `no call slot ${callSlotId}`, [{ path: 'callSlotId', message: 'unknown call slot' }]);

export function activeOrThrow(state: CallSlotState, callSlotId: string): ActiveCallSlot {
  if (state.status === 'Empty') throw callSlotNotFound(callSlotId);
  if (state.status === 'Deleted') throw callbackSlotsError('CALL_SLOT_DELETED', `call slot ${callSlotId} was deleted`);
  return state;
}
