// Shared plumbing of `npm run bench`: the run's isolation (tenant, DB-schema prefix, BullMQ prefix, a
// private loopback NATS server), progress output, child processes, statistics and bounded waits.
// Nothing here asserts timings: the bench reports numbers, the targets are compared in the table only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, type NatsConnection } from 'nats';
import { Client } from 'pg';

/** dist/ of the build that is running (dist/tools/bench/bench-kit.js -> dist/). */
export const DIST_ROOT = join(__dirname, '..', '..');

export type PartId = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6';
export const PART_IDS: readonly PartId[] = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];

/** One part's row of latest.json: the required keys (number or null) plus notes, targets, details. */
export type PartResult = Record<string, unknown>;

export type BenchContext = {
  /** 8 hex chars, unique per run. */
  readonly runId: string;
  /** Tenant of everything this run writes: `bench-<runId>`. */
  readonly tenant: string;
  /** DB-schema / INSTANCE_PREFIX / BullMQ prefix of this run: `bench_<runId>_`. */
  readonly prefix: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly natsUrl: string;
  /** true: natsUrl is a nats-server this run started on a free loopback port (nothing else uses it). */
  readonly privateNats: boolean;
  /** Scratch directory of this run (service logs, the private NATS store); removed at the end. */
  readonly workDir: string;
  readonly jwtSecret: string;
  /** Registers an undo step; run last-in first-out at the end of the run (also on Ctrl-C). */
  onCleanup(label: string, step: () => Promise<unknown> | unknown): void;
};

// ---------------------------------------------------------------- output

const startedAt = performance.now();

export function log(part: PartId | 'bench', message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${part} ${seconds}s] ${message}\n`);
}

/** Prints "label NN% (done/total)" at every 10% step. */
export class Progress {
  private lastDecile = -1;
  constructor(
    private readonly part: PartId,
    private readonly label: string,
    private readonly total: number,
    /** Shown after the counts (`s` for a timed phase). */
    private readonly unit = '',
  ) {}

  update(done: number): void {
    const decile = Math.min(10, Math.floor((done / this.total) * 10));
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      const shown = Number.isInteger(done) ? String(done) : done.toFixed(1);
      log(this.part, `${this.label} ${String(decile * 10).padStart(3)}% (${shown}/${this.total}${this.unit ? ` ${this.unit}` : ''})`);
    }
  }
}

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile of unsorted values (null when there are none). */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export const round = (value: number | null | undefined, digits = 1): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Resolves with `work`, or rejects after `ms` (the work is not cancelled: callers bound their own loops too). */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every `everyMs` until it returns a truthy value or `timeoutMs` passed (then null). */
export async function pollUntil<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 20): Promise<T | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      /* not yet */
    }
    if (performance.now() >= deadline) return null;
    await sleep(everyMs);
  }
}

/**
 * `concurrency` loops, each calling `once()` until `count` calls were started or `durationMs` passed,
 * recording each call's latency. Returns throughput over the measured window and the latencies.
 */
export async function closedLoop(options: {
  concurrency: number;
  count: number;
  durationMs: number;
  once: (index: number) => Promise<void>;
  onProgress?: (done: number) => void;
}): Promise<{ completed: number; failed: number; errors: string[]; elapsedMs: number; perSecond: number; latenciesMs: number[] }> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let started = 0;
  let failed = 0;
  const t0 = performance.now();
  const deadline = t0 + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (started < options.count && performance.now() < deadline) {
        const index = started++;
        const s = performance.now();
        try {
          await options.once(index);
          latencies.push(performance.now() - s);
        } catch (error) {
          failed++;
          const text = errorText(error).slice(0, 160);
          errors.set(text, (errors.get(text) ?? 0) + 1);
        }
        options.onProgress?.(latencies.length + failed);
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  return {
    completed: latencies.length,
    failed,
    errors: [...errors].map(([text, n]) => `${n}x ${text}`),
    elapsedMs,
    perSecond: (latencies.length / elapsedMs) * 1000,
    latenciesMs: latencies,
  };
}

// ---------------------------------------------------------------- processes

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A child process of this run, its output in `<workDir>/<name>.log`; killed at exit if still alive. */
export class ChildService {
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private alive = true;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.alive = false;
        liveChildren.delete(this);
        resolve({ code, signal });
      }),
    );
    liveChildren.add(this);
  }

  static spawn(ctx: BenchContext, name: string, command: string, args: string[], env: Record<string, string>): ChildService {
    const logFile = join(ctx.workDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    return new ChildService(name, child, logFile);
  }

  /** A service of apps/ (`dist/apps/<service>/src/main.js`), with the run's infrastructure and prefix. */
  static service(ctx: BenchContext, service: string, port: number, label = service, extraEnv: Record<string, string> = {}): ChildService {
    const entry = serviceEntry(service);
    // BENCH_SERVICE_NODE_ARGS: extra node flags for the services, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    return ChildService.spawn(ctx, label, process.execPath, [...nodeArgs, entry], {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
      DATABASE_URL: ctx.databaseUrl,
      NATS_URL: ctx.natsUrl,
      REDIS_URL: ctx.redisUrl,
      INSTANCE_PREFIX: ctx.prefix,
      ...(process.env.JWT_SECRET ? { JWT_SECRET: process.env.JWT_SECRET } : {}),
      ...extraEnv,
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.alive;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  waitExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

const liveChildren = new Set<ChildService>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export const serviceEntry = (service: string): string => join(DIST_ROOT, 'apps', service, 'src', 'main.js');
export const serviceBuilt = (service: string): boolean => existsSync(serviceEntry(service));

/** Polls GET /health until 200 (true) or the timeout (false). */
export async function waitHealthy(url: string, timeoutMs: number, everyMs = 50, isAlive: () => boolean = () => true): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && isAlive()) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      /* not up yet */
    }
    await sleep(everyMs);
  }
  return false;
}

// ---------------------------------------------------------------- the run's infrastructure

export type CreateContextResult = { ctx: BenchContext; runCleanup: () => Promise<void> };

export async function createContext(): Promise<CreateContextResult> {
  const runId = randomUUID().replace(/-/g, '').slice(0, 8);
  const workDir = join(process.env.BENCH_WORK_DIR ?? '/tmp', `cc-bench-${runId}`);
  mkdirSync(workDir, { recursive: true });
  const steps: Array<{ label: string; step: () => Promise<unknown> | unknown }> = [];
  const base = {
    runId,
    tenant: `bench-${runId}`,
    prefix: `bench_${runId}_`,
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/root',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    workDir,
    jwtSecret: process.env.JWT_SECRET ?? 'dev-only-secret-change-me-in-production-0123456789',
    onCleanup: (label: string, step: () => Promise<unknown> | unknown) => steps.push({ label, step }),
  };

  const nats = await privateNats(workDir, (label, step) => steps.push({ label, step }));
  const ctx: BenchContext = { ...base, natsUrl: nats.url, privateNats: nats.private };
  ctx.onCleanup('this run\'s database schemas', () => dropRunSchemas(ctx));
  // BENCH_KEEP=1 keeps the service logs (and the private NATS store) for a look after the run.
  if (!process.env.BENCH_KEEP) ctx.onCleanup('scratch directory', () => rmSync(workDir, { recursive: true, force: true }));

  let cleaned: Promise<void> | null = null;
  const runCleanup = () =>
    (cleaned ??= (async () => {
      // Children first (they hold connections), then the rest in reverse order of registration.
      await Promise.all([...liveChildren].map((child) => child.stop(3_000)));
      for (const { label, step } of steps.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(step), 15_000, `cleanup of ${label}`);
        } catch (error) {
          log('bench', `cleanup of ${label} failed: ${errorText(error)}`);
        }
      }
    })());
  return { ctx, runCleanup };
}

/**
 * A nats-server with JetStream on a free loopback port and a scratch store, so the numbers are not
 * shared with (and the `call-router` / `divert` queue groups not answered by) services other people
 * run on the shared NATS. BENCH_NATS_URL uses an existing server instead.
 */
async function privateNats(
  workDir: string,
  onCleanup: (label: string, step: () => Promise<unknown> | unknown) => void,
): Promise<{ url: string; private: boolean }> {
  if (process.env.BENCH_NATS_URL) return { url: process.env.BENCH_NATS_URL, private: false };
  const binary = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((p) => existsSync(p));
  if (!binary) {
    const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    log('bench', `no nats-server binary found: using the shared NATS at ${url} (numbers may include others' traffic)`);
    return { url, private: false };
  }
  const port = await freePort();
  const storeDir = join(workDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.on('exit', () => child.kill('SIGKILL'));
  onCleanup('private nats-server', async () => {
    child.kill('SIGTERM');
    await withTimeout(exited, 5_000, 'nats-server shutdown').catch(() => child.kill('SIGKILL'));
  });
  const url = `nats://127.0.0.1:${port}`;
  const nc = await pollUntil(() => connect({ servers: url, reconnect: false }), 10_000, 100);
  if (!nc) throw new Error(`the private nats-server on ${url} did not start`);
  await nc.jetstreamManager(); // JetStream is enabled
  await nc.close();
  return { url, private: true };
}

export async function connectBenchNats(ctx: BenchContext, name: string): Promise<NatsConnection> {
  return connect({ servers: ctx.natsUrl, name: `bench-${ctx.runId}-${name}`, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
}

/** Drops every schema of this run (`bench_<runId>_%`): event stores, read models, scratch tables. */
export async function dropRunSchemas(ctx: BenchContext): Promise<string[]> {
  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`,
      [`${ctx.prefix.replace(/_/g, '\\_')}%`],
    );
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

/** `host` = the machine's load right now, printed with each part (other helpers' work shares the cores). */
export async function loadAverage(): Promise<string> {
  const { loadavg, cpus } = await import('node:os');
  const [one] = loadavg();
  return `load ${one?.toFixed(2)} on ${cpus().length} cores`;
}
