// The in-memory idempotency store: per-consumer memory, bounded, least recently used evicted first.
import { InMemoryProcessedEventStore } from './in-memory-processed-event.store';

describe('InMemoryProcessedEventStore', () => {
  it('remembers an id per consumer', async () => {
    const store = new InMemoryProcessedEventStore();
    await store.mark('a', 'e1');
    expect(await store.seen('a', 'e1')).toBe(true);
    expect(await store.seen('b', 'e1')).toBe(false);
    expect(await store.seen('a', 'e2')).toBe(false);
  });

  it('marking twice keeps one entry', async () => {
    const store = new InMemoryProcessedEventStore();
    await store.mark('a', 'e1');
    await store.mark('a', 'e1');
    expect(store.size).toBe(1);
  });

  it('forgets the least recently used id beyond its capacity', async () => {
    const store = new InMemoryProcessedEventStore(2);
    await store.mark('a', 'e1');
    await store.mark('a', 'e2');
    await store.seen('a', 'e1'); // e1 used again: e2 is now the oldest
    await store.mark('a', 'e3');
    expect(store.size).toBe(2);
    expect(await store.seen('a', 'e2')).toBe(false);
    expect(await store.seen('a', 'e1')).toBe(true);
    expect(await store.seen('a', 'e3')).toBe(true);
  });

  it('does not confuse consumer/id pairs that concatenate to the same text', async () => {
    const store = new InMemoryProcessedEventStore();
    await store.mark('ab', 'c');
    expect(await store.seen('a', 'bc')).toBe(false);
  });

  it.each([0, -1, 1.5])('refuses capacity %p', (capacity) => {
    expect(() => new InMemoryProcessedEventStore(capacity)).toThrow(/capacity/);
  });
});
