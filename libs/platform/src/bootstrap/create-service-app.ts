// Builds a service: Nest on fastify with correlation ids, problem+json, OpenAPI at /docs, /health,
// /metrics and the NATS request-reply transport. Used by every main.ts and by the test harness.
import { randomUUID } from 'node:crypto';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { DEFAULT_HTTP_PORTS, type ServiceName } from '@cc/contracts';
import type { BaseConfig } from '../config/config';
import { createLogger, PinoNestLogger } from '../logging/logger';
import { requestContext } from '../logging/request-context';
import { Metrics } from '../metrics/metrics';

export type ServiceApp = { app: NestFastifyApplication; url: string; logger: Logger; close: () => Promise<void> };

export type CreateServiceAppOptions = {
  service: ServiceName;
  module: Type<unknown> | DynamicModule;
  config: BaseConfig;
  description?: string;
  /** Port 0 picks a free one (tests). Defaults to PORT or the service's default port. */
  port?: number;
};

export async function createServiceApp(options: CreateServiceAppOptions): Promise<ServiceApp> {
  const { service, config } = options;
  const logger = createLogger(service, config.LOG_LEVEL);
  const adapter = new FastifyAdapter({ bodyLimit: 16 * 1024 * 1024, genReqId: () => randomUUID() });
  const fastify = adapter.getInstance();

  // Correlation id for the whole request: taken from the caller or made here, echoed back.
  fastify.addHook('onRequest', (request, reply, done) => {
    const header = request.headers['x-correlation-id'];
    const correlationId = (Array.isArray(header) ? header[0] : header) || request.id;
    void reply.header('x-correlation-id', correlationId);
    requestContext.run({ correlationId }, () => done());
  });
  // Errors raised by fastify itself (malformed JSON, wrong content type, body too large) reach Nest's
  // exception layer, hence the ProblemFilter: they are problems too (tested).

  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });

  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`${service} API`)
      .setDescription(options.description ?? `The ${service} service of the call-control platform.`)
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.NATS,
      // Request-reply only: one queue group per service so instances share the load. Event fan-out
      // does not go through this transport (JetStream consumers in libs/messaging do it).
      // gracefulShutdown: drain the subscription, so a request the queue group already routed to this
      // instance is answered instead of timing out while it stops.
      options: { servers: [config.NATS_URL], queue: service, name: `${service}-rpc`, gracefulShutdown: true, gracePeriod: 2000 },
    },
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks();
  // Bootstrap hooks (projections, relays, consumers) run before any NATS handler can take a request.
  await app.init();
  await app.startAllMicroservices();
  const port = options.port ?? config.PORT ?? DEFAULT_HTTP_PORTS[service];
  await app.listen({ port, host: config.HOST });
  const address = fastify.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${actualPort}`;
  return { app, url, logger, close: () => app.close() };
}
