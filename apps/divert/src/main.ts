// Entry point of the divert service process.
import 'reflect-metadata';
import { runService } from '@cc/platform';
import { DivertConfigSchema } from './config';
import { DivertModule } from './divert.module';

void runService({
  service: 'divert',
  configSchema: DivertConfigSchema,
  module: (config) => DivertModule.forRoot(config),
  description: 'Per-extension diverts: always, no answer, busy, unreachable; live in under a second.',
});
