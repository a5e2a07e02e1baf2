// Specification of webhook signing: the Standard Webhooks scheme (checked against a hand-computed HMAC),
// verification that rejects tampered bodies, wrong secrets and stale timestamps.
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature, webhookSecretOf } from './webhook-signature';

const key = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const secret = webhookSecretOf(key);
const content = { id: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21', timestampSeconds: 1_795_000_000, body: '{"type":"CallEnded","data":{"x":"é"}}' };

describe('webhook signature', () => {
  it('a secret is whsec_ and the base64 key', () => {
    expect(secret).toBe(`whsec_${key.toString('base64')}`);
    expect(() => webhookSecretOf(Buffer.alloc(8))).toThrow(/16 to 64 bytes/);
  });

  it('signs "{id}.{timestamp}.{body}" with HMAC-SHA256 of the decoded key, as v1,<base64>', () => {
    const expected = createHmac('sha256', key).update(`${content.id}.${content.timestampSeconds}.${content.body}`, 'utf8').digest('base64');
    expect(signWebhook(secret, content)).toBe(`v1,${expected}`);
  });

  it('verifies its own signature, also among several (rotation) signatures', () => {
    const signatureHeader = signWebhook(secret, content);
    const now = { nowSeconds: content.timestampSeconds + 10 };
    expect(verifyWebhookSignature(secret, { ...content, signatureHeader }, now)).toBe(true);
    expect(verifyWebhookSignature(secret, { ...content, signatureHeader: `v1,AAAA ${signatureHeader}` }, now)).toBe(true);
  });

  it.each([
    ['a tampered body', { body: content.body.replace('CallEnded', 'CallEndeD') }, {}],
    ['another id', { id: 'other' }, {}],
    ['a wrong secret', {}, { secret: webhookSecretOf(Buffer.alloc(32, 1)) }],
    ['a timestamp older than the tolerance', {}, { nowSeconds: content.timestampSeconds + 301 }],
    ['an unknown signature version', {}, { header: (h: string) => h.replace('v1,', 'v2,') }],
  ])('rejects %s', (_what, change, options: { secret?: string; nowSeconds?: number; header?: (h: string) => string }) => {
    const signatureHeader = signWebhook(secret, content);
    const verified = verifyWebhookSignature(
      options.secret ?? secret,
      { ...content, ...change, signatureHeader: options.header ? options.header(signatureHeader) : signatureHeader },
      { nowSeconds: options.nowSeconds ?? content.timestampSeconds },
    );
    expect(verified).toBe(false);
  });
});
