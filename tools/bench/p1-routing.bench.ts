// P1: routing decisions over NATS request-reply with 8 requests in flight, against a raw NATS echo with 8
// in flight in the same run, with the same request bytes and a reply of the router's reply size. Both
// answerers are separate processes; the client (this process) does the same work for both: encode a
// fresh request, send, parse the JSON reply.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from 'nats';
import {
  ChildService,
  closedLoop,
  connectBenchNats,
  errorText,
  log,
  percentile,
  Progress,
  round,
  type BenchContext,
  type PartResult,
} from './bench-kit';
import { publishAgents } from './fixtures';
import { benchFlow, decodeReply, ROUTE_SUBJECT, routeRequestBytes, seedFlow, startRouter } from './router-harness';

const IN_FLIGHT = 8;
const WARMUP_MS = 2_000;
const MEASURE_MS = 8_000;
const MAX_REQUESTS = 300_000;

type Measured = { perSecond: number; p50: number | null; p99: number | null; completed: number; failed: number; errors: string[] };

async function measure(
  nc: NatsConnection,
  subject: string,
  request: () => Uint8Array,
  check: (reply: Uint8Array) => void,
  label: string,
): Promise<Measured> {
  const once = async () => check((await nc.request(subject, request(), { timeout: 2_000 })).data);
  await closedLoop({ concurrency: IN_FLIGHT, count: MAX_REQUESTS, durationMs: WARMUP_MS, once });
  const progress = new Progress('P1', label, MEASURE_MS / 1000, 's');
  const started = performance.now();
  const result = await closedLoop({
    concurrency: IN_FLIGHT,
    count: MAX_REQUESTS,
    durationMs: MEASURE_MS,
    once,
    onProgress: () => progress.update(Math.round(((performance.now() - started) / MEASURE_MS) * 10) * (MEASURE_MS / 10000)),
  });
  return {
    perSecond: result.perSecond,
    p50: percentile(result.latenciesMs, 0.5),
    p99: percentile(result.latenciesMs, 0.99),
    completed: result.completed,
    failed: result.failed,
    errors: result.errors,
  };
}

export async function runP1(ctx: BenchContext): Promise<PartResult> {
  const nc = await connectBenchNats(ctx, 'p1');
  try {
    // 1. The router, if it can route yet.
    let router: Measured | null = null;
    let dryRun: Measured | null = null;
    let recordBacklog: number | null = null;
    let routerNote: string | null = null;
    let replyBytes: number | null = null;
    const started = await startRouter(ctx, 'p1-call-router');
    if ('unavailable' in started) routerNote = started.unavailable;
    else {
      try {
        log('P1', `call-router up on ${started.url}; seeding an agent and the bench call flow`);
        const [agent] = await publishAgents(nc, ctx.tenant, ['2001']);
        const seedProblem = await seedFlow(ctx, started, nc, benchFlow(agent!));
        if (seedProblem) routerNote = seedProblem;
        else {
          const sample = await nc.request(ROUTE_SUBJECT, routeRequestBytes(ctx.tenant), { timeout: 2_000 });
          replyBytes = sample.data.length;
          log('P1', `routing decisions: ${IN_FLIGHT} in flight, ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured (reply ${replyBytes} bytes)`);
          router = await measure(
            nc,
            ROUTE_SUBJECT,
            () => routeRequestBytes(ctx.tenant),
            (data) => {
              const reply = decodeReply(data);
              if (reply.err != null) throw new Error(`router error ${JSON.stringify(reply.err).slice(0, 120)}`);
              if (reply.response?.outcome !== 'routed') throw new Error(`outcome ${String(reply.response?.outcome)}`);
            },
            'routing',
          );
          recordBacklog = await metricValue(started.url, 'cc_call_router_call_records_pending');
          log('P1', `routing: ${Math.round(router.perSecond)}/s, p50 ${router.p50?.toFixed(2)} ms, p99 ${router.p99?.toFixed(2)} ms, ${router.failed} failed; call records still pending ${recordBacklog ?? '?'}`);
          // The same decisions as dry runs (nothing recorded): what the calls' records cost.
          log('P1', `dry-run decisions (no call records): ${IN_FLIGHT} in flight`);
          dryRun = await measure(
            nc,
            ROUTE_SUBJECT,
            () => routeRequestBytes(ctx.tenant, { dryRun: true }),
            (data) => {
              const reply = decodeReply(data);
              if (reply.response?.outcome !== 'routed') throw new Error(`outcome ${String(reply.response?.outcome ?? JSON.stringify(reply.err).slice(0, 120))}`);
            },
            'dry-run routing',
          );
          log('P1', `dry runs: ${Math.round(dryRun.perSecond)}/s, p50 ${dryRun.p50?.toFixed(2)} ms, p99 ${dryRun.p99?.toFixed(2)} ms`);
        }
      } catch (error) {
        routerNote = `call-router not measurable: ${errorText(error)}`;
      } finally {
        await started.service.stop();
      }
    }
    if (routerNote) log('P1', `call-router not available: ${routerNote}`);

    // 2. The raw echo: same request bytes, a reply of the router's reply size (or the request echoed).
    const sampleRequest = routeRequestBytes(ctx.tenant);
    const echoSubject = `bench-${ctx.runId}.echo`;
    const echo = ChildService.spawn(ctx, 'p1-echo', process.execPath, [join(__dirname, 'echo-responder.js'), ctx.natsUrl, echoSubject, String(replyBytes ?? 0)], {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    });
    try {
      await waitForLine(echo, 'ready', 15_000);
      log('P1', `raw NATS echo: ${IN_FLIGHT} in flight, request ${sampleRequest.length} bytes, reply ${replyBytes ?? sampleRequest.length} bytes`);
      const raw = await measure(nc, echoSubject, () => routeRequestBytes(ctx.tenant), (data) => void JSON.parse(new TextDecoder().decode(data)), 'echo');
      log('P1', `echo: ${Math.round(raw.perSecond)}/s, p50 ${raw.p50?.toFixed(2)} ms, p99 ${raw.p99?.toFixed(2)} ms`);
      const ratio = router ? router.perSecond / raw.perSecond : null;
      return {
        decisions_per_s: router ? round(router.perSecond, 0) : null,
        p99_ms: router ? round(router.p99, 2) : null,
        nats_echo_per_s: round(raw.perSecond, 0),
        ratio: round(ratio, 2),
        p50_ms: router ? round(router.p50, 2) : null,
        echo_p50_ms: round(raw.p50, 2),
        echo_p99_ms: round(raw.p99, 2),
        in_flight: IN_FLIGHT,
        request_bytes: sampleRequest.length,
        reply_bytes: replyBytes,
        ...(router
          ? { failed: router.failed, call_records_pending_after: recordBacklog, mode: 'real calls (fresh callId per request, recorded), flow: ringAgent -> voicemail' }
          : {}),
        ...(dryRun
          ? { dry_run_decisions_per_s: round(dryRun.perSecond, 0), dry_run_p99_ms: round(dryRun.p99, 2), dry_run_ratio: round(dryRun.perSecond / raw.perSecond, 2) }
          : {}),
        ...(router?.errors.length ? { errors: router.errors.slice(0, 3) } : {}),
        ...(routerNote ? { note: `call-router not available: ${routerNote}` } : {}),
        target: '>= 3,000/s, p99 <= 5 ms, >= 50% of the echo',
        pass: router ? router.perSecond >= 3000 && (router.p99 ?? Infinity) <= 5 && (ratio ?? 0) >= 0.5 : null,
      };
    } finally {
      await echo.stop();
    }
  } finally {
    await nc.drain().catch(() => undefined);
  }
}

/** One unlabelled value from a service's Prometheus /metrics (null when absent). */
async function metricValue(url: string, name: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    // `name value` or `name{labels} value` (services set a default `service` label).
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.trim().split(/\s+/).pop()) : null;
  } catch {
    return null;
  }
}

function waitForLine(child: ChildService, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${child.name} did not print "${line}" within ${timeoutMs} ms (log ${child.logFile})`)), timeoutMs);
    child.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.waitExit().then(() => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited (log ${child.logFile})`));
    });
  });
}
