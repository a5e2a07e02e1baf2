// Entry point of the schedule service process.
import 'reflect-metadata';
import { runService } from '@cc/platform';
import { ScheduleConfigSchema } from './config';
import { ScheduleModule } from './schedule.module';

void runService({
  service: 'schedule',
  configSchema: ScheduleConfigSchema,
  module: (config) => ScheduleModule.forRoot(config),
  description: 'Call schedules: 24/7 or rotating weekly templates, exceptions, emergency overrides, isOpen and preview.',
});
