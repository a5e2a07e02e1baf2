// Starts a service in-process on a free port against the real infrastructure, for integration tests.
import type { DynamicModule, Type } from '@nestjs/common';
import type { ServiceName } from '@cc/contracts';
import { createServiceApp, type BaseConfig, type ServiceApp } from '@cc/platform';
import { HttpClient } from './http-client';
import { Client } from 'pg';
import { testConfig, TEST_DATABASE_URL } from './infra-urls';

export type TestApp = ServiceApp & { http: HttpClient };

export async function startTestApp(options: {
  service: ServiceName;
  module: (config: BaseConfig) => Type<unknown> | DynamicModule;
  config?: Partial<BaseConfig>;
}): Promise<TestApp> {
  const config = testConfig(options.config);
  const started = await createServiceApp({ service: options.service, module: options.module(config), config, port: 0 });
  return { ...started, http: new HttpClient(started.url) };
}

/**
 * Test processes start their apps one at a time per schema, with the schema created beforehand: on a
 * fresh database, first starts race in schema and migration-table creation (the event store's CREATE
 * SCHEMA against the read models', even within one app; TypeORM's migrations table across apps).
 */
export async function bootOneAtATime<T>(schema: string, boot: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [`${schema}.test-boot`]);
    await client.query(`create schema if not exists "${schema}"`);
    return await boot();
  } finally {
    await client.end(); // ends the session, and with it the lock
  }
}
