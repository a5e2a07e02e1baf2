// Logins (`login-{tenant}-{name}`): role, privileges and call-slot profile (seed 003), decided with the
// tenant's licence, and the effective permissions other services filter by. A login name is its stream,
// so a concurrent creation of the same name fails its append and is decided again into LOGIN_EXISTS.
import { Injectable } from '@nestjs/common';
import {
  AGENT_DIRECTORY_ERRORS,
  DomainError,
  toAgentStreamId,
  toLoginStreamId,
  toTenantStreamId,
  type AssignCallSlotProfileRequest,
  type ChangeLoginPrivilegesRequest,
  type ChangeLoginRoleRequest,
  type CreateLoginRequest,
  type EffectivePermissions,
  type ListLoginsRequest,
  type ListLoginsResponse,
  type LoginEvent,
  type LoginResponse,
  type TenantView,
} from '@cc/contracts';
import { CommandExecutor, type ExecuteResult } from '@cc/platform';
import { agentDecider } from '../domain/agent.decider';
import { directoryError } from '../domain/directory-error';
import { effectivePermissions, loginDecider, type LinkedAgent, type LoginCommand, type LoginState } from '../domain/login.decider';
import { tenantDecider } from '../domain/tenant.decider';
import { DirectoryReadModelsProjectionRunner } from '../projections/directory-read-models.projection-runner';
import { LoginsRepository } from '../projections/logins.repository';
import type { DirectoryCaller } from './directory-caller';
import { TenantsService } from './tenants.service';

@Injectable()
export class LoginsService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly tenants: TenantsService,
    private readonly logins: LoginsRepository,
    private readonly projection: DirectoryReadModelsProjectionRunner,
  ) {}

  async create(caller: DirectoryCaller, request: CreateLoginRequest): Promise<LoginResponse> {
    const tenant = await this.tenants.requireTenant(caller.tenantId);
    const agentId = request.agentId ?? null;
    const agent: LinkedAgent | null = agentId === null ? null : await this.linkedAgent(caller.tenantId, agentId);
    const result = await this.execute(caller, request.loginId, {
      type: 'CreateLogin',
      loginId: request.loginId,
      email: request.email ?? null,
      role: request.role,
      privileges: request.privileges ?? null,
      callSlotProfile: request.callSlotProfile ?? null,
      agent,
      tenant,
    });
    return responseOf(result);
  }

  async get(caller: DirectoryCaller, loginId: string): Promise<LoginResponse> {
    const { state, revision } = await this.executor.load(toLoginStreamId(caller.tenantId, loginId), loginDecider);
    if (state.status === 'absent') throw loginNotFound();
    return { login: state.login, revision: revision as number };
  }

  async list(caller: DirectoryCaller, request: ListLoginsRequest): Promise<ListLoginsResponse> {
    await this.projection.caughtUp();
    return this.logins.list(caller.tenantId, request);
  }

  changeRole(caller: DirectoryCaller, loginId: string, request: ChangeLoginRoleRequest, expectedRevision?: number): Promise<LoginResponse> {
    return this.withTenant(caller, loginId, (tenant) => ({ type: 'ChangeLoginRole', role: request.role, privileges: request.privileges ?? null, tenant }), expectedRevision);
  }

  changePrivileges(caller: DirectoryCaller, loginId: string, request: ChangeLoginPrivilegesRequest, expectedRevision?: number): Promise<LoginResponse> {
    return this.withTenant(caller, loginId, (tenant) => ({ type: 'ChangeLoginPrivileges', privileges: request.privileges, tenant }), expectedRevision);
  }

  /** Needs the callSlots licence (AGENT_DIRECTORY.LICENCE_REQUIRED, 403, naming it). */
  assignCallSlotProfile(caller: DirectoryCaller, loginId: string, request: AssignCallSlotProfileRequest, expectedRevision?: number): Promise<LoginResponse> {
    return this.withTenant(caller, loginId, (tenant) => ({ type: 'AssignCallSlotProfile', callSlotProfile: request.callSlotProfile, tenant }), expectedRevision);
  }

  async disable(caller: DirectoryCaller, loginId: string, expectedRevision?: number): Promise<LoginResponse> {
    return responseOf(await this.execute(caller, loginId, { type: 'DisableLogin' }, expectedRevision));
  }

  async enable(caller: DirectoryCaller, loginId: string, expectedRevision?: number): Promise<LoginResponse> {
    return responseOf(await this.execute(caller, loginId, { type: 'EnableLogin' }, expectedRevision));
  }

  /**
   * What the login may do now, licence gating applied. A caller sees its own (token subject = login name)
   * or, with `logins:read`, any login of its tenant.
   */
  async permissions(caller: DirectoryCaller, loginId: string): Promise<EffectivePermissions> {
    if (caller.subject !== loginId && !caller.can('logins:read')) {
      throw new DomainError('AUTH.PRIVILEGE_REQUIRED', 'forbidden', 'Reading another login\'s permissions needs the privilege logins:read', [], {
        missing: ['logins:read'],
      });
    }
    const [login, tenant] = await Promise.all([
      this.executor.load(toLoginStreamId(caller.tenantId, loginId), loginDecider),
      this.executor.load(toTenantStreamId(caller.tenantId), tenantDecider),
    ]);
    return effectivePermissions(login.state, tenant.state);
  }

  private async withTenant(
    caller: DirectoryCaller,
    loginId: string,
    command: (tenant: TenantView) => LoginCommand,
    expectedRevision: number | undefined,
  ): Promise<LoginResponse> {
    const tenant = await this.tenants.requireTenant(caller.tenantId);
    return responseOf(await this.execute(caller, loginId, command(tenant), expectedRevision));
  }

  private async linkedAgent(tenantId: string, agentId: string): Promise<LinkedAgent> {
    const { state } = await this.executor.load(toAgentStreamId(tenantId, agentId), agentDecider);
    return { agentId, status: state.status };
  }

  private execute(caller: DirectoryCaller, loginId: string, command: LoginCommand, expectedRevision?: number) {
    return this.executor.execute<LoginState, LoginCommand, LoginEvent>({
      streamId: toLoginStreamId(caller.tenantId, loginId),
      decider: loginDecider,
      command,
      tenantId: caller.tenantId,
      actor: caller.actor,
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
    });
  }
}

function responseOf(result: ExecuteResult<LoginState, LoginEvent>): LoginResponse {
  if (result.state.status === 'absent') throw loginNotFound();
  return { login: result.state.login, revision: result.revision as number };
}

const loginNotFound = () => directoryError(AGENT_DIRECTORY_ERRORS.LOGIN_NOT_FOUND, 'No such login');
