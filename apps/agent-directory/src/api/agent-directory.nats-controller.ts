// NATS request-reply API of agent-directory (`agent-directory.<verb>`, queue group "agent-directory"): the
// queries other services need and the SIP edge's device reports. Internal callers name the tenant and
// actor in the request; errors travel back as the same problem objects as over HTTP.
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AgentDirectoryRpc,
  type AgentResponse,
  type DeviceState,
  type DeviceStateReportResult,
  type EffectivePermissions,
  type IsWorkingResponse,
  type ListAgentsResponse,
  type ReporteesResponse,
  type TenantResponse,
} from '@cc/contracts';
import { parseOrThrow } from '@cc/platform';
import { AgentsService } from '../application/agents.service';
import { DeviceStatesService } from '../application/device-states.service';
import { callerOfRpc } from '../application/directory-caller';
import { LoginsService } from '../application/logins.service';
import { TenantsService } from '../application/tenants.service';

@Controller()
export class AgentDirectoryNatsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly agents: AgentsService,
    private readonly logins: LoginsService,
    private readonly devices: DeviceStatesService,
  ) {}

  @MessagePattern(AgentDirectoryRpc.getTenant.subject)
  getTenant(@Payload() message: unknown): Promise<TenantResponse> {
    const request = parseOrThrow(AgentDirectoryRpc.getTenant.request, message);
    return this.tenants.get(request.tenantId);
  }

  @MessagePattern(AgentDirectoryRpc.getAgent.subject)
  getAgent(@Payload() message: unknown): Promise<AgentResponse> {
    const request = parseOrThrow(AgentDirectoryRpc.getAgent.request, message);
    return this.agents.get(callerOfRpc(request), request.payload.agentId);
  }

  @MessagePattern(AgentDirectoryRpc.listAgents.subject)
  listAgents(@Payload() message: unknown): Promise<ListAgentsResponse> {
    const request = parseOrThrow(AgentDirectoryRpc.listAgents.request, message);
    return this.agents.list(callerOfRpc(request), request.payload);
  }

  @MessagePattern(AgentDirectoryRpc.isWorking.subject)
  isWorking(@Payload() message: unknown): Promise<IsWorkingResponse> {
    const request = parseOrThrow(AgentDirectoryRpc.isWorking.request, message);
    return this.agents.isWorking(callerOfRpc(request), request.payload);
  }

  @MessagePattern(AgentDirectoryRpc.reportees.subject)
  reportees(@Payload() message: unknown): Promise<ReporteesResponse> {
    const request = parseOrThrow(AgentDirectoryRpc.reportees.request, message);
    return this.agents.reportees(callerOfRpc(request), request.payload);
  }

  @MessagePattern(AgentDirectoryRpc.effectivePermissions.subject)
  effectivePermissions(@Payload() message: unknown): Promise<EffectivePermissions> {
    const request = parseOrThrow(AgentDirectoryRpc.effectivePermissions.request, message);
    return this.logins.permissions(callerOfRpc(request), request.payload.loginId);
  }

  @MessagePattern(AgentDirectoryRpc.reportDeviceState.subject)
  reportDeviceState(@Payload() message: unknown): Promise<DeviceStateReportResult> {
    const request = parseOrThrow(AgentDirectoryRpc.reportDeviceState.request, message);
    return this.devices.report(callerOfRpc(request), request.payload);
  }

  @MessagePattern(AgentDirectoryRpc.getDeviceState.subject)
  getDeviceState(@Payload() message: unknown): Promise<DeviceState> {
    const request = parseOrThrow(AgentDirectoryRpc.getDeviceState.request, message);
    return this.devices.get(callerOfRpc(request), request.payload);
  }
}
