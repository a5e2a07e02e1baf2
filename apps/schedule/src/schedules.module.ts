// The schedules feature: HTTP and NATS APIs, the application services, the read model and its
// projection. Starts the projection at bootstrap and stops it only once HTTP and the NATS transport have
// stopped taking requests.
import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ScheduleExceptionsController } from './api/schedule-exceptions.controller';
import { ScheduleNatsController } from './api/schedule.nats-controller';
import { ScheduleTemplatesController } from './api/schedule-templates.controller';
import { SchedulesController } from './api/schedules.controller';
import { TextCalendarBodyParser } from './api/text-calendar.body-parser';
import { ScheduleCommands } from './application/schedule-commands.service';
import { ScheduleQueries } from './application/schedule-queries.service';
import { ScheduleReader } from './application/schedule-reader';
import { SchedulesProjectionRunner } from './projections/schedules.projection-runner';
import { SchedulesRepository } from './projections/schedules.repository';

@Module({
  controllers: [SchedulesController, ScheduleTemplatesController, ScheduleExceptionsController, ScheduleNatsController],
  providers: [ScheduleCommands, ScheduleQueries, ScheduleReader, SchedulesRepository, SchedulesProjectionRunner, TextCalendarBodyParser],
})
export class SchedulesModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly projection: SchedulesProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
