// Entry point of a callback worker process: the scheduler projection, the BullMQ firing worker and the
// reconciler of callback-slots, without its API, so workers scale apart from it (deploy/k8s
// callback-worker). Serves /health and /metrics on PORT (default 3114, next to the API's 3104).
import 'reflect-metadata';
import { BaseConfigSchema, runService } from '@cc/platform';
import { z } from 'zod';
import { CallbacksConfigSchema } from './callbacks/callbacks.config';
import { CallbacksAppModule } from './callbacks/callbacks-app.module';

const WorkerConfigSchema = BaseConfigSchema.extend(CallbacksConfigSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3114),
});

void runService({
  service: 'callback-slots',
  configSchema: WorkerConfigSchema,
  // This entry point is the worker, whatever CALLBACK_ROLE says (main.ts honours CALLBACK_ROLE).
  module: (config) => CallbacksAppModule.forRoot({ ...config, CALLBACK_ROLE: 'worker' }),
  description: 'callback-slots worker: fires booked callbacks on time, drives attempts and retries, rebuilds timers after Redis loss.',
});
