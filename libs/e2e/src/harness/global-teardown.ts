// Jest global teardown of the e2e project: stops the services, nats-server and redis-server of the run
// and drops its PostgreSQL schemas.
import type { Stack } from './stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __E2E_STACK__?: Stack }).__E2E_STACK__;
  if (!stack) return;
  globalThis.__E2E_STACK__ = undefined;
  await stack.stop();
}
