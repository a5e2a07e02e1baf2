// What happens after a webhook delivery attempt: delivered, retried later (exponential back-off with
// jitter), or given up; and whether the endpoint is disabled (N consecutive failures, or 410 Gone). Pure:
// time and the jitter's random number come in.

export type WebhookDeliveryPolicy = {
  /** Attempts per delivery, the first included. */
  readonly maxAttempts: number;
  /** Delay before the 2nd attempt; doubles per attempt up to backoffMaxMs. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Spread of each delay, 0..1 (0.2 = ±20 %), so a recovering endpoint is not hit by every retry at once. */
  readonly jitter: number;
  /** Consecutive failed attempts (across deliveries) after which the endpoint is disabled. */
  readonly disableAfterConsecutiveFailures: number;
};

export type AttemptResult = { readonly ok: true; readonly statusCode: number } | { readonly ok: false; readonly statusCode: number | null; readonly error: string };

export type AttemptOutcome = {
  readonly delivery: { readonly status: 'delivered' } | { readonly status: 'pending'; readonly nextAttemptAt: Date } | { readonly status: 'failed' };
  readonly endpoint: { readonly consecutiveFailures: number; readonly disabledReason: string | null };
};

/** Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed; `random` in [0, 1). */
export function backoffDelayMs(attempt: number, policy: WebhookDeliveryPolicy, random: number): number {
  const exponential = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  const spread = exponential * policy.jitter * (2 * random - 1);
  return Math.max(0, Math.round(exponential + spread));
}

export function afterAttempt(input: {
  /** The attempt just made, 1-based. */
  attempt: number;
  result: AttemptResult;
  /** The endpoint's consecutive failures before this attempt. */
  consecutiveFailures: number;
  now: Date;
  random: number;
  policy: WebhookDeliveryPolicy;
}): AttemptOutcome {
  const { attempt, result, policy } = input;
  if (result.ok) return { delivery: { status: 'delivered' }, endpoint: { consecutiveFailures: 0, disabledReason: null } };

  const failures = input.consecutiveFailures + 1;
  const last = describeFailure(result);
  // 410 Gone: the receiver says the endpoint no longer exists (the Standard Webhooks convention).
  const disabledReason =
    result.statusCode === 410
      ? `the endpoint answered 410 Gone`
      : failures >= policy.disableAfterConsecutiveFailures
        ? `${failures} consecutive failed deliveries; last: ${last}`
        : null;
  if (disabledReason !== null || attempt >= policy.maxAttempts) {
    return { delivery: { status: 'failed' }, endpoint: { consecutiveFailures: failures, disabledReason } };
  }
  const nextAttemptAt = new Date(input.now.getTime() + backoffDelayMs(attempt, policy, input.random));
  return { delivery: { status: 'pending', nextAttemptAt }, endpoint: { consecutiveFailures: failures, disabledReason: null } };
}

export const describeFailure = (result: Extract<AttemptResult, { ok: false }>): string =>
  result.statusCode === null ? result.error : `HTTP ${result.statusCode}${result.error ? ` (${result.error})` : ''}`;
