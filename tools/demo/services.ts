// The demo uses the services `npm start` runs (ports 3101-3105). Those that do not answer /health are
// started here from dist/ the way tools/dev/run-all.mjs starts them (after making sure PostgreSQL,
// Redis and NATS are up), with their logs in tmp/demo/, and stopped again when the demo ends.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_URLS, SERVICE_NAMES, type ServiceUrls } from '../../libs/e2e/src/client/platform-client';

export const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export type RunningServices = { urls: ServiceUrls; started: string[]; stop(): Promise<void> };

export async function useOrStartServices(log: (line: string) => void): Promise<RunningServices> {
  const urls = DEFAULT_URLS;
  const up = await Promise.all(SERVICE_NAMES.map((s) => healthy(urls[s])));
  const missing = SERVICE_NAMES.filter((_, i) => !up[i]);
  if (missing.length === 0) {
    log('Using the services already running on ports 3101-3105.');
    return { urls, started: [], stop: async () => undefined };
  }
  log(`Starting ${missing.join(', ')} (not running; logs in tmp/demo/) ...`);
  execFileSync('bash', [join(REPO_ROOT, 'tools/dev/infra.sh')], { cwd: REPO_ROOT, stdio: 'ignore' });
  const logDir = join(REPO_ROOT, 'tmp', 'demo');
  mkdirSync(logDir, { recursive: true });
  const children = new Map<string, ChildProcess>();
  for (const service of missing) {
    // The build this file is part of (dist/tools/demo/services.js -> dist/apps/...).
    const entry = join(__dirname, '..', '..', 'apps', service, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`missing ${entry}: run node tools/dev/build.mjs`);
    const logFile = join(logDir, `${service}.log`);
    const fd = openSync(logFile, 'w');
    const port = new URL(urls[service]).port;
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: REPO_ROOT,
      env: { LOG_LEVEL: 'warn', ...process.env, PORT: port },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    children.set(service, child);
  }
  const stop = async (): Promise<void> => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  const deadline = Date.now() + 90_000;
  for (const service of missing) {
    const child = children.get(service)!;
    while (!(await healthy(urls[service]))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        const logText = readFileSync(join(logDir, `${service}.log`), 'utf8').trimEnd().split('\n').slice(-15).join('\n');
        await stop();
        throw new Error(`${service} did not start:\n${logText}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  log(`Started ${missing.join(', ')}; they stop when the demo ends.`);
  return { urls, started: missing, stop };
}
