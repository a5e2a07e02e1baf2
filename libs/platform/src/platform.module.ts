// Cross-cutting wiring every service imports once: config, clock, auth guard, problem+json
// filters, metrics, health and the correlation-id context.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { ServiceName } from '@cc/contracts';
import { AuthGuard, TOKEN_SETTINGS } from './auth/auth.guard';
import { CLOCK, systemClock, type Clock } from './clock/clock';
import { DEV_JWT_SECRET, type BaseConfig } from './config/config';
import { ProblemFilter } from './errors/problem.filter';
import { HealthController } from './health/health.controller';
import { HealthChecks } from './health/health-checks';
import { RpcContextInterceptor } from './logging/rpc-context.interceptor';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { WhoAmIController } from './identity/whoami.controller';
import { AsyncApiController } from './docs/asyncapi.controller';

export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export type PlatformOptions = { service: ServiceName; config: BaseConfig; clock?: Clock };

@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const providers = [
      { provide: SERVICE_NAME, useValue: options.service },
      { provide: SERVICE_CONFIG, useValue: options.config },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: Metrics, useValue: new Metrics(options.service) },
      { provide: HealthChecks, useValue: new HealthChecks() },
      {
        provide: TOKEN_SETTINGS,
        useValue: { secret: options.config.JWT_SECRET ?? DEV_JWT_SECRET, issuer: options.config.JWT_ISSUER },
      },
    ];
    return {
      module: PlatformModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController, WhoAmIController, AsyncApiController],
      providers: [
        ...providers,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: RpcContextInterceptor },
      ],
      exports: providers.map((p) => p.provide),
    };
  }
}
