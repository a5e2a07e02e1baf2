// P6: kill -9 a service under load. The divert service runs as a child process; 8 clients keep changing
// diverts over NATS request-reply (`divert.set-rule`); the process gets SIGKILL mid-load and is
// restarted at once (as an orchestrator would). Measured from the kill:
//   back      = /health answers 200 and a change over NATS succeeds again;
//   caught up = every change acknowledged before the kill is on JetStream (the relay resumed from its
//               checkpoint) and in the read model (`divert.get-rules` shows its revision), and an agent
//               registered on JetStream while the service was down is known to it (its durable
//               directory consumer resumed).
// Lost = a change acknowledged to a client (before or after the kill) that is missing from the event
// store or never reaches a JetStream subscriber. Changes in flight at the kill were never acknowledged:
// they may or may not be stored, and either is correct.
import { performance } from 'node:perf_hooks';
import { DivertRpc, eventSubjectFilter } from '@cc/contracts';
import { consumerOpts } from 'nats';
import { Client } from 'pg';
import { rpcRequest } from '@cc/platform';
import {
  ChildService,
  connectBenchNats,
  errorText,
  freePort,
  log,
  percentile,
  pollUntil,
  round,
  serviceBuilt,
  sleep,
  waitHealthy,
  type BenchContext,
  type PartResult,
} from './bench-kit';
import { publishAgents, purgeTenantMessages } from './fixtures';

const EXTENSIONS = ['2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008'];
/** Registered while the service is down. */
const LATE_EXTENSION = '2099';
const LOAD_BEFORE_KILL_MS = 5_000;
const LOAD_AFTER_BACK_MS = 3_000;
/** Recovery is given up on (reported as not recovered) after this long. */
const RECOVERY_LIMIT_MS = 45_000;
const REQUEST_TIMEOUT_MS = 2_000;

type Ack = { extension: string; revision: number; at: number; beforeKill: boolean };

export async function runP6(ctx: BenchContext): Promise<PartResult> {
  if (!serviceBuilt('divert')) return { recovery_s: null, lost: null, note: 'divert service not built' };
  const nc = await connectBenchNats(ctx, 'p6');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let generation = 1;
  let service = ChildService.service(ctx, 'divert', port, `p6-divert-${generation}`);
  ctx.onCleanup('P6 JetStream messages of the tenant', () => purgeTenantMessages(ctx, nc));
  try {
    log('P6', `starting divert (pid ${service.pid}) on ${url}`);
    const bootStarted = performance.now();
    if (!(await waitHealthy(url, 60_000, 100, () => service.running))) {
      return { recovery_s: null, lost: null, error: `divert did not become healthy (log: ${service.logFile})`, pass: false };
    }
    const bootMs = performance.now() - bootStarted;
    log('P6', `divert healthy after ${(bootMs / 1000).toFixed(1)} s; registering ${EXTENSIONS.length} agents via agent-directory events`);
    await publishAgents(nc, ctx.tenant, EXTENSIONS);
    const known = await pollUntil(async () => {
      for (const extension of EXTENSIONS) await getRules(ctx, nc, extension);
      return true;
    }, 20_000, 100);
    if (!known) return { recovery_s: null, lost: null, error: 'divert never learned the bench agents from agent-directory events', pass: false };

    // Everything the divert relay publishes for this tenant, with arrival times.
    const arrived = new Map<string, number>(); // "ext@revision" -> first arrival (performance.now())
    let duplicates = 0;
    // An ordered push consumer (the legacy API: the newer `consumers.get().consume()` needs NATS 2.10).
    const options = consumerOpts();
    options.orderedConsumer();
    options.deliverAll();
    const messages = await nc.jetstream().subscribe(eventSubjectFilter('divert', ctx.tenant), options);
    void (async () => {
      for await (const m of messages) {
        const event = m.json<{ revision: number; data: { extension: string } }>();
        const key = `${event.data.extension}@${event.revision}`;
        if (arrived.has(key)) duplicates++;
        else arrived.set(key, performance.now());
      }
    })();

    // The load: one client per extension, changing its no-answer ring time over and over.
    const acks: Ack[] = [];
    let killAt: number | null = null;
    let firstAckAfterKill: number | null = null;
    let failures = 0;
    let stopLoad = false;
    const loadStarted = performance.now();
    const clients = EXTENSIONS.map(async (extension, i) => {
      let n = i;
      while (!stopLoad && performance.now() - loadStarted < 120_000) {
        const ringSeconds = 5 + (n++ % 500);
        try {
          const result = await rpcRequest<{ revision: number; changed: boolean }>(
            nc,
            DivertRpc.setRule.subject,
            { tenantId: ctx.tenant, actor: 'bench:p6', payload: { extension, condition: 'noAnswer', target: { kind: 'voicemail' }, ringSeconds } },
            { timeoutMs: REQUEST_TIMEOUT_MS },
          );
          const at = performance.now();
          if (result.changed) acks.push({ extension, revision: result.revision, at, beforeKill: killAt === null });
          if (killAt !== null && firstAckAfterKill === null) firstAckAfterKill = at;
        } catch {
          failures++;
          await sleep(25);
        }
      }
    });

    await sleep(LOAD_BEFORE_KILL_MS);
    const acksBeforeKill = acks.length;
    const loadRate = (acksBeforeKill / LOAD_BEFORE_KILL_MS) * 1000;
    log('P6', `load: ${acksBeforeKill} changes acknowledged in ${LOAD_BEFORE_KILL_MS / 1000} s (${loadRate.toFixed(0)}/s); SIGKILL pid ${service.pid}`);
    killAt = performance.now();
    service.kill('SIGKILL');
    await service.waitExit();
    // Published while nobody consumes: the restarted service's durable consumer must pick it up.
    await publishAgents(nc, ctx.tenant, [LATE_EXTENSION]);
    generation++;
    service = ChildService.service(ctx, 'divert', port, `p6-divert-${generation}`);
    log('P6', `restarted (pid ${service.pid}); waiting for health, a served change and the relay/read model catching up`);

    const healthy = await waitHealthy(url, RECOVERY_LIMIT_MS, 25, () => service.running);
    const healthyAt = healthy ? performance.now() : null;
    log('P6', healthy ? `health 200 after ${((healthyAt! - killAt) / 1000).toFixed(2)} s` : 'not healthy within the limit');
    const served = await pollUntil(async () => firstAckAfterKill, RECOVERY_LIMIT_MS - (performance.now() - killAt), 20);

    // Caught up: every change acknowledged before the kill is on JetStream and in the read model.
    const beforeKill = acks.filter((a) => a.beforeKill);
    const lastRevisionBeforeKill = new Map<string, number>();
    for (const a of beforeKill) lastRevisionBeforeKill.set(a.extension, Math.max(a.revision, lastRevisionBeforeKill.get(a.extension) ?? -1));
    const relayedAt = await pollUntil(
      async () => (beforeKill.every((a) => arrived.has(`${a.extension}@${a.revision}`)) ? Math.max(killAt!, ...beforeKill.map((a) => arrived.get(`${a.extension}@${a.revision}`)!)) : null),
      Math.max(0, RECOVERY_LIMIT_MS - (performance.now() - killAt)),
      20,
    );
    const readModelAt = await pollUntil(
      async () => {
        for (const [extension, revision] of lastRevisionBeforeKill) {
          if ((await getRules(ctx, nc, extension)).revision < revision) return null;
        }
        return performance.now();
      },
      Math.max(0, RECOVERY_LIMIT_MS - (performance.now() - killAt)),
      20,
    );
    const consumerAt = await pollUntil(
      async () => (await getRules(ctx, nc, LATE_EXTENSION)) && performance.now(),
      Math.max(0, RECOVERY_LIMIT_MS - (performance.now() - killAt)),
      20,
    );
    const recovered = healthyAt !== null && served !== null && relayedAt !== null && readModelAt !== null && consumerAt !== null;
    const recoveryMs = recovered ? Math.max(healthyAt, served, relayedAt, readModelAt, consumerAt) - killAt : null;
    log('P6', recovered ? `back and caught up ${(recoveryMs! / 1000).toFixed(2)} s after the kill` : 'did not recover within the limit');

    await sleep(LOAD_AFTER_BACK_MS);
    stopLoad = true;
    await Promise.all(clients);

    // Lost: acknowledged but not stored, or stored but never on JetStream (waiting a little for the tail).
    const allRelayed = await pollUntil(async () => acks.every((a) => arrived.has(`${a.extension}@${a.revision}`)), 10_000, 50);
    const missingOnJetStream = acks.filter((a) => !arrived.has(`${a.extension}@${a.revision}`));
    const missingInStore = await acksMissingInStore(ctx, acks);
    messages.unsubscribe();
    const relayLag = acks.filter((a) => arrived.has(`${a.extension}@${a.revision}`)).map((a) => arrived.get(`${a.extension}@${a.revision}`)! - a.at);
    log('P6', `acknowledged ${acks.length} changes (${beforeKill.length} before the kill); missing on JetStream ${missingOnJetStream.length}, missing in the store ${missingInStore}; JetStream duplicates ${duplicates}`);
    const lost = new Set([...missingOnJetStream.map((a) => `${a.extension}@${a.revision}`)]).size + missingInStore;
    return {
      recovery_s: round(recoveryMs === null ? null : recoveryMs / 1000, 2),
      lost,
      service: 'divert',
      health_200_s: round(healthyAt === null ? null : (healthyAt - killAt) / 1000, 2),
      first_change_served_s: round(served === null ? null : (served - killAt) / 1000, 2),
      relay_caught_up_s: round(relayedAt === null ? null : (relayedAt - killAt) / 1000, 2),
      read_model_caught_up_s: round(readModelAt === null ? null : (readModelAt - killAt) / 1000, 2),
      directory_consumer_caught_up_s: round(consumerAt === null ? null : (consumerAt - killAt) / 1000, 2),
      cold_boot_s: round(bootMs / 1000, 2),
      load_changes_per_s: round(loadRate, 0),
      acknowledged: acks.length,
      acknowledged_before_kill: beforeKill.length,
      failed_requests: failures,
      jetstream_duplicates: duplicates,
      all_relayed: allRelayed === true,
      relay_lag_p99_ms: round(percentile(relayLag, 0.99)),
      target: 'back and caught up <= 10 s, nothing lost',
      pass: recoveryMs !== null && recoveryMs <= 10_000 && lost === 0,
    };
  } catch (error) {
    return { recovery_s: null, lost: null, error: errorText(error), pass: false };
  } finally {
    await service.stop();
    await nc.drain().catch(() => undefined);
  }
}

async function getRules(ctx: BenchContext, nc: import('nats').NatsConnection, extension: string): Promise<{ revision: number }> {
  return rpcRequest<{ revision: number }>(nc, DivertRpc.getRules.subject, { tenantId: ctx.tenant, actor: 'bench:p6', payload: { extension } }, { timeoutMs: REQUEST_TIMEOUT_MS });
}

/** Acknowledged changes whose (stream, revision) is not in the divert event store. */
async function acksMissingInStore(ctx: BenchContext, acks: Ack[]): Promise<number> {
  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ extension: string; revision: string }>(
      `SELECT data->>'extension' AS extension, revision FROM "${ctx.prefix}svc_divert".events WHERE tenant_id = $1`,
      [ctx.tenant],
    );
    const stored = new Set(rows.map((r) => `${r.extension}@${r.revision}`));
    return acks.filter((a) => !stored.has(`${a.extension}@${a.revision}`)).length;
  } finally {
    await client.end();
  }
}
