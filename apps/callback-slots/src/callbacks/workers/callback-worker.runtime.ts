// Everything the worker role runs, started and stopped in order: the scheduler projection (store
// subscription -> read model + timer jobs), the BullMQ worker that fires timers, and the reconciler
// (once the projection has caught up at start, then periodically). Owns its Redis connections and
// registers the 'redis' health check.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { CLOCK, EVENT_STORE, HealthChecks, Metrics, ProjectionRunner, SERVICE_CONFIG, type BaseConfig, type Clock } from '@cc/platform';
import { CALLBACKS_CONFIG, type CallbacksConfig } from '../callbacks.config';
import { CallbackDispatcher } from '../application/callback-dispatcher';
import { CallbackSchedulerProjection } from '../scheduling/callback-scheduler.projection';
import { CallbackTimerQueue } from '../scheduling/callback-timer.queue';
import { CallbackTimerReconciler, type ReconcileReport } from '../scheduling/callback-timer.reconciler';
import { CallbackFiringWorker } from './callback-firing.worker';

@Injectable()
export class CallbackWorkerRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('CallbackWorkerRuntime');
  private readonly queueConnection: IORedis;
  private readonly workerConnection: IORedis;
  readonly timers: CallbackTimerQueue;
  readonly projection: ProjectionRunner;
  readonly reconciler: CallbackTimerReconciler;
  private readonly worker: CallbackFiringWorker;
  /** Settles after the first reconcile (which waits for the projection to catch up). */
  private firstReconcile: Promise<ReconcileReport | null> = Promise.resolve(null);

  constructor(
    @Inject(SERVICE_CONFIG) base: BaseConfig,
    @Inject(CALLBACKS_CONFIG) config: CallbacksConfig,
    @Inject(EVENT_STORE) store: EventStore,
    @InjectDataSource() dataSource: DataSource,
    @Inject(CLOCK) clock: Clock,
    private readonly dispatcher: CallbackDispatcher,
    health: HealthChecks,
    metrics: Metrics,
  ) {
    this.queueConnection = new IORedis(base.REDIS_URL, { connectionName: 'callback-timers', lazyConnect: false });
    // Workers block on Redis: BullMQ requires no per-request retry limit on their connection.
    this.workerConnection = new IORedis(base.REDIS_URL, { connectionName: 'callback-worker', maxRetriesPerRequest: null });
    this.timers = new CallbackTimerQueue(this.queueConnection, config.CALLBACK_QUEUE_PREFIX, clock, config.CALLBACK_LEAD_MS);
    this.projection = new ProjectionRunner(store, dataSource, new CallbackSchedulerProjection(this.timers));
    this.reconciler = new CallbackTimerReconciler(dataSource, this.timers, config.CALLBACK_RECONCILE_INTERVAL_MS);
    this.worker = new CallbackFiringWorker({
      connection: this.workerConnection,
      prefix: config.CALLBACK_QUEUE_PREFIX,
      clock,
      leadMs: config.CALLBACK_LEAD_MS,
      concurrency: config.CALLBACK_WORKER_CONCURRENCY,
      dispatcher,
      metrics,
    });
    health.register('redis-callbacks', async () => {
      await this.queueConnection.ping();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    await this.worker.start();
    // Rebuilding timers from a read model that has not caught up would only re-add stale ones: wait.
    this.firstReconcile = this.projection
      .caughtUp()
      .then(() => this.reconciler.start())
      .catch((error: unknown) => {
        this.logger.error(`first reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
  }

  /** Resolves once the start-up reconcile ran (tests, readiness). */
  started(): Promise<ReconcileReport | null> {
    return this.firstReconcile;
  }

  /** Before NATS drains: the worker may still ask the router for plans. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.dispatcher.drain();
    await this.reconciler.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.firstReconcile;
    await this.projection.stop();
    await this.timers.close();
    await Promise.allSettled([this.queueConnection.quit(), this.workerConnection.quit()]);
  }
}
