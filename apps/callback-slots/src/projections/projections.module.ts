// The read models' projection and the repositories that query them. The projection starts with the
// application and stops after HTTP and NATS stopped taking requests.
import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BookingsRepository } from './bookings.repository';
import { CallSlotsRepository } from './call-slots.repository';
import { CallbackSlotsProjectionRunner } from './callback-slots.projection-runner';
import { OccurrenceLoadsRepository } from './occurrence-loads.repository';

@Module({
  providers: [CallbackSlotsProjectionRunner, BookingsRepository, CallSlotsRepository, OccurrenceLoadsRepository],
  exports: [CallbackSlotsProjectionRunner, BookingsRepository, CallSlotsRepository, OccurrenceLoadsRepository],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly projection: CallbackSlotsProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
