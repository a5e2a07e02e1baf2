// The platform wiring every service gets: auth, problem+json with field paths, NATS error replies,
// /health, /metrics and /docs, on a real NATS connection.
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import { DomainError } from '@cc/contracts';
import { BaseConfigSchema, DEV_JWT_SECRET } from '../config/config';
import { signToken } from '../auth/tokens';
import { RequirePrivileges, Roles } from '../auth/auth.decorators';
import { PlatformModule } from '../platform.module';
import { zod, parseOrThrow } from '../validation/zod.pipe';
import { ApiZod } from '../validation/api-zod.decorator';
import { rpcRequest } from '../rpc/rpc-client';
import { RemoteProblemError } from '../errors/to-problem';
import { createServiceApp, type ServiceApp } from './create-service-app';

const Thing = z.strictObject({ name: z.string().min(1), slots: z.array(z.object({ start: z.string().regex(/^\d\d:\d\d$/) })) });
const subject = `platform-test.${Date.now()}.echo`;

@Controller('v1/things')
class ThingsController {
  @Post()
  @ApiZod({ body: Thing, status: 201 })
  create(@Body(zod(Thing)) thing: z.infer<typeof Thing>) {
    if (thing.name === 'taken') throw new DomainError('THINGS.TAKEN', 'conflict', 'That name is taken', [{ path: 'name', message: 'taken' }]);
    return { created: thing.name };
  }

  @Get('admin-only')
  @Roles('ADMIN')
  adminOnly() {
    return { ok: true };
  }

  @Get('needs-privilege')
  @RequirePrivileges('callSlots:read')
  needsPrivilege() {
    return { ok: true };
  }

  @MessagePattern(subject)
  echo(@Payload() payload: unknown) {
    const thing = parseOrThrow(Thing, payload);
    if (thing.name === 'taken') throw new DomainError('THINGS.TAKEN', 'conflict', 'That name is taken');
    return { echoed: thing.name };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('service app platform wiring', () => {
  let service: ServiceApp;
  let nc: NatsConnection;
  const config = BaseConfigSchema.parse({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: DEV_JWT_SECRET });
  const token = (role: 'ADMIN' | 'AGENT', privileges: string[] = []) =>
    signToken({ sub: 'u1', tenant: 'acme', role, privileges }, { secret: DEV_JWT_SECRET, issuer: config.JWT_ISSUER });
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(service.url + path, init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    service = await createServiceApp({
      service: 'divert',
      module: { module: ThingsModule, imports: [PlatformModule.forRoot({ service: 'divert', config })] },
      config,
      port: 0,
    });
    nc = await connect({ servers: config.NATS_URL });
  });
  afterAll(async () => {
    await nc?.drain();
    await service?.close();
  });

  it('answers 401 problem+json without a token', async () => {
    const res = await call('/v1/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.MISSING_TOKEN' });
  });

  it('answers 401 for a token signed with another secret', async () => {
    const forged = await signToken({ sub: 'x', tenant: 'acme', role: 'ADMIN' }, { secret: 'x'.repeat(40), issuer: config.JWT_ISSUER });
    const res = await call('/v1/whoami', { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('takes the tenant from the token', async () => {
    const res = await call('/v1/whoami', { headers: { authorization: `Bearer ${await token('AGENT', ['callLogs:read'])}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: 'acme', role: 'AGENT', privileges: ['callLogs:read'] });
  });

  it('names every bad field, including unknown ones, with a 400 problem', async () => {
    const res = await call('/v1/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('ADMIN')}` },
      body: JSON.stringify({ name: '', slots: [{ start: '9am' }], extra: 1 }),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION.INVALID_INPUT');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'slots.0.start', 'extra']));
  });

  it('turns malformed JSON into a 400 problem, not a 500', async () => {
    const res = await call('/v1/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('ADMIN')}` },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
  });

  it('maps a domain error to its status and code', async () => {
    const res = await call('/v1/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('ADMIN')}` },
      body: JSON.stringify({ name: 'taken', slots: [] }),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'THINGS.TAKEN', errors: [{ path: 'name', message: 'taken' }] });
  });

  it('refuses a missing role or privilege with 403', async () => {
    const agent = await token('AGENT');
    expect((await call('/v1/things/admin-only', { headers: { authorization: `Bearer ${agent}` } })).status).toBe(403);
    const denied = await call('/v1/things/needs-privilege', { headers: { authorization: `Bearer ${agent}` } });
    expect(denied).toMatchObject({ status: 403, body: { code: 'AUTH.PRIVILEGE_REQUIRED' } });
    const allowed = await call('/v1/things/needs-privilege', { headers: { authorization: `Bearer ${await token('AGENT', ['callSlots:read'])}` } });
    expect(allowed.status).toBe(200);
  });

  it('answers 404 problem for an unknown route', async () => {
    const res = await call('/v1/nope', { headers: { authorization: `Bearer ${await token('ADMIN')}` } });
    expect(res.status).toBe(404);
    expect(res.type).toContain('application/problem+json');
  });

  it('serves /health, /metrics and the OpenAPI document with the zod schema', async () => {
    expect((await call('/health')).status).toBe(200);
    const metrics = await fetch(service.url + '/metrics').then((r) => r.text());
    expect(metrics).toContain('http_request_duration_seconds');
    const openapi = await call('/docs/openapi.json');
    expect(openapi.status).toBe(200);
    expect(JSON.stringify(openapi.body.paths['/v1/things'])).toContain('slots');
    const asyncapi = await call('/docs/asyncapi.json');
    expect(asyncapi.status).toBe(200);
    expect(asyncapi.body.asyncapi).toBe('3.0.0');
    expect(asyncapi.body.channels['divert.DivertRuleSet'].address).toBe('evt.divert.{tenantId}.DivertRuleSet');
  });

  it('replies over NATS, with the same problem shape for errors', async () => {
    await expect(rpcRequest(nc, subject, { name: 'ok', slots: [] })).resolves.toEqual({ echoed: 'ok' });
    const invalid = await rpcRequest(nc, subject, { name: 1 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(RemoteProblemError);
    expect((invalid as RemoteProblemError).problem).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_INPUT' });
    const conflict = await rpcRequest(nc, subject, { name: 'taken', slots: [] }).catch((e: unknown) => e);
    expect((conflict as RemoteProblemError).problem).toMatchObject({ status: 409, code: 'THINGS.TAKEN' });
  });
});
