// A bounded map of stream reads with the time they were made: an entry younger than `maxAgeMs` may be
// used as is ("fresh"); an older one is still the base for an incremental read ("stale").
export class FreshnessCache<V> {
  private readonly entries = new Map<string, { value: V; readAt: number }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, forceStale = false): { fresh?: V; stale?: V } {
    const entry = this.entries.get(key);
    if (!entry) return {};
    if (!forceStale && Date.now() - entry.readAt < this.maxAgeMs) return { fresh: entry.value };
    return { stale: entry.value };
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, readAt: Date.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
