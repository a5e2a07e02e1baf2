// Long streams (a tenant's roster `org-{tenant}`, a busy extension's `device-{tenant}-{ext}`) are folded
// once and kept in memory; each use reads only the events appended since, so a command on a roster of
// thousands of members costs a short tail read, not a full fold (consistency-flows.md, "Reads").
import { DomainError } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { StateCache, toDomainEvent, type CommandExecutor, type DeciderLike, type DomainEvent, type ExecuteResult } from '@cc/platform';

export type Folded<S> = { state: S; revision: number | null };
export type Seed<S> = () => Promise<Folded<S> | null>;

export type FoldedCommand<S, C> = {
  streamId: string;
  /** Built from the latest state (facts read alongside it come in through the closure). */
  command: (state: S) => C;
  /** Where to start when the stream is not in memory (a read model row), instead of its first event. */
  seed?: Seed<S>;
  tenantId: string;
  actor: string;
  causationId?: string | null;
};

/** Attempts after another writer appended between our read and our append (each re-reads only the tail). */
const CONFLICT_ATTEMPTS = 20;

export class FoldedStreams<S, C, E extends DomainEvent> {
  private readonly entries = new Map<string, Folded<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly executor: CommandExecutor,
    private readonly decider: DeciderLike<S, C, E>,
    private readonly options: { maxEntries: number },
  ) {}

  /** The stream's state as stored now. */
  async latest(streamId: string, seed?: Seed<S>): Promise<Folded<S>> {
    const base = this.entries.get(streamId) ?? (await seed?.()) ?? { state: this.decider.initialState(), revision: null };
    const tail = await this.store.readStream(streamId, { fromRevision: base.revision === null ? 0 : base.revision + 1 });
    const folded =
      tail.length === 0
        ? base
        : { state: tail.reduce((state, event) => this.decider.evolve(state, toDomainEvent(event) as E), base.state), revision: tail[tail.length - 1]!.revision };
    this.remember(streamId, folded);
    return folded;
  }

  /**
   * Decides on the latest state and appends with its revision through the CommandExecutor (which adds the
   * envelopes). A refusal is decided on a state read just now, so it stands; a concurrent append re-reads
   * the tail and decides again.
   */
  async execute(options: FoldedCommand<S, C>): Promise<ExecuteResult<S, E>> {
    for (let attempt = 1; ; attempt++) {
      const latest = await this.latest(options.streamId, options.seed);
      const command = options.command(latest.state);
      if (this.decider.decide(command, latest.state).length === 0) return { state: latest.state, events: [], revision: latest.revision };
      // The executor decides again on this very state (pure, same answer) and appends at its revision.
      const cache = new StateCache(1);
      cache.set(options.streamId, latest);
      try {
        const result = await this.executor.execute<S, C, E>({
          streamId: options.streamId,
          decider: this.decider,
          command,
          tenantId: options.tenantId,
          actor: options.actor,
          causationId: options.causationId ?? null,
          cache,
          retries: 0,
        });
        this.remember(options.streamId, { state: result.state, revision: result.revision });
        return result;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'CONCURRENCY.CONFLICT') || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  private remember(streamId: string, folded: Folded<S>): void {
    const current = this.entries.get(streamId);
    // Two reads racing: keep the newer fold.
    if (current && current.revision !== null && (folded.revision === null || folded.revision < current.revision)) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
