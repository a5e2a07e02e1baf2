// Starts a service in-process on a free port against the real infrastructure, for integration tests.
import type { DynamicModule, Type } from '@nestjs/common';
import type { ServiceName } from '@cc/contracts';
import { createServiceApp, type BaseConfig, type ServiceApp } from '@cc/platform';
import { HttpClient } from './http-client';
import { testConfig } from './infra-urls';

export type TestApp = ServiceApp & { http: HttpClient };

export async function startTestApp(options: {
  service: ServiceName;
  module: (config: BaseConfig) => Type<unknown> | DynamicModule;
  config?: Partial<BaseConfig>;
}): Promise<TestApp> {
  const config = testConfig(options.config);
  const started = await createServiceApp({ service: options.service, module: options.module(config), config, port: 0 });
  return { ...started, http: new HttpClient(started.url) };
}
