// HTTP API of the agents (OpenAPI at /docs): validate with the contract schemas, call one application
// function, return. Reads and writes carry the agent stream's revision as ETag; writes take If-Match.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AgentResponseSchema,
  ChangeAgentExtensionRequestSchema,
  ChangeAgentProfileRequestSchema,
  ChangeAgentRoleRequestSchema,
  DisableAgentRequestSchema,
  GetAgentRequestSchema,
  IsWorkingRequestSchema,
  IsWorkingResponseSchema,
  ListAgentsRequestSchema,
  ListAgentsResponseSchema,
  RegisterAgentRequestSchema,
  ReporteesRequestSchema,
  ReporteesResponseSchema,
  SetAfterHoursPolicyRequestSchema,
  SetReportingManagerRequestSchema,
  SetRingPreferenceRequestSchema,
  SetWorkingHoursRequestSchema,
  type AgentResponse,
  type ChangeAgentExtensionRequest,
  type ChangeAgentProfileRequest,
  type ChangeAgentRoleRequest,
  type IsWorkingResponse,
  type ListAgentsRequest,
  type ListAgentsResponse,
  type RegisterAgentRequest,
  type ReporteesResponse,
  type SetAfterHoursPolicyRequest,
  type SetReportingManagerRequest,
  type SetRingPreferenceRequest,
  type SetWorkingHoursRequest,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, RequirePrivileges, zod, type Principal } from '@cc/platform';
import { AgentsService } from '../application/agents.service';
import { callerOfPrincipal } from '../application/directory-caller';
import { expectedRevisionOf, withEtag } from './revision-headers';

const READ = 'agents:read';
const WRITE = 'agents:write';
const WRITE_ERRORS = [400, 401, 403, 404, 409, 410];
const IF_MATCH_HEADER = { name: 'if-match', required: false, description: 'The ETag of a read ("3"): refuse with 409 if the agent changed since' };
const WorkingQuerySchema = IsWorkingRequestSchema.omit({ agentId: true });
const ReporteesQuerySchema = ReporteesRequestSchema.omit({ managerId: true });

const agentIdOf = (agentId: string): string => parseOrThrow(GetAgentRequestSchema, { agentId }).agentId;

@ApiTags('agents')
@Controller('v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @RequirePrivileges(WRITE)
  @ApiZod({ body: RegisterAgentRequestSchema, response: AgentResponseSchema, status: 201, errors: [400, 401, 403, 404, 409] })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(RegisterAgentRequestSchema)) body: RegisterAgentRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    const created = await this.agents.register(callerOfPrincipal(principal), body);
    void reply.header('location', `/v1/agents/${created.agent.agentId}`);
    return withEtag(reply, created);
  }

  @Get()
  @RequirePrivileges(READ)
  @ApiZod({ query: ListAgentsRequestSchema, response: ListAgentsResponseSchema, errors: [400, 401, 403] })
  list(@CurrentPrincipal() principal: Principal, @Query(zod(ListAgentsRequestSchema, 'query')) query: ListAgentsRequest): Promise<ListAgentsResponse> {
    return this.agents.list(callerOfPrincipal(principal), query);
  }

  @Get(':agentId')
  @RequirePrivileges(READ)
  @ApiZod({ response: AgentResponseSchema, errors: [400, 401, 403, 404] })
  async get(@CurrentPrincipal() principal: Principal, @Param('agentId') agentId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.get(callerOfPrincipal(principal), agentIdOf(agentId)));
  }

  @Get(':agentId/working')
  @RequirePrivileges(READ)
  @ApiZod({ query: WorkingQuerySchema, response: IsWorkingResponseSchema, errors: [400, 401, 403, 404] })
  working(@CurrentPrincipal() principal: Principal, @Param('agentId') agentId: string, @Query() query: Record<string, unknown>): Promise<IsWorkingResponse> {
    return this.agents.isWorking(callerOfPrincipal(principal), parseOrThrow(IsWorkingRequestSchema, { ...query, agentId }));
  }

  @Get(':agentId/reportees')
  @RequirePrivileges(READ)
  @ApiZod({ query: ReporteesQuerySchema, response: ReporteesResponseSchema, errors: [400, 401, 403, 404, 410] })
  reportees(@CurrentPrincipal() principal: Principal, @Param('agentId') managerId: string, @Query() query: Record<string, unknown>): Promise<ReporteesResponse> {
    return this.agents.reportees(callerOfPrincipal(principal), parseOrThrow(ReporteesRequestSchema, { ...query, managerId }));
  }

  @Patch(':agentId')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeAgentProfileRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async changeProfile(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(ChangeAgentProfileRequestSchema)) body: ChangeAgentProfileRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.changeProfile(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':agentId/extension')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeAgentExtensionRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async changeExtension(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(ChangeAgentExtensionRequestSchema)) body: ChangeAgentExtensionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.changeExtension(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':agentId/ring-preference')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: SetRingPreferenceRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async setRingPreference(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(SetRingPreferenceRequestSchema)) body: SetRingPreferenceRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.setRingPreference(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':agentId/working-hours')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: SetWorkingHoursRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async setWorkingHours(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(SetWorkingHoursRequestSchema)) body: SetWorkingHoursRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.setWorkingHours(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':agentId/after-hours')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: SetAfterHoursPolicyRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async setAfterHoursPolicy(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(SetAfterHoursPolicyRequestSchema)) body: SetAfterHoursPolicyRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.setAfterHoursPolicy(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':agentId/role')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeAgentRoleRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async changeRole(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(ChangeAgentRoleRequestSchema)) body: ChangeAgentRoleRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.changeRole(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':agentId/manager')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: SetReportingManagerRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async setManager(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body(zod(SetReportingManagerRequestSchema)) body: SetReportingManagerRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.setManager(callerOfPrincipal(principal), agentIdOf(agentId), body, expectedRevisionOf(ifMatch)));
  }

  @Post(':agentId/disable')
  @HttpCode(200)
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: DisableAgentRequestSchema, response: AgentResponseSchema, errors: WRITE_ERRORS })
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    const request = parseOrThrow(DisableAgentRequestSchema, body ?? {});
    return withEtag(reply, await this.agents.disable(callerOfPrincipal(principal), agentIdOf(agentId), request, expectedRevisionOf(ifMatch)));
  }

  @Post(':agentId/enable')
  @HttpCode(200)
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ response: AgentResponseSchema, errors: WRITE_ERRORS })
  async enable(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.enable(callerOfPrincipal(principal), agentIdOf(agentId), expectedRevisionOf(ifMatch)));
  }

  /** Removes the agent for good (refused while it manages someone); repeating it answers the removed agent. */
  @Delete(':agentId')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ response: AgentResponseSchema, errors: WRITE_ERRORS })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('agentId') agentId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentResponse> {
    return withEtag(reply, await this.agents.remove(callerOfPrincipal(principal), agentIdOf(agentId), expectedRevisionOf(ifMatch)));
  }
}
