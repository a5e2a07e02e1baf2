// Routing webhooks end to end on real PostgreSQL and JetStream, with a real HTTP receiver on 127.0.0.1:
// deliveries are signed (Standard Webhooks) and filtered by type, retried with back-off until a 2xx, logged;
// an endpoint that keeps failing is disabled with a reason; a hanging endpoint holds up nothing else.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseRoutingMessage,
  type CallLogPage,
  type Problem,
  type WebhookDeliveryPage,
  type WebhookEndpointView,
  type WebhookEndpointWithSecret,
} from '@cc/contracts';
import { connect } from 'nats';
import { SERVICE_CONFIG, type BaseConfig } from '@cc/platform';
import { eventually, TEST_NATS_URL, uniqueTenant, type HttpClient } from '@cc/testing';
import { appendCall, cleanUpTenant, httpAs, settled, startCallLogTestApp, type CallLogTestApp } from '../call-log/testing/call-log-test-app';
import { RoutingCallScript, type ScriptedAgent } from '../call-log/testing/routing-call.script';
import { verifyWebhookSignature } from './domain/webhook-signature';
import { WebhookEndpointsCache } from './webhook-endpoints.cache';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WEBHOOKS_CONFIG, type WebhooksConfig } from './webhooks.config';

jest.setTimeout(90_000);

/** How long to wait for deliveries on a busy machine (a wait, not an asserted duration). */
const WAIT_MS = 30_000;

type Received = { path: string; headers: IncomingMessage['headers']; body: string };
type Handler = (request: Received, response: ServerResponse) => void;

/** A webhook receiver: records every request and answers per path. */
class Receiver {
  readonly requests: Received[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly held: ServerResponse[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(received);
        const handler = this.handlers.get(received.path);
        if (handler) handler(received, res);
        else res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string, handler: Handler): string {
    this.handlers.set(path, handler);
    return this.url + path;
  }

  /** Answers with each status in turn, the last one from then on. */
  statuses(path: string, ...statuses: number[]): string {
    let n = 0;
    return this.on(path, (_req, res) => {
      const status = statuses[Math.min(n++, statuses.length - 1)]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'maintenance' : '');
    });
  }

  /** Never answers until release(). */
  hang(path: string): string {
    return this.on(path, (_req, res) => this.held.push(res));
  }

  get holding(): number {
    return this.held.filter((res) => !res.writableEnded && !res.destroyed).length;
  }

  release(): void {
    for (const res of this.held.splice(0)) if (!res.writableEnded) res.writeHead(200).end();
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('routing webhooks', () => {
  let app: CallLogTestApp;
  let tenant: string;
  let admin: HttpClient;
  let receiver: Receiver;
  const ada: ScriptedAgent = { agentId: randomUUID(), extension: '2001' };

  beforeAll(async () => {
    app = await startCallLogTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    admin = await httpAs(app, tenant, 'ADMIN');
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    await cleanUpTenant(app, tenant);
  });

  const register = async (url: string, eventTypes: string[] | null = null): Promise<WebhookEndpointWithSecret> => {
    const res = await admin.post<WebhookEndpointWithSecret>('/v1/webhooks', { url, eventTypes });
    expect(res.status).toBe(201);
    return res.body;
  };
  const answeredCall = () =>
    new RoutingCallScript(tenant, `call-${randomUUID()}@pbx.test`).received().decided([ada]).ringing(ada).answered(ada, 3).ended('answered', { talkSeconds: 20, answeredBy: ada });
  const deliveries = async (endpointId: string): Promise<WebhookDeliveryPage['items']> => (await admin.get<WebhookDeliveryPage>(`/v1/webhooks/${endpointId}/deliveries`)).body.items;


  it('another instance forgets its cached endpoints when they change here (NATS notice), not after its TTL', async () => {
    // A second cache, as another router instance holds it: same database and NATS, an hour-long TTL.
    const nc = await connect({ servers: TEST_NATS_URL, name: 'webhooks-cache-peer' });
    try {
      const peer = new WebhookEndpointsCache(
        app.app.get(WebhookEndpointsRepository),
        nc,
        app.app.get<BaseConfig>(SERVICE_CONFIG),
        { ...app.app.get<WebhooksConfig>(WEBHOOKS_CONFIG), WEBHOOK_ENDPOINT_CACHE_MS: 3_600_000 },
      );
      peer.onModuleInit();
      await nc.flush();
      expect(await peer.enabled(tenant)).toEqual([]);

      const endpoint = await register(receiver.statuses('/cached', 200));
      await eventually(async () => (await peer.enabled(tenant)).map((e) => e.id).join() === endpoint.id);

      expect((await admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false })).status).toBe(200);
      await eventually(async () => (await peer.enabled(tenant)).length === 0);
      peer.onApplicationShutdown();
    } finally {
      await nc.close();
    }
  });
  it('delivers the events of the types asked for, signed, retried with back-off until a 2xx, and logs every attempt', async () => {
    const endpoint = await register(receiver.statuses('/flaky', 500, 500, 204), ['CallEnded']);
    const call = answeredCall();
    await appendCall(app, call);

    const received = await eventually(async () => (receiver.at('/flaky').length === 3 ? receiver.at('/flaky') : undefined), WAIT_MS);
    const ended = call.events[4]!;
    for (const request of received) {
      expect(request.headers['webhook-id']).toBe(ended.id);
      expect(request.headers['cc-event-type']).toBe('CallEnded');
      expect(request.headers['content-type']).toBe('application/json');
      const timestampSeconds = Number(request.headers['webhook-timestamp']);
      expect(
        verifyWebhookSignature(
          endpoint.secret,
          { id: ended.id, timestampSeconds, body: request.body, signatureHeader: String(request.headers['webhook-signature']) },
          { nowSeconds: Math.floor(Date.now() / 1000) },
        ),
      ).toBe(true);
      expect(parseRoutingMessage(JSON.parse(request.body)).message).toMatchObject({ id: ended.id, type: 'CallEnded', tenantId: tenant, revision: 4 });
    }

    const [delivery, ...others] = await eventually(async () => {
      const items = await deliveries(endpoint.id);
      return items[0]?.status === 'delivered' ? items : undefined;
    }, WAIT_MS);
    expect(others).toEqual([]); // only CallEnded was asked for
    expect(delivery).toMatchObject({ eventId: ended.id, eventType: 'CallEnded', nextAttemptAt: null });
    expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 204],
    ]);
    expect(delivery!.attempts[0]!.error).toBe('maintenance');
    // The failures before the success do not count against the endpoint any more.
    expect((await admin.get<WebhookEndpointView>(`/v1/webhooks/${endpoint.id}`)).body).toMatchObject({ status: 'enabled', consecutiveFailures: 0 });
  });

  it('an endpoint that keeps failing is retried, then disabled with the reason, and its other deliveries abandoned', async () => {
    const endpoint = await register(receiver.statuses('/down', 503));
    await appendCall(app, answeredCall());

    const disabled = await eventually(async () => {
      const view = (await admin.get<WebhookEndpointView>(`/v1/webhooks/${endpoint.id}`)).body;
      return view.status === 'disabled' ? view : undefined;
    }, WAIT_MS);
    expect(disabled).toMatchObject({ consecutiveFailures: 4, disabledReason: '4 consecutive failed deliveries; last: HTTP 503 (maintenance)' });
    const items = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list.length === 5 && list.every((d) => d.status !== 'pending') ? list : undefined;
    }, WAIT_MS);
    expect(new Set(items.map((d) => d.status))).toEqual(new Set(['failed', 'abandoned']));
    expect(items.flatMap((d) => d.attempts).every((a) => a.statusCode === 503)).toBe(true);
    expect((await admin.get<WebhookDeliveryPage>(`/v1/webhooks/${endpoint.id}/deliveries?status=abandoned`)).body.items.every((d) => d.status === 'abandoned')).toBe(true);

    // An admin re-enables it: the count starts again and new events are delivered.
    const enabled = await admin.patch<WebhookEndpointView>(`/v1/webhooks/${endpoint.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ status: 'enabled', consecutiveFailures: 0, disabledReason: null, disabledAt: null });
  });

  it('a hanging endpoint holds up neither the routing events, the call log, nor another endpoint', async () => {
    await register(receiver.hang('/hang'));
    await register(receiver.statuses('/ok', 200));
    await appendCall(app, answeredCall());
    await eventually(async () => receiver.holding > 0, WAIT_MS);

    const second = answeredCall();
    await appendCall(app, second);
    await settled(app);
    const page = (await admin.get<CallLogPage>('/v1/call-logs')).body;
    expect(page.items.map((i) => i.callId)).toContain(second.callId);
    await eventually(async () => receiver.at('/ok').some((r) => r.headers['webhook-id'] === second.events[4]!.id), WAIT_MS);
    expect(receiver.holding).toBeGreaterThan(0);
    receiver.release();
  });

  describe('endpoints API', () => {
    it('creates, lists (without the secret), changes, rotates the secret of and deletes an endpoint', async () => {
      const created = await register(receiver.statuses('/a', 200), ['CallEnded']);
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(created).toMatchObject({ status: 'enabled', eventTypes: ['CallEnded'], description: null, secretHint: created.secret.slice(0, 10) });

      const listed = (await admin.get<{ items: WebhookEndpointView[] }>('/v1/webhooks')).body.items;
      expect(listed).toHaveLength(1);
      expect(listed[0]).not.toHaveProperty('secret');

      const changed = await admin.patch<WebhookEndpointView>(`/v1/webhooks/${created.id}`, { eventTypes: null, description: 'CRM' });
      expect(changed.body).toMatchObject({ eventTypes: null, description: 'CRM', url: created.url });
      const paused = await admin.patch<WebhookEndpointView>(`/v1/webhooks/${created.id}`, { enabled: false });
      expect(paused.body).toMatchObject({ status: 'disabled', disabledReason: `disabled by admin-x@${tenant}.test` });

      const rotated = await admin.post<WebhookEndpointWithSecret>(`/v1/webhooks/${created.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(created.secret);

      expect((await admin.delete(`/v1/webhooks/${created.id}`)).status).toBe(204);
      expect((await admin.get<Problem>(`/v1/webhooks/${created.id}`)).body).toMatchObject({ status: 404, code: 'WEBHOOKS.ENDPOINT_NOT_FOUND' });
    });

    it('only admins manage webhooks, and only their own tenant\'s', async () => {
      const created = await register(receiver.statuses('/a', 200));
      const manager = await httpAs(app, tenant, 'MANAGER', ada.agentId);
      expect((await manager.get<Problem>('/v1/webhooks')).body).toMatchObject({ status: 403, code: 'AUTH.ROLE_REQUIRED' });
      const other = await httpAs(app, uniqueTenant(), 'ADMIN');
      expect((await other.get(`/v1/webhooks/${created.id}`)).status).toBe(404);
      expect((await other.delete(`/v1/webhooks/${created.id}`)).status).toBe(404);
    });

    it.each([
      ['a URL that is not http(s)', { url: 'ftp://example.com/hook' }, 'url'],
      ['a URL with credentials', { url: 'https://user:pw@example.com/hook' }, 'url'],
      ['an unknown event type', { url: 'https://example.com/hook', eventTypes: ['CallStarted'] }, 'eventTypes.0'],
      ['an empty type filter', { url: 'https://example.com/hook', eventTypes: [] }, 'eventTypes'],
      ['an unknown field', { url: 'https://example.com/hook', secret: 'mine' }, 'secret'],
    ])('refuses %s with 400 on the field', async (_what, body, path) => {
      const res = await admin.post<Problem>('/v1/webhooks', body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.path)).toContain(path);
    });

    it('refuses a 21st endpoint of a tenant with 409', async () => {
      for (let i = 0; i < 20; i++) await register(`https://hooks.example.com/${i}`);
      const res = await admin.post<Problem>('/v1/webhooks', { url: 'https://hooks.example.com/21' });
      expect(res.body).toMatchObject({ status: 409, code: 'WEBHOOKS.TOO_MANY_ENDPOINTS' });
    });
  });
});
