// Composition root of the schedule service: platform wiring, event sourcing (store, relay to JetStream),
// the read model and the schedules feature.
import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Clock } from '@cc/platform';
import type { ScheduleConfig } from './config';
import { ScheduleReadModels1700000000000 } from './migrations/1700000000000-schedule-read-models.migration';
import { ScheduleEntity } from './projections/schedule.entity';
import { SchedulesModule } from './schedules.module';

@Module({})
export class ScheduleModule {
  /** `config` is a ScheduleConfig from main.ts; tests may pass the base config. */
  static forRoot(config: BaseConfig & Partial<ScheduleConfig>, options: { clock?: Clock } = {}): DynamicModule {
    const service = 'schedule';
    return {
      module: ScheduleModule,
      imports: [
        PlatformModule.forRoot({ service, config, ...options }),
        EventSourcingModule.forRoot({ service, config }),
        ReadModelsModule.forRoot({ service, config, entities: [ScheduleEntity], migrations: [ScheduleReadModels1700000000000] }),
        SchedulesModule,
      ],
    };
  }
}
