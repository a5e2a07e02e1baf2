// A subscription loop sleeps between polls; appends, NOTIFYs, caughtUp() and stop() cut the sleep short.
// A wake-up that arrives while the loop is busy is remembered, so it is never lost between two reads.

export class WakeSignal {
  private pending = false;
  private wakeWaiter: (() => void) | null = null;

  wake(): void {
    const waiter = this.wakeWaiter;
    if (waiter) waiter();
    else this.pending = true;
  }

  /** Forgets earlier wake-ups: call it just before a read, so only wake-ups after the read count. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on the next wake-up (at once if one is pending) or after `timeoutMs`, whichever is first. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeWaiter = null;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.wakeWaiter = done;
    });
  }
}
