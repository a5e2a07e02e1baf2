// One ioredis connection per process for this service's own keys (offer sessions, their locks and
// expiry index), with a /health check. BullMQ (callbacks/) opens its own connections: its blocking
// commands need `maxRetriesPerRequest: null`, which request-reply use here must not have.
import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthChecks } from '@cc/platform';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis, health: HealthChecks) {
    health.register('redis', async () => {
      const pong = await this.redis.ping();
      if (pong !== 'PONG') throw new Error(`Redis answered ${pong}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status !== 'end') await this.redis.quit();
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(options: { url: string; connectionName: string }): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: async (): Promise<Redis> => {
            const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: options.connectionName });
            await redis.connect();
            return redis;
          },
        },
        RedisLifecycle,
      ],
      exports: [REDIS_CLIENT],
    };
  }
}
