// `npm run bench [-- P1 P3 ...]`: measures DESIGN.md's performance targets P1-P6 on this machine, prints
// one table and writes bench/results/latest.json. Each part runs alone too (`npm run bench -- P2`).
// Everything runs on loopback against a private nats-server, this run's own DB schemas
// (`bench_<run>_*`), tenant (`bench-<run>`) and BullMQ prefix, all removed at the end. Not part of `npm test`.
import 'reflect-metadata';
import { join } from 'node:path';
import { createContext, errorText, loadAverage, log, PART_IDS, withTimeout, type BenchContext, type PartId, type PartResult } from './bench-kit';
import { runP1 } from './p1-routing.bench';
import { runP2 } from './p2-hot-slot.bench';
import { runP3 } from './p3-booking-throughput.bench';
import { runP4 } from './p4-callback-firing.bench';
import { runP5 } from './p5-config-to-routing.bench';
import { runP6 } from './p6-kill-recovery.bench';
import { normalise, printTable, writeResults } from './report';

/** Each part's run and its hard time limit (the sum stays under 10 minutes; typical runs are far shorter). */
const PARTS: Record<PartId, { run: (ctx: BenchContext) => Promise<PartResult>; limitMs: number }> = {
  P1: { run: runP1, limitMs: 80_000 },
  P2: { run: runP2, limitMs: 75_000 },
  P3: { run: runP3, limitMs: 75_000 },
  P4: { run: runP4, limitMs: 160_000 },
  P5: { run: runP5, limitMs: 70_000 },
  P6: { run: runP6, limitMs: 80_000 },
};

function selectedParts(argv: string[]): PartId[] {
  const asked = argv.map((a) => a.toUpperCase()).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(PART_IDS as readonly string[]).includes(a));
  if (unknown.length || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`usage: npm run bench [-- P1 P2 P3 P4 P5 P6]   (default: all)${unknown.length ? `\nunknown: ${unknown.join(' ')}` : ''}\n`);
    process.exit(unknown.length ? 2 : 0);
  }
  return asked.length ? PART_IDS.filter((p) => asked.includes(p)) : [...PART_IDS];
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  const { ctx, runCleanup } = await createContext();
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log('bench', `${signal}: cleaning up`);
      void runCleanup().finally(() => process.exit(130));
    });
  }
  log('bench', `run ${ctx.runId}: parts ${parts.join(' ')}; tenant ${ctx.tenant}, schemas ${ctx.prefix}*, NATS ${ctx.natsUrl}${ctx.privateNats ? ' (private)' : ''}; ${await loadAverage()}`);

  const results: Partial<Record<PartId, PartResult>> = {};
  for (const part of parts) {
    if (interrupted) break;
    const load = await loadAverage();
    log(part, `start (limit ${PARTS[part].limitMs / 1000} s; ${load})`);
    const started = Date.now();
    let result: PartResult;
    try {
      result = await withTimeout(PARTS[part].run(ctx), PARTS[part].limitMs, part);
    } catch (error) {
      log(part, `failed: ${errorText(error)}`);
      result = { error: errorText(error), pass: false };
    }
    results[part] = normalise(part, {
      ...result,
      measured_at: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      host: load,
    });
    log(part, `done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  log('bench', 'cleaning up (children, schemas, streams, queues, scratch files)');
  await runCleanup();
  const file = process.env.BENCH_RESULTS_FILE ?? join(process.cwd(), 'bench', 'results', 'latest.json');
  writeResults(file, results);
  printTable(results);
  process.stdout.write(`\nwritten: ${file}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
