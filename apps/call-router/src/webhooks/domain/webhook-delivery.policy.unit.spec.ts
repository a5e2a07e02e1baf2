// Specification of the webhook retry, back-off and disable policy, one describe per outcome.
import { afterAttempt, backoffDelayMs, type WebhookDeliveryPolicy } from './webhook-delivery.policy';

const policy: WebhookDeliveryPolicy = { maxAttempts: 5, backoffBaseMs: 1_000, backoffMaxMs: 10_000, jitter: 0.2, disableAfterConsecutiveFailures: 8 };
const now = new Date('2026-11-23T09:00:00.000Z');
const failed = { ok: false as const, statusCode: 500, error: '' };

describe('webhook delivery policy', () => {
  describe('back-off', () => {
    it('doubles per attempt from the base up to the cap (no jitter at random 0.5)', () => {
      expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, policy, 0.5))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    });

    it('spreads each delay by at most the jitter either way', () => {
      expect(backoffDelayMs(2, policy, 0)).toBe(1_600);
      expect(backoffDelayMs(2, policy, 0.999999)).toBe(2_400);
      expect(backoffDelayMs(2, { ...policy, jitter: 0 }, 0)).toBe(2_000);
    });
  });

  describe('an attempt that succeeds', () => {
    it('delivers and resets the endpoint failure count', () => {
      expect(afterAttempt({ attempt: 3, result: { ok: true, statusCode: 204 }, consecutiveFailures: 6, now, random: 0.5, policy })).toEqual({
        delivery: { status: 'delivered' },
        endpoint: { consecutiveFailures: 0, disabledReason: null },
      });
    });
  });

  describe('an attempt that fails with attempts left', () => {
    it('is retried after the back-off and counts one more endpoint failure', () => {
      expect(afterAttempt({ attempt: 2, result: failed, consecutiveFailures: 1, now, random: 0.5, policy })).toEqual({
        delivery: { status: 'pending', nextAttemptAt: new Date('2026-11-23T09:00:02.000Z') },
        endpoint: { consecutiveFailures: 2, disabledReason: null },
      });
    });
  });

  describe('the last allowed attempt failing', () => {
    it('gives the delivery up without disabling an endpoint below the threshold', () => {
      expect(afterAttempt({ attempt: 5, result: { ok: false, statusCode: null, error: 'connect ECONNREFUSED 127.0.0.1:9' }, consecutiveFailures: 4, now, random: 0.5, policy })).toEqual({
        delivery: { status: 'failed' },
        endpoint: { consecutiveFailures: 5, disabledReason: null },
      });
    });
  });

  describe('repeated failures across deliveries', () => {
    it('disable the endpoint at the threshold, with the count and the last error as the reason', () => {
      expect(afterAttempt({ attempt: 1, result: { ok: false, statusCode: 503, error: 'Service Unavailable' }, consecutiveFailures: 7, now, random: 0.5, policy })).toEqual({
        delivery: { status: 'failed' },
        endpoint: { consecutiveFailures: 8, disabledReason: '8 consecutive failed deliveries; last: HTTP 503 (Service Unavailable)' },
      });
    });
  });

  describe('410 Gone', () => {
    it('disables the endpoint at once: the receiver says it no longer exists', () => {
      expect(afterAttempt({ attempt: 1, result: { ok: false, statusCode: 410, error: '' }, consecutiveFailures: 0, now, random: 0.5, policy })).toEqual({
        delivery: { status: 'failed' },
        endpoint: { consecutiveFailures: 1, disabledReason: 'the endpoint answered 410 Gone' },
      });
    });
  });
});
