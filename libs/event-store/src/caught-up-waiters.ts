// caughtUp() callers wait for the subscription's acknowledged position to reach the head they saw when
// they asked; this keeps those promises and settles them as the position moves.
import { SubscriptionStopped } from './errors';

type Waiter<P> = { target: P; resolve: () => void; reject: (error: Error) => void };

export class CaughtUpWaiters<P> {
  private waiters: Waiter<P>[] = [];

  constructor(
    private readonly checkpointName: string,
    /** Negative when a < b, 0 when equal, positive when a > b. */
    private readonly compare: (a: P, b: P) => number,
  ) {}

  /** A promise that resolves once `settle` is called with a position at or past `target`. */
  waitFor(target: P): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  settle(acknowledged: P): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (this.compare(acknowledged, waiter.target) < 0) return true;
      waiter.resolve();
      return false;
    });
  }

  get size(): number {
    return this.waiters.length;
  }

  rejectAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(new SubscriptionStopped(this.checkpointName));
  }
}
