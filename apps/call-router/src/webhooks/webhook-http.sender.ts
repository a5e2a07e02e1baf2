// Sends one webhook attempt: an HTTP(S) POST with a deadline, no redirects followed, and every address
// the host resolves to checked against the SSRF guard at connect time (no check-then-resolve gap).
// Never throws: every failure is an attempt result with a reason for the delivery log.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AttemptResult } from './domain/webhook-delivery.policy';
import { isNonPublicAddress } from './domain/webhook-target.rules';

export type WebhookRequest = {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateTargets: boolean;
};

export type SentAttempt = { result: AttemptResult; durationMs: number };

/** Bytes of a response body kept for the error message of a failed attempt. */
const RESPONSE_EXCERPT_BYTES = 200;

export function sendWebhook(request: WebhookRequest): Promise<SentAttempt> {
  const started = performance.now();
  const refused = (error: string): Promise<SentAttempt> =>
    Promise.resolve({ result: { ok: false, statusCode: null, error }, durationMs: Math.round(performance.now() - started) });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refused(`not a URL: ${request.url}`);
  }
  // An IP literal is never looked up: check it here; names are checked as they resolve (publicOnlyLookup).
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!request.allowPrivateTargets && isIP(literal) && isNonPublicAddress(literal)) return refused(`${url.hostname} is not a public address`);

  return new Promise<SentAttempt>((resolve) => {
    let settled = false;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req: ClientRequest = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body), 'user-agent': 'call-control-webhooks/1', ...request.headers },
        ...(request.allowPrivateTargets ? {} : { lookup: publicOnlyLookup }),
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < RESPONSE_EXCERPT_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        response.on('error', (error) => fail(`response failed: ${error.message}`, status || null));
        response.on('end', () => {
          if (status >= 200 && status < 300) return finish({ ok: true, statusCode: status });
          const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
          fail(excerpt || (response.statusMessage ?? ''), status);
        });
      },
    );
    const deadline = setTimeout(() => {
      fail(`no response within ${request.timeoutMs} ms`);
      req.destroy();
    }, request.timeoutMs);
    function finish(result: AttemptResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ result, durationMs: Math.round(performance.now() - started) });
    }
    function fail(error: string, statusCode: number | null = null): void {
      finish({ ok: false, statusCode, error });
    }
    req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ? `${error.code}: ${error.message}` : error.message));
    req.end(request.body);
  });
}

/** dns.lookup that refuses a name resolving to a non-public address (checked for every address returned). */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return (callback as (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void)(error, '', 0);
    const blocked = addresses.find((entry) => isNonPublicAddress(entry.address));
    const done = callback as (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void;
    if (blocked) return done(Object.assign(new Error(`${hostname} resolves to ${blocked.address}, not a public address`), { code: 'EWEBHOOKTARGET' }), '', 0);
    if ((options as { all?: boolean }).all) return done(null, addresses);
    const first = addresses[0];
    if (!first) return done(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    return done(null, first.address, first.family);
  });
};
