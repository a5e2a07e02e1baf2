// P1 in miniature: `call-router.route` over NATS with 8 requests in flight (real calls, a fresh call id
// each, recorded behind the answer), served by the raw queue subscription and by Nest's @MessagePattern,
// against a raw NATS echo of the same request and reply sizes in the same process. Logs decisions/s and
// p50/p99; asserts only that every request got a routed plan (tests never assert timings). Client, router
// and echo share this process, so the numbers are lower than `npm run bench` (separate processes); run the
// file alone for clean numbers (other test files' routers join the same queue group).
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { CallRouterSubjects } from '@cc/contracts';
import { TEST_NATS_URL, uniqueName, uniqueTenant } from '@cc/testing';
import { cleanUpTenant, httpAs, startRouterTestApp, TenantEvents, type RouterTestApp } from '../../test/call-router-test-app';
import { agent, device, ringThenVoicemailInput } from '../domain/routing.fixture';
import { CallRecorder } from '../routing/call-recorder';

jest.setTimeout(180_000);

const IN_FLIGHT = 8;
const WARMUP_MS = 1_000;
const MEASURE_MS = 4_000;
const NUMBER = '+442071838400';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Measured = { perSecond: number; p50: number; p99: number; completed: number; failed: number };

async function closedLoop(durationMs: number, once: () => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await once();
          latencies.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { perSecond: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99), completed: latencies.length, failed };
}

async function measure(once: () => Promise<void>): Promise<Measured> {
  await closedLoop(WARMUP_MS, once);
  return closedLoop(MEASURE_MS, once);
}

const describe$ = (label: string, m: Measured) =>
  `${label}: ${Math.round(m.perSecond)}/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms (${m.completed} ok, ${m.failed} failed)`;

describe('route over NATS, 8 in flight (measured)', () => {
  let client: NatsConnection;
  let tenant: string;

  beforeAll(async () => {
    client = await connect({ servers: TEST_NATS_URL, name: 'route-throughput-client' });
    tenant = uniqueTenant();
  });
  afterAll(async () => {
    await client?.drain();
  });

  const request = () => encoder.encode(JSON.stringify({ pattern: CallRouterSubjects.route, data: { tenantId: tenant, callId: `bench-${randomUUID()}`, number: NUMBER, cli: '+447700900123' }, id: randomUUID() }));
  const routeOnce = async () => {
    const reply = JSON.parse(decoder.decode((await client.request(CallRouterSubjects.route, request(), { timeout: 2_000 })).data)) as { response?: { outcome?: string }; err?: unknown };
    if (reply.response?.outcome !== 'routed') throw new Error(`not routed: ${JSON.stringify(reply.err ?? reply.response)}`);
  };

  async function routerRun(transport: 'raw' | 'nest'): Promise<{ routed: Measured; replyBytes: number }> {
    const app: RouterTestApp = await startRouterTestApp({ config: { ROUTER_ROUTE_TRANSPORT: transport } });
    try {
      const events = new TenantEvents(app.nc, tenant);
      await events.agentRegistered(agent('2001'));
      await events.deviceChanged(device('2001', 'registered'));
      const admin = await httpAs(app, tenant, 'ADMIN');
      const flow = ringThenVoicemailInput(NUMBER, 'Bench line', '2001');
      expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow })).status).toBe(200);
      // Nest's transport subscribes at start; the raw one once the replicas are caught up (already, here).
      let replyBytes = 0;
      for (let attempt = 0; attempt < 100 && replyBytes === 0; attempt++) {
        try {
          replyBytes = (await client.request(CallRouterSubjects.route, request(), { timeout: 1_000 })).data.length;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const routed = await measure(routeOnce);
      const recorder = app.app.get(CallRecorder);
      const backlog = recorder.backlog();
      const drainStarted = performance.now();
      await recorder.idle();
      console.log(
        `${describe$(`route via ${transport}`, routed)}; reply ${replyBytes} bytes; call records waiting at the end ${backlog}, stored ${Math.round(performance.now() - drainStarted)} ms later`,
      );
      return { routed, replyBytes };
    } finally {
      await cleanUpTenant(app, tenant);
      await app.stop();
    }
  }

  async function echoRun(replyBytes: number): Promise<Measured> {
    const subject = `${uniqueName('echo')}.route`;
    const responder = await connect({ servers: TEST_NATS_URL, name: 'route-throughput-echo' });
    const fixed = encoder.encode(JSON.stringify({ response: 'x'.repeat(Math.max(0, replyBytes - 15)) }));
    responder.subscribe(subject, { queue: 'echo', callback: (_error, msg) => msg.respond(fixed) });
    await responder.flush();
    try {
      return await measure(async () => {
        JSON.parse(decoder.decode((await client.request(subject, request(), { timeout: 2_000 })).data));
      });
    } finally {
      await responder.drain();
    }
  }

  it('answers every request with a routed plan; logs raw, Nest and echo throughput', async () => {
    const raw = await routerRun('raw');
    const echo = await echoRun(raw.replyBytes);
    const nest = await routerRun('nest');
    console.log(
      [
        describe$('raw NATS echo', echo),
        `raw route / echo = ${(raw.routed.perSecond / echo.perSecond).toFixed(2)}; Nest route / echo = ${(nest.routed.perSecond / echo.perSecond).toFixed(2)}`,
      ].join('\n'),
    );
    expect(raw.routed.failed).toBe(0);
    expect(nest.routed.failed).toBe(0);
    expect(raw.routed.completed).toBeGreaterThan(0);
  });
});
