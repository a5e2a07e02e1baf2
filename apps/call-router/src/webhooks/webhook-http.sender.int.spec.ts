// The webhook HTTP sender against a real local server: 2xx is delivered, anything else a failure with the
// status and a response excerpt, no answer within the deadline a failure, and non-public targets refused
// (an IP literal at once, a name when it resolves) unless private targets are allowed.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-http.sender';

describe('sendWebhook', () => {
  let server: Server;
  let port: number;
  let lastBody = '';
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        lastBody = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/ok') res.writeHead(204).end();
        else if (req.url === '/hang') held.push(res);
        else res.writeHead(422, { 'content-type': 'text/plain' }).end(`  unknown\n event   type ${'x'.repeat(500)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const res of held) res.end();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (path: string, options: { host?: string; allowPrivateTargets?: boolean; timeoutMs?: number } = {}) =>
    sendWebhook({
      url: `http://${options.host ?? '127.0.0.1'}:${port}${path}`,
      headers: { 'webhook-id': 'x' },
      body: '{"a":1}',
      timeoutMs: options.timeoutMs ?? 5_000,
      allowPrivateTargets: options.allowPrivateTargets ?? true,
    });

  it('a 2xx is delivered, with the body sent as is', async () => {
    const sent = await send('/ok');
    expect(sent.result).toEqual({ ok: true, statusCode: 204 });
    expect(lastBody).toBe('{"a":1}');
  });

  it('another status is a failure with the status and the start of the response, whitespace folded', async () => {
    const sent = await send('/bad');
    expect(sent.result).toMatchObject({ ok: false, statusCode: 422 });
    const error = (sent.result as { error: string }).error;
    expect(error.startsWith('unknown event type xxx')).toBe(true);
    expect(error.length).toBeLessThanOrEqual(200);
  });

  it('no answer before the deadline is a failure without status', async () => {
    expect((await send('/hang', { timeoutMs: 200 })).result).toEqual({ ok: false, statusCode: null, error: 'no response within 200 ms' });
  });

  it('a refused connection is a failure with the system error', async () => {
    const sent = await sendWebhook({ url: 'http://127.0.0.1:1/', headers: {}, body: '{}', timeoutMs: 5_000, allowPrivateTargets: true });
    expect(sent.result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^ECONNREFUSED/) });
  });

  it('refuses non-public targets unless allowed: an IP literal without connecting, a name once it resolves', async () => {
    expect((await send('/ok', { allowPrivateTargets: false })).result).toEqual({ ok: false, statusCode: null, error: '127.0.0.1 is not a public address' });
    expect((await send('/ok', { host: 'localhost', allowPrivateTargets: false })).result).toMatchObject({
      ok: false,
      statusCode: null,
      error: expect.stringMatching(/^EWEBHOOKTARGET: localhost resolves to (127\.0\.0\.1|::1), not a public address$/),
    });
  });
});
