// Entry point of the callback-slots service process.
import 'reflect-metadata';
import { runService } from '@cc/platform';
import { CallbackSlotsConfigSchema } from './config';
import { CallbackSlotsModule } from './callback-slots.module';

void runService({
  service: 'callback-slots',
  configSchema: CallbackSlotsConfigSchema,
  module: (config) => CallbackSlotsModule.forRoot(config),
  description: 'Call slots, per-occurrence capacity held by events, DTMF offers, bookings, campaigns and scheduled callbacks.',
});
