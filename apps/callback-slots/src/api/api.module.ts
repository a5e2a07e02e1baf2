// The service's edges: HTTP controllers and NATS request-reply handlers over the feature modules.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BlacklistModule } from '../blacklist/blacklist.module';
import { BookingsModule } from '../bookings/bookings.module';
import { CallSlotsModule } from '../call-slots/call-slots.module';
import { OffersModule } from '../offers/offers.module';
import { BlacklistController } from './blacklist.controller';
import { BookingsController } from './bookings.controller';
import { CallbackSlotsNatsController } from './callback-slots.nats-controller';
import { CallSlotsController } from './call-slots.controller';
import { OffersController } from './offers.controller';

@Module({
  imports: [AccessModule, BlacklistModule, BookingsModule, CallSlotsModule, OffersModule],
  controllers: [CallSlotsController, BookingsController, BlacklistController, OffersController, CallbackSlotsNatsController],
})
export class ApiModule {}
