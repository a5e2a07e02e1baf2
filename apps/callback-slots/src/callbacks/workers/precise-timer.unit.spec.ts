// The firing timer's promise: never before the instant, and (on an idle loop) within a few ms of it.
import { waitUntil } from './precise-timer';

const systemClock = { now: () => new Date() };

describe('waitUntil', () => {
  it('never returns before the instant, over many short waits', async () => {
    const early: number[] = [];
    const late: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const at = Date.now() + 5 + (i % 40);
        await waitUntil(at, systemClock);
        const now = Date.now();
        if (now < at) early.push(at - now);
        late.push(now - at);
      }),
    );
    expect(early).toEqual([]);
    late.sort((a, b) => a - b);
    // Measured, not asserted: the in-process timer's own lateness on an idle loop.
    process.stdout.write(`precise timer lateness over 200 waits: p50 ${late[100]} ms, max ${late[199]} ms\n`);
  });

  it('returns at once for an instant already past', async () => {
    const at = Date.now() - 1000;
    await waitUntil(at, systemClock);
    expect(Date.now()).toBeGreaterThanOrEqual(at);
  });

  it('follows the injected clock, not the system time', async () => {
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const target = Date.now() + 60_000;
    const waiting = waitUntil(target, clock);
    offset = 60_000; // the clock jumps forward: the wait ends within a second, not a minute
    await waiting;
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(target);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitUntil(Date.now() + 60_000, systemClock, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
