// Composition root of the callback-slots service: platform wiring, event sourcing (store, relay to
// JetStream), read models, Redis, and the features (call slots, bookings, blacklist, offers, access,
// campaigns, scheduled callbacks).
import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Clock } from '@cc/platform';
import { TenantDirectoryEntity } from './access/tenant-directory.entity';
import { ApiModule } from './api/api.module';
import { BookingIdempotencyKeyEntity } from './bookings/booking-idempotency-key.entity';
import { CallbackSlotsConfigModule } from './callback-slots-config.module';
import { CALLBACKS_READ_MODEL_MIGRATIONS, CallbacksModule } from './callbacks/callbacks.module';
import { CAMPAIGNS_READ_MODEL_MIGRATIONS, CampaignsModule } from './campaigns/campaigns.module';
import { callbackSlotsConfigOf, type CallbackSlotsConfig } from './config';
import { CallbackSlotsReadModels1700000000000 } from './migrations/1700000000000-callback-slots-read-models.migration';
import { BookingEntity } from './projections/booking.entity';
import { CallSlotEntity } from './projections/call-slot.entity';
import { OccurrenceLoadEntity } from './projections/occurrence-load.entity';
import { RedisModule } from './redis/redis.module';

@Module({})
export class CallbackSlotsModule {
  /** `config` is a CallbackSlotsConfig from main.ts; tests may pass the base config (this service's settings then default). */
  static forRoot(baseConfig: BaseConfig & Partial<CallbackSlotsConfig>, options: { clock?: Clock } = {}): DynamicModule {
    const service = 'callback-slots';
    const config = callbackSlotsConfigOf(baseConfig);
    return {
      module: CallbackSlotsModule,
      imports: [
        PlatformModule.forRoot({ service, config, ...options }),
        CallbackSlotsConfigModule.forRoot(config),
        EventSourcingModule.forRoot({ service, config }),
        ReadModelsModule.forRoot({
          service,
          config,
          entities: [CallSlotEntity, BookingEntity, OccurrenceLoadEntity, TenantDirectoryEntity, BookingIdempotencyKeyEntity],
          migrations: [CallbackSlotsReadModels1700000000000, ...CALLBACKS_READ_MODEL_MIGRATIONS, ...CAMPAIGNS_READ_MODEL_MIGRATIONS],
        }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: `${service}${config.INSTANCE_PREFIX ? `:${config.INSTANCE_PREFIX}` : ''}` }),
        ApiModule,
        CampaignsModule,
        // By CALLBACK_ROLE: the callbacks API, the firing worker (scheduler, BullMQ, reconciler), or both.
        CallbacksModule.forRoot(config),
      ],
    };
  }
}
