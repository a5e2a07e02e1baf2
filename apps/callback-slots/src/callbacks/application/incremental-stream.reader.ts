// Folds a stream and keeps the result, so the next read fetches only the events appended since: the
// firing path checks a booking's occurrence stream (the truth) in one short query even when the
// occurrence holds hundreds of bookings. Bounded (least recently used streams are dropped).
import type { EventStore, RecordedEvent } from '@cc/event-store';

export type Folded<S> = { state: S; revision: number };

export class IncrementalStreamReader<S> {
  private readonly entries = new Map<string, Folded<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly fold: { initialState: () => S; evolve: (state: S, event: RecordedEvent) => S },
    private readonly maxEntries = 10_000,
  ) {}

  /** The stream's state as stored now (revision -1: the stream does not exist). */
  async read(streamId: string): Promise<Folded<S>> {
    const cached = this.entries.get(streamId);
    const base: Folded<S> = cached ?? { state: this.fold.initialState(), revision: -1 };
    const events = await this.store.readStream(streamId, { fromRevision: base.revision + 1 });
    if (events.length === 0 && cached) {
      this.touch(streamId, cached);
      return cached;
    }
    const next: Folded<S> = {
      state: events.reduce(this.fold.evolve, base.state),
      revision: events.length ? events[events.length - 1]!.revision : base.revision,
    };
    // Two reads of one stream may overlap: keep whichever saw more.
    const current = this.entries.get(streamId);
    if (!current || current.revision <= next.revision) this.touch(streamId, next);
    return next;
  }

  private touch(streamId: string, entry: Folded<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
