// Waits until an instant on the injected clock, never returning before it. setTimeout alone may fire
// a millisecond early (libuv compares against its cached loop time), so the wait re-checks the clock
// and finishes the last couple of milliseconds on setImmediate turns.
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '@cc/platform';

/** Below this many ms left, yield to the event loop turn by turn instead of arming a timer. */
const SPIN_BELOW_MS = 2;
/** Longest single sleep: the clock is re-read at least this often (a clock step or an injected clock's jump). */
const MAX_SLEEP_MS = 1_000;

/** Resolves at the first moment `clock.now() >= atMs`; rejects with the signal's reason when aborted first. */
export async function waitUntil(atMs: number, clock: Clock, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const remaining = atMs - clock.now().getTime();
    if (remaining <= 0) return;
    if (remaining < SPIN_BELOW_MS) await nextTurn(undefined, signal ? { signal } : undefined);
    else await sleep(Math.min(remaining - 1, MAX_SLEEP_MS), undefined, signal ? { signal } : undefined);
  }
}
