// When the next attempt of a callback may start: exponential back-off from the call slot's retry
// policy, bounded by its attempt count and by the occurrence's end (plus grace). Pure.
import type { RetryPolicy } from '@cc/contracts';

export type RetryDecision = { kind: 'retry'; at: string } | { kind: 'stop'; reason: 'max-attempts' | 'slot-ended' };

/**
 * After attempt `attemptsMade` (1-based) finished at `finishedAt`: the n-th retry starts
 * `backoffSeconds * 2^(n-1)` later, unless every attempt is used or that instant is after `deadline`.
 * A retry exactly at the deadline is still allowed (the deadline is the last instant an attempt may start).
 */
export function retryDecision(policy: RetryPolicy, attemptsMade: number, finishedAt: string, deadline: string): RetryDecision {
  if (attemptsMade >= policy.maxAttempts) return { kind: 'stop', reason: 'max-attempts' };
  const at = Date.parse(finishedAt) + policy.backoffSeconds * 1000 * 2 ** (attemptsMade - 1);
  if (at > Date.parse(deadline)) return { kind: 'stop', reason: 'slot-ended' };
  return { kind: 'retry', at: new Date(at).toISOString() };
}

/** First retry of a dial-plan request after 1 s, doubling up to this. */
export const DIAL_PLAN_RETRY_MAX_MS = 60_000;

/** When to ask the router again after its `failures`-th consecutive failure for one attempt (1 s, 2 s, 4 s … 60 s), or null past the deadline. */
export function dialPlanRetryAt(failures: number, now: string, deadline: string): string | null {
  const at = Date.parse(now) + Math.min(1000 * 2 ** (failures - 1), DIAL_PLAN_RETRY_MAX_MS);
  return at > Date.parse(deadline) ? null : new Date(at).toISOString();
}

/** The last instant an attempt may start: the occurrence's end plus the grace. */
export const attemptDeadline = (endIso: string, graceSeconds: number): string => new Date(Date.parse(endIso) + graceSeconds * 1000).toISOString();
