// The booking use-cases as a module: BookingService is what the API, the offer dialogue and the campaign
// submitter (callbacks/, campaigns/) book, cancel and reschedule through. Also runs the reconciler that
// finishes reschedules a crash interrupted.
import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BlacklistModule } from '../blacklist/blacklist.module';
import { CallSlotsModule } from '../call-slots/call-slots.module';
import { ProjectionsModule } from '../projections/projections.module';
import { BookingIdempotencyIndex } from './booking-idempotency.index';
import { BookingLocator } from './booking-locator';
import { BookingQueries } from './booking.queries';
import { BookingService } from './booking.service';
import { RescheduleReconciler } from './reschedule.reconciler';

@Module({
  imports: [AccessModule, BlacklistModule, CallSlotsModule, ProjectionsModule],
  providers: [BookingService, BookingQueries, BookingLocator, BookingIdempotencyIndex, RescheduleReconciler],
  exports: [BookingService, BookingQueries, BookingIdempotencyIndex, RescheduleReconciler],
})
export class BookingsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly reconciler: RescheduleReconciler) {}

  onApplicationBootstrap(): void {
    this.reconciler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconciler.stop();
  }
}
