// A bounded, per-process ProcessedEventStore for consumers whose state is itself in memory (the
// router's replicas): when the process restarts, both the state and this memory start over together.
import type { ProcessedEventStore } from './processed-event.store';

/**
 * Least-recently-used set of (consumer, event id). Bounded: an id evicted after `capacity` newer ones is
 * forgotten, so duplicates older than that are not caught (pick a capacity above the duplicates' reach:
 * a relay restart republishes at most one store batch).
 */
export class InMemoryProcessedEventStore implements ProcessedEventStore {
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  private readonly entries = new Map<string, true>();

  constructor(readonly capacity = 100_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be a positive integer, got ${capacity}`);
  }

  async seen(consumer: string, eventId: string): Promise<boolean> {
    const key = InMemoryProcessedEventStore.key(consumer, eventId);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }

  async mark(consumer: string, eventId: string): Promise<void> {
    const key = InMemoryProcessedEventStore.key(consumer, eventId);
    this.entries.delete(key);
    this.entries.set(key, true);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  // NUL cannot occur in a durable name, so (consumer, id) pairs never collide.
  private static key(consumer: string, eventId: string): string {
    return `${consumer}\u0000${eventId}`;
  }
}
