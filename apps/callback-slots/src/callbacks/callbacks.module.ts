// Scheduled callbacks as a module for the composition root: `CallbacksModule.forRoot(config)`. By
// CALLBACK_ROLE it adds the HTTP/NATS API (`api`), the scheduler, firing worker and reconciler
// (`worker`), or both (`all`). Needs the platform's event sourcing, NATS and read-model DataSource,
// with CALLBACKS_READ_MODEL_MIGRATIONS in the read models' migrations.
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { EventStore } from '@cc/event-store';
import { CLOCK, CommandExecutor, EVENT_STORE, type BaseConfig, type Clock } from '@cc/platform';
import { CallbacksController } from './api/callbacks.controller';
import { CallbacksNatsController } from './api/callbacks.nats-controller';
import { CallbackDispatcher } from './application/callback-dispatcher';
import { CallbackFiringService } from './application/callback-firing.service';
import { CallbackSourceReader } from './application/callback-source.reader';
import { CallbackViews } from './application/callback-views';
import { DIAL_PLAN_SUBJECT, DialPlanClient } from './application/dial-plan.client';
import { createFiringStore, FIRING_EVENT_STORE, FIRING_EXECUTOR, firingExecutorOf, FiringStoreLifecycle } from './application/firing-store';
import { CALLBACKS_CONFIG, callbacksConfigOf, type CallbacksConfig } from './callbacks.config';
import { CallbackDispatchSubjects } from '@cc/contracts';
import { CallbackSchedule1700000000800 } from './scheduling/1700000000800-callback-schedule.migration';
import { CallbackWorkerRuntime } from './workers/callback-worker.runtime';

/** Add to ReadModelsModule.forRoot({ migrations }) of every process that runs this module. */
export const CALLBACKS_READ_MODEL_MIGRATIONS = [CallbackSchedule1700000000800];

export type CallbacksModuleOptions = {
  /** Where to ask for dial plans (default: the call-router's `call-router.callback-plan`); tests use their own. */
  dialPlanSubject?: string;
};

@Module({})
export class CallbacksModule {
  static forRoot(config: BaseConfig & Partial<Record<keyof CallbacksConfig, unknown>>, options: CallbacksModuleOptions = {}): DynamicModule {
    const settings = callbacksConfigOf(config);
    const api = settings.CALLBACK_ROLE !== 'worker';
    const worker = settings.CALLBACK_ROLE !== 'api';
    const providers: Provider[] = [
      { provide: CALLBACKS_CONFIG, useValue: settings },
      { provide: DIAL_PLAN_SUBJECT, useValue: options.dialPlanSubject ?? CallbackDispatchSubjects.dialPlan },
      // The worker fires on connections of its own; the API role reuses the service's store.
      ...(worker
        ? [
            { provide: FIRING_EVENT_STORE, useFactory: () => createFiringStore(config) },
            { provide: FIRING_EXECUTOR, useFactory: (store: EventStore, clock: Clock) => firingExecutorOf(store, clock), inject: [FIRING_EVENT_STORE, CLOCK] },
            FiringStoreLifecycle,
          ]
        : [
            { provide: FIRING_EVENT_STORE, useExisting: EVENT_STORE },
            { provide: FIRING_EXECUTOR, useExisting: CommandExecutor },
          ]),
      CallbackSourceReader,
      DialPlanClient,
      CallbackDispatcher,
      ...(api ? [CallbackFiringService, CallbackViews] : []),
      ...(worker ? [CallbackWorkerRuntime] : []),
    ];
    return {
      module: CallbacksModule,
      controllers: api ? [CallbacksController, CallbacksNatsController] : [],
      providers,
      exports: [CallbackDispatcher, ...(worker ? [CallbackWorkerRuntime] : [])],
    };
  }
}
