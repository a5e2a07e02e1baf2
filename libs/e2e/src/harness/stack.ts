// The five services as separate processes, the way they run in production: a private build of apps/ and
// libs/ (so a concurrent `npm run build` elsewhere cannot pull files from under them), a private
// nats-server (JetStream) and redis-server on free loopback ports (request-reply queue groups, streams,
// durable consumers and BullMQ queues of other test runs cannot answer or steal ours), and the shared
// PostgreSQL with schemas named after a unique INSTANCE_PREFIX (dropped again at the end).
// Without nats-server / redis-server binaries the shared ones are used (E2E_NATS_URL / E2E_REDIS_URL
// force a URL either way).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { Client } from 'pg';

export const SERVICES = ['agent-directory', 'schedule', 'divert', 'callback-slots', 'call-router'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The checkout (the first folder up with nx.json: also right when this file runs compiled from dist/ or tmp/). */
export const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
export const E2E_TMP = join(REPO_ROOT, 'tmp', 'e2e');

/** What test files need to reach the stack (passed to jest workers as JSON in E2E_STACK). */
export type StackInfo = {
  runId: string;
  /** DB schemas `{prefix}svc_<service>`, durable names, Redis key prefixes. */
  prefix: string;
  urls: Record<ServiceName, string>;
  natsUrl: string;
  redisUrl: string;
  databaseUrl: string;
  /** Process ids of the services (a test process checks whether one died while it waits for /health). */
  pids: Record<ServiceName, number>;
  runDir: string;
  logDir: string;
};

export type Stack = StackInfo & { stop(): Promise<void>; processes: Map<string, ChildProcess> };

type Log = (line: string) => void;

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(500);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, alive: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    const dead = alive();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await sleep(150);
  }
}

export async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const findBinary = (name: string): string | undefined =>
  ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'].map((dir) => join(dir, name)).find((p) => existsSync(p));

/** Compiles apps/ and libs/ with swc into `outDir` and links @cc/* as tools/dev/build.mjs does for dist/. */
export function buildInto(outDir: string): void {
  const swc = join(REPO_ROOT, 'node_modules', '.bin', 'swc');
  execFileSync(swc, ['apps', 'libs', '-d', outDir, '--config-file', '.swcrc', '--ignore', '**/*.spec.ts', '--quiet'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const scope = join(outDir, 'node_modules', '@cc');
  mkdirSync(scope, { recursive: true });
  for (const lib of readdirSync(join(outDir, 'libs'))) {
    const target = join(outDir, 'libs', lib, 'src');
    if (existsSync(join(target, 'index.js'))) symlinkSync(relative(scope, target), join(scope, lib));
  }
}

/** Spawns one process with its output in a log file; `exited` says why it is gone (null while it runs). */
function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): { child: ChildProcess; exited: () => string | null } {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exit: string | null = null;
  child.on('exit', (code, signal) => {
    exit = `exited (${signal ?? code}); log ${logFile}:\n${tail(logFile)}`;
  });
  child.on('error', (error) => {
    exit = `could not start: ${error.message}`;
  });
  return { child, exited: () => exit };
}

export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Drops every schema of one run (`{prefix}…`). */
export async function dropSchemas(databaseUrl: string, prefix: string): Promise<string[]> {
  if (!/^e2e_[a-z0-9]+_$/.test(prefix)) throw new Error(`refusing to drop schemas of prefix "${prefix}"`);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(`select nspname from pg_namespace where starts_with(nspname, $1)`, [prefix]);
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

/** Runs older than this are leftovers of a killed test process: their schemas and files are removed. */
const STALE_RUN_MS = 6 * 60 * 60 * 1000;

async function removeStaleRuns(databaseUrl: string, log: Log): Promise<void> {
  if (!existsSync(E2E_TMP)) return;
  for (const runId of readdirSync(E2E_TMP)) {
    const dir = join(E2E_TMP, runId);
    try {
      if (Date.now() - statSync(dir).mtimeMs < STALE_RUN_MS) continue;
      if (/^[a-z0-9]+$/.test(runId)) await dropSchemas(databaseUrl, `e2e_${runId}_`);
      rmSync(dir, { recursive: true, force: true });
      log(`removed the leftovers of e2e run ${runId}`);
    } catch (error) {
      log(`could not remove e2e run ${runId}: ${String(error)}`);
    }
  }
}

/**
 * A watchdog process: when the process that started the stack dies without stopping it (a killed jest),
 * it kills the services, nats-server and redis-server of the run and drops the run's schemas.
 */
function startReaper(runDir: string, pids: number[], databaseUrl: string, prefix: string): ChildProcess {
  const pidFile = join(runDir, 'pids.json');
  writeFileSync(pidFile, JSON.stringify(pids));
  const script = `
    const fs = require('fs');
    const parent = ${process.pid};
    const timer = setInterval(async () => {
      try { process.kill(parent, 0); return; } catch {}
      clearInterval(timer);
      let pids = [];
      try { pids = JSON.parse(fs.readFileSync(${JSON.stringify(pidFile)}, 'utf8')); } catch {}
      for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
      try {
        const { Client } = require(${JSON.stringify(require.resolve('pg'))});
        const client = new Client({ connectionString: ${JSON.stringify(databaseUrl)} });
        await client.connect();
        const { rows } = await client.query('select nspname from pg_namespace where starts_with(nspname, $1)', [${JSON.stringify(prefix)}]);
        for (const { nspname } of rows) await client.query('drop schema if exists "' + nspname + '" cascade');
        await client.end();
      } catch {}
      process.exit(0);
    }, 1000);`;
  const reaper = spawn(process.execPath, ['-e', script], { stdio: 'ignore', detached: true });
  reaper.unref();
  return reaper;
}

export type StartStackOptions = {
  log?: Log;
  /** Extra environment for every service (e.g. shorter sweeps). */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
  /**
   * false: return as soon as the processes are spawned (the jest global setup does, so the services boot
   * while other projects' tests run; each story waits for the services it needs with `whenReady`).
   */
  wait?: boolean;
};

export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const prefix = `e2e_${runId}_`;
  const runDir = join(E2E_TMP, runId);
  const logDir = join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const databaseUrl = process.env.E2E_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  await removeStaleRuns(databaseUrl, log);

  const processes = new Map<string, ChildProcess>();
  const exits = new Map<string, () => string | null>();
  let reaper: ChildProcess | undefined;
  const pids = () => [...processes.values()].map((p) => p.pid).filter((p): p is number => typeof p === 'number');

  const stop = async (): Promise<void> => {
    const services = SERVICES.map((s) => processes.get(s)).filter((p): p is ChildProcess => p !== undefined);
    await Promise.all(services.map((p) => stopProcess(p)));
    await Promise.all([...processes.entries()].filter(([name]) => !SERVICES.includes(name as ServiceName)).map(([, p]) => stopProcess(p, 5_000)));
    reaper?.kill('SIGKILL');
    try {
      await dropSchemas(databaseUrl, prefix);
    } catch (error) {
      log(`could not drop the schemas of ${prefix}: ${String(error)}`);
    }
    // Logs stay for a look after a failure (removed with the run dir after STALE_RUN_MS).
    for (const dir of ['dist', 'nats', 'redis']) rmSync(join(runDir, dir), { recursive: true, force: true });
  };

  try {
    buildInto(join(runDir, 'dist'));

    let natsUrl = process.env.E2E_NATS_URL;
    const natsBinary = findBinary('nats-server');
    if (!natsUrl && natsBinary) {
      const port = await freePort();
      mkdirSync(join(runDir, 'nats'), { recursive: true });
      const { child, exited } = spawnLogged(natsBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(runDir, 'nats')], process.env, join(logDir, 'nats-server.log'));
      processes.set('nats-server', child);
      exits.set('nats-server', exited);
      await waitFor('nats-server', () => portOpen(port), 10_000, exited);
      natsUrl = `nats://127.0.0.1:${port}`;
    }
    natsUrl ??= process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

    let redisUrl = process.env.E2E_REDIS_URL;
    const redisBinary = findBinary('redis-server');
    if (!redisUrl && redisBinary) {
      const port = await freePort();
      mkdirSync(join(runDir, 'redis'), { recursive: true });
      const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', join(runDir, 'redis'), '--maxmemory-policy', 'noeviction'];
      const { child, exited } = spawnLogged(redisBinary, args, process.env, join(logDir, 'redis-server.log'));
      processes.set('redis-server', child);
      exits.set('redis-server', exited);
      await waitFor('redis-server', () => portOpen(port), 10_000, exited);
      redisUrl = `redis://127.0.0.1:${port}`;
    }
    redisUrl ??= process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

    const ports = new Map<ServiceName, number>();
    for (const service of SERVICES) ports.set(service, await freePort());
    const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports.get(s)}`])) as Record<ServiceName, string>;
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      REDIS_URL: redisUrl,
      INSTANCE_PREFIX: prefix,
      // Redis keys and BullMQ queues of this run only (matters when Redis is the shared one).
      OFFER_SESSION_KEY_PREFIX: `cc:${prefix}:`,
      CALLBACK_QUEUE_PREFIX: `cc-callbacks-${runId}`,
      ...options.env,
    };
    for (const service of SERVICES) {
      const entry = join(runDir, 'dist', 'apps', service, 'src', 'main.js');
      const { child, exited } = spawnLogged(process.execPath, ['--enable-source-maps', entry], { ...baseEnv, PORT: String(ports.get(service)) }, join(logDir, `${service}.log`));
      processes.set(service, child);
      exits.set(service, exited);
    }
    reaper = startReaper(runDir, pids(), databaseUrl, prefix);
    const pidsOf = Object.fromEntries(SERVICES.map((svc) => [svc, processes.get(svc)?.pid ?? -1])) as Record<ServiceName, number>;
    const info: StackInfo = { runId, prefix, urls, pids: pidsOf, natsUrl, redisUrl, databaseUrl, runDir, logDir };
    if (options.wait !== false) {
      const results = await Promise.allSettled(SERVICES.map((svc) => whenReady(info, svc, options.healthTimeoutMs)));
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason instanceof Error ? r.reason.message : r.reason)] : []));
      for (const reason of failed) log(reason);
      if (failed.length === SERVICES.length) throw new Error('no service started');
      log(`e2e stack ${runId} up: ${SERVICES.map((svc) => `${svc} ${urls[svc]}`).join(', ')}; NATS ${natsUrl}, Redis ${redisUrl}`);
    }
    return { ...info, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The stack a global setup started, as test files see it. */
export function stackInfo(): StackInfo {
  const raw = process.env.E2E_STACK;
  if (!raw) {
    throw new Error('E2E_STACK is not set: run the e2e specs through libs/e2e/jest.config.js (its global setup starts the services)');
  }
  return JSON.parse(raw) as StackInfo;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Resolves when the service answers /health; fails with the end of its log when its process died or it
 * is not up in time (the first story that needs a broken service reports why it is broken).
 */
export async function whenReady(info: StackInfo, service: ServiceName, timeoutMs = 150_000): Promise<void> {
  const logFile = join(info.logDir, `${service}.log`);
  await waitFor(service, () => healthy(info.urls[service]), timeoutMs, () =>
    alive(info.pids[service]) ? null : `did not start (process ${info.pids[service]} exited); log ${logFile}:\n${tail(logFile)}`,
  );
}

/** Waits for every service a story needs (see whenReady). */
export async function requireServices(info: StackInfo, ...services: ServiceName[]): Promise<void> {
  await Promise.all(services.map((service) => whenReady(info, service)));
}
