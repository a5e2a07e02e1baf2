// Config comes from the environment and is validated once at start: a bad variable stops the
// service with a message that names it, instead of a crash somewhere later.
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  }, `must be a URL with protocol ${protocols.join(' or ')}`);

/** Variables every service reads. Services extend it with their own. */
export const BaseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres', 'postgresql']).default('postgres://root@127.0.0.1:5432/root'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  /** Set to use KurrentDB/EventStoreDB instead of the PostgreSQL event store. */
  EVENTSTORE_URL: z.string().optional(),
  /** HS256 secret for bearer tokens. Required (>= 32 chars) in production; a dev default otherwise. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().default('call-control'),
  /** Prefix for DB schemas and JetStream durable names, so tests can run isolated copies. */
  INSTANCE_PREFIX: z.string().regex(/^[a-z0-9_]*$/, 'lowercase letters, digits and _ only').default(''),
});
export type BaseConfig = z.infer<typeof BaseConfigSchema>;

export const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production-0123456789';

export function loadConfig<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}${describeValue(env, i.path)}`),
    );
  }
  const config = result.data as z.infer<S> & Partial<BaseConfig>;
  if (config.NODE_ENV === 'production' && 'JWT_SECRET' in schema.shape && !config.JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: required in production (at least 32 characters)']);
  }
  return config;
}

function describeValue(env: Record<string, string | undefined>, path: PropertyKey[]): string {
  const key = String(path[0] ?? '');
  const value = env[key];
  if (value === undefined) return ' (not set)';
  return /SECRET|PASSWORD|TOKEN/i.test(key) ? ' (value hidden)' : ` (got "${value}")`;
}
