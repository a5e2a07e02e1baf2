// The command path every service uses, on the real PostgreSQL event store: decide/append, re-decide
// after a concurrent write, pinned revisions, and the state cache of hot streams.
import { randomUUID } from 'node:crypto';
import { DomainError } from '@cc/contracts';
import { PostgresEventStore } from '@cc/event-store';
import { CommandExecutor, StateCache, type DeciderLike } from './command-executor';

type Placed = { type: 'Placed'; data: { who: string } };
type Freed = { type: 'Freed'; data: { who: string } };
type SeatEvent = Placed | Freed;
type Seats = { taken: string[] };
type SeatCommand = { kind: 'take'; who: string } | { kind: 'free'; who: string };

/** Two seats; taking a third is refused. */
const seats: DeciderLike<Seats, SeatCommand, SeatEvent> = {
  initialState: () => ({ taken: [] }),
  evolve: (state, event) =>
    event.type === 'Placed' ? { taken: [...state.taken, event.data.who] } : { taken: state.taken.filter((w) => w !== event.data.who) },
  decide: (command, state) => {
    if (command.kind === 'free') return state.taken.includes(command.who) ? [{ type: 'Freed', data: { who: command.who } }] : [];
    if (state.taken.includes(command.who)) return [];
    if (state.taken.length >= 2) throw new DomainError('TEST.FULL', 'conflict', 'full');
    return [{ type: 'Placed', data: { who: command.who } }];
  },
};

describe('CommandExecutor on PostgreSQL', () => {
  let store: PostgresEventStore;
  const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
  const tenantId = `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    store = await PostgresEventStore.create({
      connectionString: process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test',
      schema: `test_cmd_${randomUUID().replace(/-/g, '').slice(0, 10)}`,
    });
  });
  afterAll(async () => {
    await store.dropSchema();
    await store.close();
  });

  const stream = () => `seats-${tenantId}-${randomUUID().slice(0, 8)}`;

  it('wraps decided events in envelopes with ids, time, tenant and actor, and appends them', async () => {
    const executor = new CommandExecutor(store, clock);
    const streamId = stream();
    const result = await executor.execute({ streamId, decider: seats, command: { kind: 'take', who: 'a' }, tenantId, actor: 'u1' });
    expect(result.revision).toBe(0);
    const [stored] = await store.readStream(streamId);
    expect(stored).toMatchObject({ type: 'Placed', tenantId, actor: 'u1', occurredAt: '2026-11-23T10:00:00.000Z', data: { who: 'a' } });
  });

  it('appends nothing when the decider finds nothing to change', async () => {
    const executor = new CommandExecutor(store, clock);
    const streamId = stream();
    await executor.execute({ streamId, decider: seats, command: { kind: 'take', who: 'a' }, tenantId });
    const again = await executor.execute({ streamId, decider: seats, command: { kind: 'take', who: 'a' }, tenantId });
    expect(again.events).toEqual([]);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('re-decides after concurrent writes, so the invariant holds: exactly two of ten win', async () => {
    const executor = new CommandExecutor(store, clock);
    const streamId = stream();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => executor.execute({ streamId, decider: seats, command: { kind: 'take', who: `w${i}` }, tenantId, retries: 20 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as DomainError).code);
    expect(refusals.every((code) => code === 'TEST.FULL')).toBe(true);
    expect(await store.readStream(streamId)).toHaveLength(2);
  });

  it('fails with the current revision when the caller pinned an older one', async () => {
    const executor = new CommandExecutor(store, clock);
    const streamId = stream();
    await executor.execute({ streamId, decider: seats, command: { kind: 'take', who: 'a' }, tenantId });
    const error = await executor
      .execute({ streamId, decider: seats, command: { kind: 'take', who: 'b' }, tenantId, expectedRevision: 'no_stream' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'CONCURRENCY.REVISION_MISMATCH', details: { currentRevision: 0 } });
  });

  it('uses cached state for one-round-trip commands and recovers when another writer moved the stream', async () => {
    const cache = new StateCache();
    const mine = new CommandExecutor(store, clock);
    const other = new CommandExecutor(store, clock);
    const streamId = stream();
    await mine.execute({ streamId, decider: seats, command: { kind: 'take', who: 'a' }, tenantId, cache });
    await mine.execute({ streamId, decider: seats, command: { kind: 'take', who: 'b' }, tenantId, cache });
    // Another process frees a seat: the cache now wrongly says "full".
    await other.execute({ streamId, decider: seats, command: { kind: 'free', who: 'a' }, tenantId });
    const taken = await mine.execute({ streamId, decider: seats, command: { kind: 'take', who: 'c' }, tenantId, cache });
    expect(taken.state.taken).toEqual(['b', 'c']);
    // Another process takes the freed seat... then ours, with a stale cache, conflicts and re-decides.
    await other.execute({ streamId, decider: seats, command: { kind: 'free', who: 'b' }, tenantId });
    await other.execute({ streamId, decider: seats, command: { kind: 'take', who: 'd' }, tenantId });
    await expect(mine.execute({ streamId, decider: seats, command: { kind: 'take', who: 'e' }, tenantId, cache })).rejects.toMatchObject({ code: 'TEST.FULL' });
    expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['Placed', 'Placed', 'Freed', 'Placed', 'Freed', 'Placed']);
  });
});
