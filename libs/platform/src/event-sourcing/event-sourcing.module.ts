// Gives a service its event store (PostgreSQL schema `svc_<service>` by default, KurrentDB when
// EVENTSTORE_URL is set), the command executor, its NATS connection, and the relay that publishes its
// stored events to JetStream; registers their health checks; stops the relay before NATS drains.
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { dbSchemaOf, type ServiceName } from '@cc/contracts';
import { KurrentDbEventStore, PostgresEventStore, type EventStore } from '@cc/event-store';
import { EventRelay, MessagingModule, NATS_CONNECTION } from '@cc/messaging';
import { CLOCK, type Clock } from '../clock/clock';
import type { BaseConfig } from '../config/config';
import { HealthChecks } from '../health/health-checks';
import { Metrics } from '../metrics/metrics';
import { CommandExecutor } from './command-executor';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const EVENT_SOURCING_OPTIONS = Symbol('EVENT_SOURCING_OPTIONS');

export type EventSourcingOptions = {
  service: ServiceName;
  config: BaseConfig;
  /** Publish this service's events to JetStream (default true). */
  relay?: boolean;
  /** Publish only the events of streams with these prefixes (default: all of them). */
  relayStreamPrefixes?: string[];
};

export async function createEventStore(service: ServiceName, config: BaseConfig): Promise<EventStore> {
  if (config.EVENTSTORE_URL) return KurrentDbEventStore.create({ connectionString: config.EVENTSTORE_URL });
  return PostgresEventStore.create({ connectionString: config.DATABASE_URL, schema: `${config.INSTANCE_PREFIX}${dbSchemaOf(service)}` });
}

@Injectable()
class EventInfrastructure implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private relay: EventRelay | null = null;

  constructor(
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    health: HealthChecks,
    private readonly metrics: Metrics,
  ) {
    health.register('event-store', () => store.ping());
    health.register('nats', async () => {
      if (nc.isClosed()) throw new Error('NATS connection closed');
      await nc.flush();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.relay === false) return;
    this.relay = new EventRelay({
      store: this.store,
      nc: this.nc,
      service: this.options.service,
      metrics: this.metrics.registry,
      ...(this.options.relayStreamPrefixes ? { streamPrefixes: this.options.relayStreamPrefixes } : {}),
    });
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class EventSourcingModule {
  static forRoot(options: EventSourcingOptions): DynamicModule {
    return {
      module: EventSourcingModule,
      global: true,
      imports: [MessagingModule.forRoot({ service: options.service, natsUrl: options.config.NATS_URL })],
      providers: [
        { provide: EVENT_SOURCING_OPTIONS, useValue: options },
        { provide: EVENT_STORE, useFactory: () => createEventStore(options.service, options.config) },
        {
          provide: CommandExecutor,
          useFactory: (store: EventStore, clock: Clock) => new CommandExecutor(store, clock),
          inject: [EVENT_STORE, CLOCK],
        },
        EventInfrastructure,
      ],
      exports: [EVENT_STORE, CommandExecutor, MessagingModule],
    };
  }
}
