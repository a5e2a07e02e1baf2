// Test support for libs/messaging integration tests: real NATS/PostgreSQL URLs, a unique namespace per
// test, cleanup of everything a namespace created, and promise-based waiting (no sleeps).
import { randomUUID } from 'node:crypto';
import { connect, type Msg, type NatsConnection } from 'nats';
import { Client } from 'pg';
import type { MessagingLogger } from '../src/messaging.logger';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** `t-1a2b3c4d`: a JetStream namespace / tenant / durable suffix no other test uses. */
export const uniqueName = (): string => `t-${randomUUID().slice(0, 8)}`;
/** `t_1a2b3c4d`: a PostgreSQL schema no other test uses. */
export const uniqueSchema = (): string => `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

export const testConnection = (): Promise<NatsConnection> => connect({ servers: NATS_URL, name: 'messaging-tests' });

/** Deletes every stream (and so its consumers) of a namespace. */
export async function deleteNamespaceStreams(nc: NatsConnection, namespace: string): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const deleted: string[] = [];
  for await (const info of jsm.streams.list()) {
    if (info.config.name.startsWith(`${namespace}_`)) {
      await jsm.streams.delete(info.config.name);
      deleted.push(info.config.name);
    }
  }
  return deleted;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Collects what a callback is given and resolves `until(n)` once n items arrived. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (this.items.length < w.n) return true;
      w.resolve();
      return false;
    });
  };

  until(n: number): Promise<T[]> {
    if (this.items.length >= n) return Promise.resolve(this.items);
    return new Promise((resolve) => this.waiters.push({ n, resolve: () => resolve(this.items) }));
  }
}

/** Core-NATS subscription that collects every message on a subject (JetStream publishes included). */
export function collectSubject(nc: NatsConnection, subject: string): Collector<Msg> & { stop(): void } {
  const collector = new Collector<Msg>();
  const sub = nc.subscribe(subject, { callback: (_err, msg) => collector.push(msg) });
  return Object.assign(collector, { stop: () => sub.unsubscribe() });
}

/** A logger that keeps lines for assertions instead of printing expected warnings. */
export function recordingLogger(): MessagingLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, message, fields });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A valid relayed event (PublishedEventSchema) for tenant `tenantId`. */
export function publishedEvent(
  tenantId: string,
  overrides: Partial<{ id: string; type: string; streamId: string; revision: number; data: unknown }> = {},
) {
  const revision = overrides.revision ?? 0;
  return {
    id: overrides.id ?? randomUUID(),
    type: overrides.type ?? 'DivertRuleSet',
    version: 1,
    tenantId,
    occurredAt: '2026-11-23T09:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    actor: 'user:admin@acme.test',
    data: overrides.data ?? { extension: '2001' },
    streamId: overrides.streamId ?? `divert-${tenantId}-2001`,
    revision,
    position: String(revision + 1),
  };
}
