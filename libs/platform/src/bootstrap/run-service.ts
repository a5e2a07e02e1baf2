// main.ts of every service: load config (a bad variable exits with a message naming it), start,
// and log where the API and docs are. Ctrl-C / SIGTERM close it gracefully.
import type { DynamicModule, Type } from '@nestjs/common';
import type { z } from 'zod';
import type { ServiceName } from '@cc/contracts';
import { ConfigError, loadConfig, type BaseConfig } from '../config/config';
import { createServiceApp } from './create-service-app';

export async function runService<S extends z.ZodObject>(options: {
  service: ServiceName;
  configSchema: S;
  module: (config: z.infer<S>) => Type<unknown> | DynamicModule;
  description?: string;
}): Promise<void> {
  let config: z.infer<S>;
  try {
    config = loadConfig(options.configSchema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[${options.service}] ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const { url, logger } = await createServiceApp({
    service: options.service,
    module: options.module(config),
    config: config as BaseConfig,
    ...(options.description ? { description: options.description } : {}),
  });
  logger.info({ url, docs: `${url}/docs`, health: `${url}/health` }, `${options.service} listening on ${url} (docs ${url}/docs)`);
}
