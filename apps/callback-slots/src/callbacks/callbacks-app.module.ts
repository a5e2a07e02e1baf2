// Scheduled callbacks as an app of their own: what worker.ts runs (CALLBACK_ROLE=worker, scaled apart
// from the API) and what the callbacks' integration tests start. The full service imports
// CallbacksModule into its composition root instead.
import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Clock } from '@cc/platform';
import { CALLBACKS_READ_MODEL_MIGRATIONS, CallbacksModule, type CallbacksModuleOptions } from './callbacks.module';
import type { CallbacksConfig } from './callbacks.config';

@Module({})
export class CallbacksAppModule {
  static forRoot(
    config: BaseConfig & Partial<Record<keyof CallbacksConfig, unknown>>,
    options: CallbacksModuleOptions & { clock?: Clock } = {},
  ): DynamicModule {
    const service = 'callback-slots';
    const { clock, ...callbacks } = options;
    return {
      module: CallbacksAppModule,
      imports: [
        PlatformModule.forRoot({ service, config, ...(clock ? { clock } : {}) }),
        EventSourcingModule.forRoot({ service, config }),
        ReadModelsModule.forRoot({ service, config, entities: [], migrations: CALLBACKS_READ_MODEL_MIGRATIONS }),
        CallbacksModule.forRoot(config, callbacks),
      ],
    };
  }
}
