// Entry point of the call-router service process.
import 'reflect-metadata';
import { runService } from '@cc/platform';
import { CallRouterConfigSchema } from './config';
import { CallRouterModule } from './call-router.module';

void runService({
  service: 'call-router',
  configSchema: CallRouterConfigSchema,
  module: (config) => CallRouterModule.forRoot(config),
  description: 'Call flows, routing decisions from live replicas, call progress, routing events and call logs.',
});
