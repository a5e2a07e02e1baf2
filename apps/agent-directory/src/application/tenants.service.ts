// Tenants (`tenant-{tenant}`): registered and licensed by the platform operator, settings changed by the
// operator or the tenant's admin. Every other flow starts by reading the tenant here (settings, licence).
import { Injectable } from '@nestjs/common';
import {
  toTenantStreamId,
  type ChangeTenantLicenceRequest,
  type ChangeTenantSettingsRequest,
  type ListTenantsRequest,
  type ListTenantsResponse,
  type RegisterTenantRequest,
  type TenantEvent,
  type TenantResponse,
  type TenantView,
} from '@cc/contracts';
import { CommandExecutor, type ExecuteResult } from '@cc/platform';
import { requireTenant, tenantDecider, type TenantCommand, type TenantState } from '../domain/tenant.decider';
import { DirectoryReadModelsProjectionRunner } from '../projections/directory-read-models.projection-runner';
import { TenantsRepository } from '../projections/tenants.repository';
import type { DirectoryCaller } from './directory-caller';

@Injectable()
export class TenantsService {
  /** Tenants are never unregistered: once seen registered, a tenant id needs no second look. */
  private readonly registered = new Set<string>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly tenants: TenantsRepository,
    private readonly projection: DirectoryReadModelsProjectionRunner,
  ) {}

  async register(caller: DirectoryCaller, request: RegisterTenantRequest): Promise<TenantResponse> {
    const result = await this.execute(caller, request.tenantId, { type: 'RegisterTenant', ...request }, undefined);
    return responseOf(result);
  }

  async get(tenantId: string): Promise<TenantResponse> {
    const { state, revision } = await this.executor.load(toTenantStreamId(tenantId), tenantDecider);
    return { tenant: requireTenant(state), revision: revision as number };
  }

  /** The registered tenant (settings, licence), or AGENT_DIRECTORY.TENANT_NOT_FOUND (404). */
  async requireTenant(tenantId: string): Promise<TenantView> {
    const { tenant } = await this.get(tenantId);
    this.registered.add(tenantId);
    return tenant;
  }

  /** Throws AGENT_DIRECTORY.TENANT_NOT_FOUND unless the tenant is registered (cheap after the first time). */
  async requireRegistered(tenantId: string): Promise<void> {
    if (!this.registered.has(tenantId)) await this.requireTenant(tenantId);
  }

  async changeLicence(caller: DirectoryCaller, tenantId: string, request: ChangeTenantLicenceRequest, expectedRevision?: number): Promise<TenantResponse> {
    return responseOf(await this.execute(caller, tenantId, { type: 'ChangeTenantLicence', licence: request }, expectedRevision));
  }

  async changeSettings(caller: DirectoryCaller, tenantId: string, request: ChangeTenantSettingsRequest, expectedRevision?: number): Promise<TenantResponse> {
    return responseOf(await this.execute(caller, tenantId, { type: 'ChangeTenantSettings', settings: request }, expectedRevision));
  }

  async list(request: ListTenantsRequest): Promise<ListTenantsResponse> {
    await this.projection.caughtUp();
    return this.tenants.list(request);
  }

  private execute(caller: DirectoryCaller, tenantId: string, command: TenantCommand, expectedRevision: number | undefined) {
    return this.executor.execute<TenantState, TenantCommand, TenantEvent>({
      streamId: toTenantStreamId(tenantId),
      decider: tenantDecider,
      command,
      tenantId,
      actor: caller.actor,
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
    });
  }
}

const responseOf = (result: ExecuteResult<TenantState, TenantEvent>): TenantResponse => ({
  tenant: requireTenant(result.state),
  revision: result.revision as number,
});
