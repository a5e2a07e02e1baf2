// Runs the five services as separate processes with prefixed, readable logs; waits until every
// /health is up, runs the post-start setup (demo tenant), prints where everything is, and stops
// all of them on Ctrl-C (or when one dies).
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const services = [
  ['agent-directory', 3101, '\x1b[36m'],
  ['schedule', 3102, '\x1b[33m'],
  ['divert', 3103, '\x1b[35m'],
  ['callback-slots', 3104, '\x1b[32m'],
  ['call-router', 3105, '\x1b[34m'],
];
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = services.filter(([name]) => only.length === 0 || only.includes(name));
const reset = '\x1b[0m';
const children = new Map();
let stopping = false;

function prefixLines(name, color, stream, target) {
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) target.write(`${color}${name.padEnd(15)}${reset} | ${line}\n`);
  });
}

for (const [name, port, color] of selected) {
  const entry = join(root, 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(entry)) {
    console.error(`missing ${entry}: run node tools/dev/build.mjs`);
    process.exit(1);
  }
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    cwd: root,
    env: { LOG_PRETTY: '1', ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(name, color, child.stdout, process.stdout);
  prefixLines(name, color, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the others`);
      stop(1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  children.set(name, child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code);
  }, 10_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitHealthy(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

const results = await Promise.all(selected.map(async ([name, port]) => [name, port, await waitHealthy(port)]));
if (stopping) process.exit(process.exitCode ?? 1);
const seed = join(root, 'dist', 'tools', 'dev', 'seed-demo.js');
if (!process.argv.includes('--no-seed') && existsSync(seed) && results.every(([, , ok]) => ok)) {
  try {
    // A CommonJS build output: require it (a dynamic import does not see SWC's named exports).
    const { seedDemo } = createRequire(import.meta.url)(seed);
    await seedDemo({ log: (line) => console.log(`seed            | ${line}`) });
  } catch (error) {
    console.error(`seed            | demo tenant setup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
console.log('\n  Call-control platform is running:\n');
for (const [name, port, ok] of results) {
  console.log(`  ${ok ? '✔' : '✘'} ${name.padEnd(16)} http://127.0.0.1:${port}   docs http://127.0.0.1:${port}/docs   health http://127.0.0.1:${port}/health`);
}
console.log('\n  NATS nats://127.0.0.1:4222 · PostgreSQL 127.0.0.1:5432 · Redis 127.0.0.1:6379');
console.log('  A dev token: node dist/tools/dev/token.js --tenant demo --role ADMIN     Ctrl-C stops everything.\n');
