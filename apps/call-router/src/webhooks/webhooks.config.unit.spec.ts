// Specification of the webhook settings read from the environment: defaults, strings coerced, bad values named.
import { deliveryPolicyOf, WebhooksConfigSchema, webhooksConfigOf } from './webhooks.config';

describe('webhooks config', () => {
  it('defaults to production-safe settings: no private targets, 8 attempts from 5 s doubling to 1 h, disabled after 20 failures', () => {
    const config = webhooksConfigOf({});
    expect(config).toMatchObject({ WEBHOOK_ALLOW_PRIVATE_TARGETS: false, WEBHOOK_TIMEOUT_MS: 10_000 });
    expect(deliveryPolicyOf(config)).toEqual({ maxAttempts: 8, backoffBaseMs: 5_000, backoffMaxMs: 3_600_000, jitter: 0.2, disableAfterConsecutiveFailures: 20 });
  });

  it('reads environment strings', () => {
    const config = WebhooksConfigSchema.parse({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'TRUE', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_JITTER: '0' });
    expect(config).toMatchObject({ WEBHOOK_ALLOW_PRIVATE_TARGETS: true, WEBHOOK_MAX_ATTEMPTS: 3, WEBHOOK_BACKOFF_JITTER: 0 });
    expect(WebhooksConfigSchema.parse({ WEBHOOK_ALLOW_PRIVATE_TARGETS: '0' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
  });

  it('refuses values it cannot use, naming the variable', () => {
    const result = WebhooksConfigSchema.safeParse({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes', WEBHOOK_MAX_ATTEMPTS: '0' });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['WEBHOOK_ALLOW_PRIVATE_TARGETS', 'WEBHOOK_MAX_ATTEMPTS']);
  });

  it('takes the WEBHOOK_* settings out of a whole service config, given values winning', () => {
    expect(webhooksConfigOf({ WEBHOOK_MAX_ATTEMPTS: 2, NODE_ENV: 'test' } as Record<string, unknown>).WEBHOOK_MAX_ATTEMPTS).toBe(2);
    expect(webhooksConfigOf({ NODE_ENV: 'test' } as Record<string, unknown>)).not.toHaveProperty('NODE_ENV');
  });
});
