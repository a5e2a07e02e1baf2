// Entry point of the agent-directory service process.
import 'reflect-metadata';
import { runService } from '@cc/platform';
import { AgentDirectoryConfigSchema } from './config';
import { AgentDirectoryModule } from './agent-directory.module';

void runService({
  service: 'agent-directory',
  configSchema: AgentDirectoryConfigSchema,
  module: (config) => AgentDirectoryModule.forRoot(config),
  description: 'Tenants, agents, working hours, ring preferences, roles, reporting lines, logins and device state.',
});
