// HTTP API of logins (seed 003: roles, privileges, call-slot profiles) and their effective permissions:
// validate with the contract schemas, call one application function, return. Writes take If-Match.
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AssignCallSlotProfileRequestSchema,
  ChangeLoginPrivilegesRequestSchema,
  ChangeLoginRoleRequestSchema,
  CreateLoginRequestSchema,
  EffectivePermissionsSchema,
  GetLoginRequestSchema,
  ListLoginsRequestSchema,
  ListLoginsResponseSchema,
  LoginResponseSchema,
  type AssignCallSlotProfileRequest,
  type ChangeLoginPrivilegesRequest,
  type ChangeLoginRoleRequest,
  type CreateLoginRequest,
  type EffectivePermissions,
  type ListLoginsRequest,
  type ListLoginsResponse,
  type LoginResponse,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, RequirePrivileges, zod, type Principal } from '@cc/platform';
import { callerOfPrincipal } from '../application/directory-caller';
import { LoginsService } from '../application/logins.service';
import { expectedRevisionOf, withEtag } from './revision-headers';

const READ = 'logins:read';
const WRITE = 'logins:write';
const WRITE_ERRORS = [400, 401, 403, 404, 409];
const IF_MATCH_HEADER = { name: 'if-match', required: false, description: 'The ETag of a read ("3"): refuse with 409 if the login changed since' };

const loginIdOf = (loginId: string): string => parseOrThrow(GetLoginRequestSchema, { loginId }).loginId;

@ApiTags('logins')
@Controller('v1/logins')
export class LoginsController {
  constructor(private readonly logins: LoginsService) {}

  @Post()
  @RequirePrivileges(WRITE)
  @ApiZod({ body: CreateLoginRequestSchema, response: LoginResponseSchema, status: 201, errors: [400, 401, 403, 404, 409] })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(CreateLoginRequestSchema)) body: CreateLoginRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const created = await this.logins.create(callerOfPrincipal(principal), body);
    void reply.header('location', `/v1/logins/${encodeURIComponent(created.login.loginId)}`);
    return withEtag(reply, created);
  }

  @Get()
  @RequirePrivileges(READ)
  @ApiZod({ query: ListLoginsRequestSchema, response: ListLoginsResponseSchema, errors: [400, 401, 403] })
  list(@CurrentPrincipal() principal: Principal, @Query(zod(ListLoginsRequestSchema, 'query')) query: ListLoginsRequest): Promise<ListLoginsResponse> {
    return this.logins.list(callerOfPrincipal(principal), query);
  }

  @Get(':loginId')
  @RequirePrivileges(READ)
  @ApiZod({ response: LoginResponseSchema, errors: [400, 401, 403, 404] })
  async get(@CurrentPrincipal() principal: Principal, @Param('loginId') loginId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponse> {
    return withEtag(reply, await this.logins.get(callerOfPrincipal(principal), loginIdOf(loginId)));
  }

  /** What the login may do now, licence gating applied; a login may read its own without `logins:read`. */
  @Get(':loginId/permissions')
  @ApiZod({ response: EffectivePermissionsSchema, errors: [400, 401, 403, 404] })
  permissions(@CurrentPrincipal() principal: Principal, @Param('loginId') loginId: string): Promise<EffectivePermissions> {
    return this.logins.permissions(callerOfPrincipal(principal), loginIdOf(loginId));
  }

  @Put(':loginId/role')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeLoginRoleRequestSchema, response: LoginResponseSchema, errors: WRITE_ERRORS })
  async changeRole(
    @CurrentPrincipal() principal: Principal,
    @Param('loginId') loginId: string,
    @Body(zod(ChangeLoginRoleRequestSchema)) body: ChangeLoginRoleRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    return withEtag(reply, await this.logins.changeRole(callerOfPrincipal(principal), loginIdOf(loginId), body, expectedRevisionOf(ifMatch)));
  }

  @Put(':loginId/privileges')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: ChangeLoginPrivilegesRequestSchema, response: LoginResponseSchema, errors: WRITE_ERRORS })
  async changePrivileges(
    @CurrentPrincipal() principal: Principal,
    @Param('loginId') loginId: string,
    @Body(zod(ChangeLoginPrivilegesRequestSchema)) body: ChangeLoginPrivilegesRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    return withEtag(reply, await this.logins.changePrivileges(callerOfPrincipal(principal), loginIdOf(loginId), body, expectedRevisionOf(ifMatch)));
  }

  /** Needs the callSlots licence: 403 AGENT_DIRECTORY.LICENCE_REQUIRED naming it otherwise. */
  @Put(':loginId/call-slot-profile')
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ body: AssignCallSlotProfileRequestSchema, response: LoginResponseSchema, errors: WRITE_ERRORS })
  async assignCallSlotProfile(
    @CurrentPrincipal() principal: Principal,
    @Param('loginId') loginId: string,
    @Body(zod(AssignCallSlotProfileRequestSchema)) body: AssignCallSlotProfileRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    return withEtag(reply, await this.logins.assignCallSlotProfile(callerOfPrincipal(principal), loginIdOf(loginId), body, expectedRevisionOf(ifMatch)));
  }

  @Post(':loginId/disable')
  @HttpCode(200)
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ response: LoginResponseSchema, errors: WRITE_ERRORS })
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Param('loginId') loginId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    return withEtag(reply, await this.logins.disable(callerOfPrincipal(principal), loginIdOf(loginId), expectedRevisionOf(ifMatch)));
  }

  @Post(':loginId/enable')
  @HttpCode(200)
  @RequirePrivileges(WRITE)
  @ApiHeader(IF_MATCH_HEADER)
  @ApiZod({ response: LoginResponseSchema, errors: WRITE_ERRORS })
  async enable(
    @CurrentPrincipal() principal: Principal,
    @Param('loginId') loginId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    return withEtag(reply, await this.logins.enable(callerOfPrincipal(principal), loginIdOf(loginId), expectedRevisionOf(ifMatch)));
  }
}
