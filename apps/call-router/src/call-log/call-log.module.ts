// The call log feature: the projection of call streams into the call log, the reporting-line and
// callback-attempt replicas it filters and counts by, and the HTTP API (call logs, performance). Starts the
// projection before the consumers and stops the consumers before NATS drains, the projection last.
// Needs the composition root's PlatformModule, EventSourcingModule and ReadModelsModule (CALL_LOG_ENTITIES).
import { Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CallLogController } from './api/call-log.controller';
import { CallLogQueries } from './api/call-log.queries';
import { CallbackActivityRepository } from './callbacks/callback-activity.repository';
import { CallbackActivityWorker } from './callbacks/callback-activity.worker';
import { ReportingLinesRepository } from './directory/reporting-lines.repository';
import { ReportingLinesWorker } from './directory/reporting-lines.worker';
import { CallLogProjectionRunner } from './projections/call-log.projection-runner';
import { CallLogRepository } from './projections/call-log.repository';

@Module({
  controllers: [CallLogController],
  providers: [
    CallLogQueries,
    CallLogRepository,
    CallLogProjectionRunner,
    ReportingLinesRepository,
    ReportingLinesWorker,
    CallbackActivityRepository,
    CallbackActivityWorker,
  ],
  exports: [CallLogProjectionRunner],
})
export class CallLogModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly projection: CallLogProjectionRunner,
    private readonly reportingLines: ReportingLinesWorker,
    private readonly callbackActivity: CallbackActivityWorker,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    await this.reportingLines.start();
    await this.callbackActivity.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.callbackActivity.stop();
    await this.reportingLines.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
