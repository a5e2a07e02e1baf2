// A clock tests move by hand (injected through the CLOCK token), instead of mocking Date globally.
import type { Clock } from '@cc/platform';

export class ManualClock implements Clock {
  private current: Date;
  constructor(start: Date | string = '2026-11-23T09:00:00.000Z') {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
}
