// Remembers pure computations over an immutable folded state (a call slot's occurrences, number
// verdicts against a blacklist) for as long as that state object is current: the stream readers hand
// back the same object until the stream changes, so a new event simply starts a fresh memo.
export class PerStateMemo<V> {
  private readonly memos = new WeakMap<object, Map<string, V>>();

  constructor(private readonly maxEntriesPerState = 10_000) {}

  get(state: object, key: string, compute: () => V): V {
    let memo = this.memos.get(state);
    if (!memo) {
      memo = new Map();
      this.memos.set(state, memo);
    }
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (memo.size >= this.maxEntriesPerState) memo.delete(memo.keys().next().value as string);
    memo.set(key, value);
    return value;
  }
}
