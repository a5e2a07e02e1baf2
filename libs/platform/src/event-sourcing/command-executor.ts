// The application side of every event-sourced command: load the stream, fold, decide, wrap the
// events in envelopes (ids, time, correlation from here, never from the decider), append with the
// expected revision, and re-decide on a concurrent write (bounded) unless the caller pinned a revision.
import { randomUUID } from 'node:crypto';
import { DomainError, type EventEnvelope } from '@cc/contracts';
import { ExpectedRevisionConflict, type EventStore, type RecordedEvent } from '@cc/event-store';
import type { Clock } from '../clock/clock';
import { currentContext } from '../logging/request-context';

/** What a decider returns: the fact's name and data (the envelope is added here). */
export type DomainEvent = { type: string; data: unknown; version?: number };

export type DeciderLike<S, C, E extends DomainEvent> = {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => E[];
};

export type ExecuteOptions<S, C, E extends DomainEvent> = {
  streamId: string;
  decider: DeciderLike<S, C, E>;
  /** The command, or a function of the current state (to pass in facts read alongside it). */
  command: C | ((state: S, revision: number | null) => C | Promise<C>);
  tenantId: string;
  /** Pin the revision the caller saw (If-Match): a conflict then fails instead of re-deciding. */
  expectedRevision?: number | 'no_stream';
  /** Extra attempts after a concurrent write (default 5). */
  retries?: number;
  /**
   * Keep the folded state between commands (hot streams such as a time-slot occurrence): a command
   * then costs one round trip (the append); a stale cache shows up as a revision conflict, which
   * drops the entry and re-reads. Only for streams this process writes most of the time.
   */
  cache?: StateCache;
  actor?: string | null;
  causationId?: string | null;
};

/** The envelope of each member of a union of domain events (so `type` narrows `data`). */
export type EnvelopeOf<E extends DomainEvent> = E extends DomainEvent ? EventEnvelope<E['type'], E['data']> : never;

export type ExecuteResult<S, E extends DomainEvent> = {
  state: S;
  /** Events appended by this command ([] when the decider found nothing to change), each narrowed by type. */
  events: EnvelopeOf<E>[];
  /** Revision of the stream's last event after the command (null: the stream still does not exist). */
  revision: number | null;
};

export class CommandExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
  ) {}

  async load<S, E extends DomainEvent>(streamId: string, decider: Pick<DeciderLike<S, unknown, E>, 'initialState' | 'evolve'>) {
    const recorded = await this.store.readStream(streamId);
    const state = recorded.reduce((s, event) => decider.evolve(s, toDomainEvent(event) as E), decider.initialState());
    const revision = recorded.length ? recorded[recorded.length - 1]!.revision : null;
    return { state, revision, events: recorded };
  }

  async execute<S, C, E extends DomainEvent>(options: ExecuteOptions<S, C, E>): Promise<ExecuteResult<S, E>> {
    const retries = options.expectedRevision !== undefined ? 0 : (options.retries ?? 5);
    for (let attempt = 0; ; attempt++) {
      // A pinned revision is checked against the stream as stored, never against a cached copy.
      const useCache = attempt === 0 && options.expectedRevision === undefined;
      const cached = useCache ? (options.cache?.get(options.streamId) as { state: S; revision: number | null } | undefined) : undefined;
      const { state, revision } = cached ?? (await this.load(options.streamId, options.decider));
      if (options.expectedRevision !== undefined) {
        const expected = options.expectedRevision === 'no_stream' ? null : options.expectedRevision;
        if (expected !== revision) throw revisionMismatch(options.streamId, options.expectedRevision, revision);
      }
      const command = typeof options.command === 'function'
        ? await (options.command as (s: S, r: number | null) => C | Promise<C>)(state, revision)
        : options.command;
      let decided: E[];
      try {
        decided = options.decider.decide(command, state);
      } catch (error) {
        // A refusal decided on a cached state may be stale (another process cancelled a booking):
        // decide again on the stream as stored before telling the caller.
        if (cached) {
          options.cache?.delete(options.streamId);
          continue;
        }
        throw error;
      }
      if (decided.length === 0) return { state, events: [], revision };

      const ctx = currentContext();
      const occurredAt = this.clock.now().toISOString();
      const envelopes = decided.map((event) => ({
        id: this.newId(),
        type: event.type,
        version: event.version ?? 1,
        tenantId: options.tenantId,
        occurredAt,
        correlationId: ctx?.correlationId ?? this.newId(),
        causationId: options.causationId ?? null,
        actor: options.actor ?? ctx?.actor ?? null,
        data: event.data,
      })) as EnvelopeOf<E>[];
      try {
        const appended = await this.store.append(options.streamId, envelopes, revision === null ? 'no_stream' : revision);
        const next = decided.reduce(options.decider.evolve, state);
        options.cache?.set(options.streamId, { state: next, revision: appended.nextExpectedRevision });
        return { state: next, events: envelopes, revision: appended.nextExpectedRevision };
      } catch (error) {
        options.cache?.delete(options.streamId);
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
        // The caller pinned a revision and someone else got there first: the same answer as a
        // mismatch found before appending, whichever moment the race was lost in.
        if (options.expectedRevision !== undefined) throw revisionMismatch(options.streamId, options.expectedRevision, error.actual);
        if (attempt >= retries) {
          throw new DomainError('CONCURRENCY.CONFLICT', 'conflict', `${options.streamId} was changed concurrently; reload and retry`, [], {
            currentRevision: error.actual ?? undefined,
          });
        }
      }
    }
  }
}

function revisionMismatch(streamId: string, expected: number | 'no_stream', actual: number | null): DomainError {
  return new DomainError(
    'CONCURRENCY.REVISION_MISMATCH',
    'conflict',
    `${streamId} is at revision ${actual ?? 'none'}, not ${expected}: someone changed it since you read it`,
    [{ path: 'expectedRevision', message: `current revision is ${actual ?? 'none'}` }],
    actual === null ? {} : { currentRevision: actual },
  );
}

/** A bounded map of folded stream states (least recently used entries go first). */
export class StateCache {
  private readonly entries = new Map<string, { state: unknown; revision: number | null }>();
  constructor(private readonly maxEntries = 10_000) {}

  get(streamId: string): { state: unknown; revision: number | null } | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: { state: unknown; revision: number | null }): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}

export const toDomainEvent = (event: RecordedEvent): DomainEvent => ({ type: event.type, data: event.data, version: event.version });
