// The call-router as P1 and P5 use it: a child process (`dist/apps/call-router/src/main.js`) on the run's
// private NATS, a seeded call flow for one dialled number, and `call-router.route` requests in the
// Nest NATS wire format (`{ pattern, data, id }` -> `{ response } | { err }`).
import { randomUUID } from 'node:crypto';
import { CallRouterSubjects, type CallFlowDefinitionInput } from '@cc/contracts';
import { connect, ErrorCode, NatsError, type NatsConnection } from 'nats';
import { ChildService, errorText, freePort, pollUntil, serviceBuilt, waitHealthy, type BenchContext } from './bench-kit';
import { adminToken, type BenchAgent } from './fixtures';

export const ROUTE_SUBJECT = CallRouterSubjects.route;
export const BENCH_NUMBER = '+442071838000';
export const BENCH_CLI = '+447700900123';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type RunningRouter = { service: ChildService; url: string };

export async function startRouter(ctx: BenchContext, label: string): Promise<RunningRouter | { unavailable: string }> {
  if (!serviceBuilt('call-router')) return { unavailable: 'call-router not built (dist/apps/call-router/src/main.js missing)' };
  const port = await freePort();
  const service = ChildService.service(ctx, 'call-router', port, label);
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitHealthy(url, 60_000, 100, () => service.running))) {
    await service.stop();
    return { unavailable: `call-router did not become healthy (log ${service.logFile})` };
  }
  // Does it answer `call-router.route` at all (any reply, even "not routable", means a handler)? The
  // router joins the queue group only once its replicas caught up, so "no responders" is retried a while.
  const nc = await connect({ servers: ctx.natsUrl, name: `bench-${ctx.runId}-router-probe` });
  let lastError: unknown = null;
  try {
    const answered = await pollUntil(async () => {
      try {
        await nc.request(ROUTE_SUBJECT, routeRequestBytes(ctx.tenant, { dryRun: true }), { timeout: 5_000 });
        return true;
      } catch (error) {
        lastError = error;
        throw error;
      }
    }, 20_000, 200);
    if (!answered) {
      await service.stop();
      const noHandler = lastError instanceof NatsError && lastError.code === ErrorCode.NoResponders;
      return { unavailable: noHandler ? `the call-router process answers no ${ROUTE_SUBJECT} requests (no handler, or replicas never caught up)` : `${ROUTE_SUBJECT}: ${errorText(lastError)}` };
    }
  } finally {
    await nc.close();
  }
  return { service, url };
}

/** A route request for a real call (a fresh call id each time), encoded as Nest's NATS transport sends it. */
export function routeRequestBytes(tenantId: string, options: { dryRun?: boolean; number?: string } = {}): Uint8Array {
  const id = randomUUID();
  const data = {
    tenantId,
    number: options.number ?? BENCH_NUMBER,
    cli: BENCH_CLI,
    ...(options.dryRun ? { dryRun: true } : { callId: `bench-${id}` }),
  };
  return encoder.encode(JSON.stringify({ pattern: ROUTE_SUBJECT, data, id }));
}

export type RouteReply = { response?: { outcome?: string; decision?: unknown } & Record<string, unknown>; err?: unknown };

export function decodeReply(data: Uint8Array): RouteReply {
  return JSON.parse(decoder.decode(data)) as RouteReply;
}

/** The bench's call flow: ring the agent on extension 2001 (its diverts apply), then voicemail. */
export function benchFlow(agent: BenchAgent): CallFlowDefinitionInput {
  return {
    number: BENCH_NUMBER,
    name: 'Bench line',
    start: 'ring',
    nodes: {
      ring: { type: 'ringAgent', agentId: agent.agentId, onNoAnswer: 'vm' },
      vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agent.agentId } },
    },
  };
}

/**
 * Publishes the flow over the router's HTTP API and waits until a dry-run route of the number answers
 * `routed` (the flow and the replicas it needs have arrived). Returns why not, when it cannot.
 */
export async function seedFlow(ctx: BenchContext, router: RunningRouter, nc: NatsConnection, flow: CallFlowDefinitionInput): Promise<string | null> {
  const token = await adminToken(ctx);
  let published = false;
  let lastProblem = '';
  for (const path of [`/v1/call-flows/${encodeURIComponent(flow.number)}`, `/call-flows/${encodeURIComponent(flow.number)}`]) {
    try {
      const res = await fetch(router.url + path, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ flow }),
      });
      const text = await res.text();
      if (res.ok) {
        published = true;
        break;
      }
      lastProblem = `PUT ${path}: ${res.status} ${text.slice(0, 200)}`;
    } catch (error) {
      lastProblem = `PUT ${path}: ${errorText(error)}`;
    }
  }
  if (!published) return `could not publish the bench call flow (${lastProblem})`;
  const routed = await pollUntil(async () => {
    const reply = decodeReply((await nc.request(ROUTE_SUBJECT, routeRequestBytes(ctx.tenant, { dryRun: true }), { timeout: 2_000 })).data);
    return reply.response?.outcome === 'routed' ? reply : null;
  }, 20_000, 100);
  return routed ? null : 'the router never answered "routed" for the seeded number';
}
