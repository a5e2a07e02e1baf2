// The IVR offer dialogue: Redis session store, the use-cases, and the sweeper of expired sessions.
import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BlacklistModule } from '../blacklist/blacklist.module';
import { BookingsModule } from '../bookings/bookings.module';
import { CallSlotsModule } from '../call-slots/call-slots.module';
import { OfferEventsRecorder } from './offer-events.recorder';
import { OfferSessionStore } from './offer-session.store';
import { OfferSessionSweeper } from './offer-session.sweeper';
import { OfferService } from './offer.service';

@Module({
  imports: [AccessModule, BlacklistModule, BookingsModule, CallSlotsModule],
  providers: [OfferSessionStore, OfferEventsRecorder, OfferService, OfferSessionSweeper],
  exports: [OfferService, OfferSessionSweeper, OfferSessionStore],
})
export class OffersModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly sweeper: OfferSessionSweeper) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweeper.stop();
  }
}
