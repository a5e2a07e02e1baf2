// Where the real infrastructure is for tests: env first, local defaults otherwise.
import { BaseConfigSchema, DEV_JWT_SECRET, type BaseConfig } from '@cc/platform';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A service config for tests: real infra, quiet logs, an isolated DB-schema / durable-name prefix. */
export function testConfig(overrides: Partial<BaseConfig> = {}): BaseConfig {
  return BaseConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    NATS_URL: TEST_NATS_URL,
    JWT_SECRET: DEV_JWT_SECRET,
    ...overrides,
  });
}
