// Jest global setup of the e2e project: starts the stack once for every e2e file (they use unique
// tenants) and hands its addresses to the test workers through E2E_STACK.
import { startStack, type Stack } from './stack';

declare global {
  var __E2E_STACK__: Stack | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  // Spawned, not awaited: the services boot while other projects' tests run; stories wait for them.
  const stack = await startStack({ wait: false, log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
  globalThis.__E2E_STACK__ = stack;
  const { stop: _stop, processes: _processes, ...info } = stack;
  process.env.E2E_STACK = JSON.stringify(info);
  process.stderr.write(`[e2e] services starting (${((Date.now() - started) / 1000).toFixed(1)} s; logs ${stack.logDir})\n`);
}
