// Signs webhook deliveries the Standard Webhooks way (standardwebhooks.com): HMAC-SHA256 over
// "{id}.{timestamp}.{body}" with the endpoint's secret, so receivers can verify with its libraries.
// Deterministic given its inputs (the random bytes of a new secret come in as an argument).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX, WEBHOOK_SIGNATURE_VERSION } from '@cc/contracts';

/** Secret bytes: 24 is what the reference implementations generate; 64 bounds what we accept. */
export const WEBHOOK_SECRET_BYTES = 24;

/** `whsec_` + base64 of the key bytes (pass `randomBytes(WEBHOOK_SECRET_BYTES)`). */
export function webhookSecretOf(keyBytes: Uint8Array): string {
  if (keyBytes.length < 16 || keyBytes.length > 64) throw new Error(`a webhook key has 16 to 64 bytes, got ${keyBytes.length}`);
  return `${WEBHOOK_SECRET_PREFIX}${Buffer.from(keyBytes).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error(`a webhook secret starts with ${WEBHOOK_SECRET_PREFIX}`);
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

export type SignedContent = { id: string; timestampSeconds: number; body: string };

/** The `webhook-signature` header value: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`. */
export function signWebhook(secret: string, content: SignedContent): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${content.id}.${content.timestampSeconds}.${content.body}`, 'utf8').digest('base64');
  return `${WEBHOOK_SIGNATURE_VERSION},${mac}`;
}

/**
 * What a receiver does (and our tests): true when one of the space-separated signatures of the header
 * matches (constant-time) and the timestamp is within `toleranceSeconds` of `nowSeconds` (replays).
 */
export function verifyWebhookSignature(
  secret: string,
  content: SignedContent & { signatureHeader: string },
  options: { nowSeconds: number; toleranceSeconds?: number },
): boolean {
  if (Math.abs(options.nowSeconds - content.timestampSeconds) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, content).slice(WEBHOOK_SIGNATURE_VERSION.length + 1), 'base64');
  return content.signatureHeader.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== WEBHOOK_SIGNATURE_VERSION || value === undefined) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
