// P5: a configuration change reaches routing. The divert service and the call-router run as child
// processes; 50 times in a row a divert of the rung extension is switched (always -> extension 2002, then
// off again) over `divert.set-rule` / `divert.clear-rule`, and the router is asked (dry-run `route`,
// every 5 ms) until its plan shows the change. Measured from sending the change to the first plan that
// reflects it. Alongside: from the change to its event on a NATS subscriber (the relay's share).
import { performance } from 'node:perf_hooks';
import { DivertRpc, eventSubjectFilter } from '@cc/contracts';
import { rpcRequest } from '@cc/platform';
import {
  ChildService,
  connectBenchNats,
  errorText,
  freePort,
  log,
  percentile,
  Progress,
  round,
  serviceBuilt,
  sleep,
  waitHealthy,
  type BenchContext,
  type PartResult,
} from './bench-kit';
import { publishAgents, purgeTenantMessages } from './fixtures';
import { benchFlow, decodeReply, ROUTE_SUBJECT, routeRequestBytes, seedFlow, startRouter, type RunningRouter } from './router-harness';

const CHANGES = 50;
const REFLECT_LIMIT_MS = 5_000;

export async function runP5(ctx: BenchContext): Promise<PartResult> {
  if (!serviceBuilt('divert')) return { p99_ms: null, note: 'divert service not built' };
  const nc = await connectBenchNats(ctx, 'p5');
  ctx.onCleanup('P5 JetStream messages of the tenant', () => purgeTenantMessages(ctx, nc));
  const port = await freePort();
  const divertUrl = `http://127.0.0.1:${port}`;
  const divert = ChildService.service(ctx, 'divert', port, 'p5-divert');
  let router: RunningRouter | null = null;
  let routerNote: string | null = null;
  try {
    const [routerStart, divertUp] = await Promise.all([startRouter(ctx, 'p5-call-router'), waitHealthy(divertUrl, 60_000, 100, () => divert.running)]);
    if (!divertUp) return { p99_ms: null, error: `divert did not become healthy (log ${divert.logFile})`, pass: false };
    if ('unavailable' in routerStart) routerNote = routerStart.unavailable;
    else router = routerStart;

    const [agent] = await publishAgents(nc, ctx.tenant, ['2001', '2002']);
    const setAlways = (on: boolean) =>
      on
        ? rpcRequest(nc, DivertRpc.setRule.subject, { tenantId: ctx.tenant, actor: 'bench:p5', payload: { extension: '2001', condition: 'always', target: { kind: 'extension', extension: '2002' } } })
        : rpcRequest(nc, DivertRpc.clearRule.subject, { tenantId: ctx.tenant, actor: 'bench:p5', payload: { extension: '2001', condition: 'always' } });
    // The divert service knows 2001 once the directory events arrived.
    const deadline = performance.now() + 20_000;
    for (;;) {
      try {
        await setAlways(false);
        break;
      } catch (error) {
        if (performance.now() > deadline) throw new Error(`divert never accepted extension 2001: ${errorText(error)}`);
        await sleep(100);
      }
    }
    if (router) {
      const problem = await seedFlow(ctx, router, nc, benchFlow(agent!));
      if (problem) {
        routerNote = problem;
        await router.service.stop();
        router = null;
      }
    }
    if (routerNote) log('P5', `call-router not available: ${routerNote}; measuring divert change -> NATS subscriber only`);

    // Does the router's plan ring 2002 (diverted) instead of 2001 right now? (its first ring step's targets)
    const planDiverted = async (): Promise<boolean> => {
      const reply = decodeReply((await nc.request(ROUTE_SUBJECT, routeRequestBytes(ctx.tenant, { dryRun: true }), { timeout: 2_000 })).data);
      const steps = (reply.response?.decision as { steps?: Array<{ kind: string; targets?: Array<{ extension?: string }> }> } | undefined)?.steps ?? [];
      const ring = steps.find((step) => step.kind === 'ring');
      if (!ring) throw new Error(`no ring step in the plan: ${JSON.stringify(reply).slice(0, 200)}`);
      return (ring.targets ?? []).some((target) => target.extension === '2002');
    };

    const toRouting: number[] = [];
    const toNats: number[] = [];
    let notReflected = 0;
    const sub = nc.subscribe(eventSubjectFilter('divert', ctx.tenant));
    const arrivals: Array<{ at: number; always: string }> = [];
    void (async () => {
      for await (const m of sub) {
        const event = m.json<{ data: { extension: string; rules: { always: { target: { kind: string } } } } }>();
        if (event.data.extension === '2001') arrivals.push({ at: performance.now(), always: event.data.rules.always.target.kind });
      }
    })();
    await nc.flush();
    const progress = new Progress('P5', 'changes', CHANGES);
    for (let i = 0; i < CHANGES; i++) {
      const on = i % 2 === 0;
      const seen = arrivals.length;
      const t0 = performance.now();
      await setAlways(on);
      if (router) {
        let reflected = false;
        while (performance.now() - t0 < REFLECT_LIMIT_MS) {
          if ((await planDiverted()) === on) {
            reflected = true;
            break;
          }
          await sleep(5);
        }
        if (reflected) toRouting.push(performance.now() - t0);
        else notReflected++;
      }
      const expect = on ? 'extension' : 'off';
      while (performance.now() - t0 < REFLECT_LIMIT_MS && !arrivals.slice(seen).some((a) => a.always === expect)) await sleep(2);
      const arrival = arrivals.slice(seen).find((a) => a.always === expect);
      if (arrival) toNats.push(arrival.at - t0);
      progress.update(i + 1);
      await sleep(20);
    }
    sub.unsubscribe();
    const p99 = router ? percentile(toRouting, 0.99) : null;
    log('P5', `${router ? `change -> route reflects it: p50 ${percentile(toRouting, 0.5)?.toFixed(1)} ms, p99 ${p99?.toFixed(1)} ms; ` : ''}change -> NATS subscriber: p50 ${percentile(toNats, 0.5)?.toFixed(1)} ms, p99 ${percentile(toNats, 0.99)?.toFixed(1)} ms`);
    return {
      p99_ms: round(p99),
      p50_ms: round(router ? percentile(toRouting, 0.5) : null),
      not_reflected: router ? notReflected : null,
      divert_to_nats_p50_ms: round(percentile(toNats, 0.5)),
      divert_to_nats_p99_ms: round(percentile(toNats, 0.99)),
      changes: CHANGES,
      changed: 'divert always on/off of the rung extension (schedules not measured yet)',
      ...(routerNote ? { note: `call-router not available: ${routerNote}; only divert change -> NATS subscriber measured` } : {}),
      target: 'p99 <= 250 ms',
      pass: p99 === null ? null : p99 <= 250 && notReflected === 0,
    };
  } finally {
    await router?.service.stop();
    await divert.stop();
    await nc.drain().catch(() => undefined);
  }
}
