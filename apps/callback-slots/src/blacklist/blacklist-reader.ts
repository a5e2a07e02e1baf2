// The tenant's blacklist as its stream holds it, for every number check (offers, bookings). A read is
// reused for CALL_SLOT_READ_CACHE_MS; after that (or when asked for an exact read) only the events
// appended since are fetched. This process's own changes are visible at once; bookings re-read exactly
// before refusing a number as blacklisted.
import { Inject, Injectable } from '@nestjs/common';
import { toBlacklistStreamId, type BlacklistEvent } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, toDomainEvent } from '@cc/platform';
import { FreshnessCache } from '../call-slots/freshness-cache';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from '../config';
import { evolveBlacklist, initialBlacklistState, type BlacklistState } from '../domain/blacklist.decider';

export type BlacklistRead = { state: BlacklistState; revision: number | null };

@Injectable()
export class BlacklistReader {
  private readonly cache: FreshnessCache<BlacklistRead>;
  /** One shared object for "nothing listed", so memoised verdicts against it are shared too. */
  private readonly empty: BlacklistRead = { state: initialBlacklistState(), revision: null };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CALLBACK_SLOTS_CONFIG) config: CallbackSlotsConfig,
  ) {
    this.cache = new FreshnessCache(config.CALL_SLOT_READ_CACHE_MS, 10_000);
  }

  async read(tenantId: string, options: { exact?: boolean } = {}): Promise<BlacklistRead> {
    const streamId = toBlacklistStreamId(tenantId);
    const cached = this.cache.get(streamId, options.exact === true);
    if (cached.fresh) return cached.fresh;
    const known = cached.stale ?? this.empty;
    const events = await this.store.readStream(streamId, known.revision === null ? {} : { fromRevision: known.revision + 1 });
    let read = known;
    if (events.length > 0) {
      let state = read.state;
      for (const event of events) state = evolveBlacklist(state, toDomainEvent(event) as BlacklistEvent);
      read = { state, revision: events[events.length - 1]!.revision };
    }
    this.cache.set(streamId, read);
    return read;
  }

  async state(tenantId: string, options: { exact?: boolean } = {}): Promise<BlacklistState> {
    return (await this.read(tenantId, options)).state;
  }

  /** What this process just wrote: later reads see it at once. */
  remember(tenantId: string, read: BlacklistRead): void {
    if (read.revision !== null) this.cache.set(toBlacklistStreamId(tenantId), read);
  }
}
