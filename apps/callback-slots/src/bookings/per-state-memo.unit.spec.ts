// Memoised pure computations live exactly as long as the folded state object they were computed from.
import { PerStateMemo } from './per-state-memo';

describe('PerStateMemo', () => {
  it('computes once per state and key; a new state object computes again', () => {
    const memo = new PerStateMemo<number>();
    const compute = jest.fn(() => 42);
    const state = { status: 'Active' };
    expect(memo.get(state, 'k', compute)).toBe(42);
    expect(memo.get(state, 'k', compute)).toBe(42);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(memo.get({ status: 'Active' }, 'k', compute)).toBe(42);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('keeps at most the configured number of entries per state, dropping the oldest', () => {
    const memo = new PerStateMemo<string>(2);
    const state = {};
    memo.get(state, 'a', () => 'a');
    memo.get(state, 'b', () => 'b');
    memo.get(state, 'c', () => 'c');
    const recompute = jest.fn(() => 'a2');
    expect(memo.get(state, 'a', recompute)).toBe('a2');
    expect(memo.get(state, 'c', () => 'never')).toBe('c');
  });
});
