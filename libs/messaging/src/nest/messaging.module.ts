// Thin NestJS wiring: one NATS connection per service process, the JetStream streams ensured at boot,
// the connection drained at shutdown. Relays and consumers are started by each app on top of it.
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SERVICES, type ServiceName } from '@cc/contracts';
import type { NatsConnection } from 'nats';
import { ensureJetStreamStreams } from '../jetstream-streams.provisioner';
import type { MessagingLogger } from '../messaging.logger';
import { connectNats } from '../nats-connection.factory';
import { MESSAGING_OPTIONS, NATS_CONNECTION } from './messaging.tokens';

export type MessagingModuleOptions = {
  service: ServiceName;
  natsUrl: string;
  /** See jetStreamNames; tests pass a unique one. */
  namespace?: string;
  /**
   * Event streams to ensure at boot (default: every service's). Ensuring all of them, not just our own,
   * lets consumers of other services' streams start whatever the boot order.
   */
  streams?: readonly ServiceName[];
  /** JetStream retention for event streams (default 7 days). */
  eventMaxAgeMs?: number;
  /** Connection name in NATS monitoring (default: the service name). */
  connectionName?: string;
  logger?: MessagingLogger;
};

@Injectable()
class NatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await ensureJetStreamStreams(this.nc, this.options.streams ?? SERVICES, {
      ...(this.options.namespace === undefined ? {} : { namespace: this.options.namespace }),
      ...(this.options.eventMaxAgeMs === undefined ? {} : { eventMaxAgeMs: this.options.eventMaxAgeMs }),
    });
  }

  /**
   * Runs after every onModuleDestroy / beforeApplicationShutdown: stop relays and consumers there, and
   * their last acks and publishes still go out before the drain closes the connection.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.nc.isClosed() || this.nc.isDraining()) return;
    await this.nc.drain();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NATS_CONNECTION,
          useFactory: (): Promise<NatsConnection> =>
            connectNats({
              servers: options.natsUrl,
              name: options.connectionName ?? options.service,
              ...(options.logger ? { logger: options.logger } : {}),
            }),
        },
        NatsLifecycle,
      ],
      exports: [NATS_CONNECTION, MESSAGING_OPTIONS],
    };
  }
}
