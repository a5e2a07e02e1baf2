// Makes this service's own settings (CallbackSlotsConfig) injectable everywhere under CALLBACK_SLOTS_CONFIG.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from './config';

@Global()
@Module({})
export class CallbackSlotsConfigModule {
  static forRoot(config: CallbackSlotsConfig): DynamicModule {
    return {
      module: CallbackSlotsConfigModule,
      providers: [{ provide: CALLBACK_SLOTS_CONFIG, useValue: config }],
      exports: [CALLBACK_SLOTS_CONFIG],
    };
  }
}
