// Time comes from an injected clock so deciders stay pure and tests can move time.
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
