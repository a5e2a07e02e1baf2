// HTTP API of schedules as a whole (OpenAPI at /docs): create, list, read, rename, zone, mode, delete,
// and the queries isOpen, preview and audit. Validate with the contract schemas, call one application
// function, return. Reads and writes carry an ETag (the stream revision); writes take If-Match.
import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  ChangeScheduleTimezoneBodySchema,
  ChangeScheduleTimezoneRequestSchema,
  CreateScheduleRequestSchema,
  DeleteScheduleRequestSchema,
  ExpectedRevisionQuerySchema,
  GetScheduleRequestSchema,
  IsOpenQuerySchema,
  IsOpenRequestSchema,
  IsOpenResponseSchema,
  ListSchedulesQuerySchema,
  ListSchedulesResponseSchema,
  PreviewScheduleQuerySchema,
  PreviewScheduleRequestSchema,
  PreviewScheduleResponseSchema,
  RenameScheduleBodySchema,
  RenameScheduleRequestSchema,
  ScheduleAuditQuerySchema,
  ScheduleAuditRequestSchema,
  ScheduleAuditResponseSchema,
  ScheduleChangeResultSchema,
  ScheduleViewSchema,
  SetScheduleModeBodySchema,
  SetScheduleModeRequestSchema,
  type IsOpenResponse,
  type ListSchedulesResponse,
  type PreviewScheduleResponse,
  type ScheduleAuditResponse,
  type ScheduleChangeResult,
  type ScheduleView,
} from '@cc/contracts';
import { ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, type Principal, Roles, withEtag, zod } from '@cc/platform';
import { callerOfPrincipal } from '../application/schedule-caller';
import { ScheduleCommands } from '../application/schedule-commands.service';
import { ScheduleQueries } from '../application/schedule-queries.service';
import { WRITE_ROLES } from './write-roles';

const WRITE_ERRORS = [400, 401, 403, 404, 409, 410];
const READ_ERRORS = [400, 401, 404, 410];

@ApiTags('schedules')
@Controller('v1/schedules')
export class SchedulesController {
  constructor(
    private readonly commands: ScheduleCommands,
    private readonly queries: ScheduleQueries,
  ) {}

  @Post()
  @Roles(...WRITE_ROLES)
  @ApiZod({ body: CreateScheduleRequestSchema, response: ScheduleChangeResultSchema, status: 201, errors: [400, 401, 403, 409, 410] })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(CreateScheduleRequestSchema)) body: z.infer<typeof CreateScheduleRequestSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const result = await this.commands.create(callerOfPrincipal(principal), body);
    void reply.header('location', `/v1/schedules/${encodeURIComponent(result.scheduleId)}`);
    return withEtag(reply, result);
  }

  @Get()
  @ApiZod({ query: ListSchedulesQuerySchema, response: ListSchedulesResponseSchema, errors: [400, 401] })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(zod(ListSchedulesQuerySchema, 'query')) query: z.infer<typeof ListSchedulesQuerySchema>,
  ): Promise<ListSchedulesResponse> {
    return this.queries.list(callerOfPrincipal(principal), query);
  }

  @Get(':scheduleId')
  @ApiZod({ response: ScheduleViewSchema, errors: READ_ERRORS })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleView> {
    return withEtag(reply, await this.queries.get(callerOfPrincipal(principal), parseOrThrow(GetScheduleRequestSchema, { scheduleId })));
  }

  @Patch(':scheduleId')
  @Roles(...WRITE_ROLES)
  @ApiZod({ body: RenameScheduleBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async rename(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(RenameScheduleRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.rename(callerOfPrincipal(principal), request));
  }

  @Put(':scheduleId/timezone')
  @Roles(...WRITE_ROLES)
  @ApiZod({ body: ChangeScheduleTimezoneBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async changeTimezone(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ChangeScheduleTimezoneRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.changeTimezone(callerOfPrincipal(principal), request));
  }

  /** '24/7' overrides the templates and rotation without deleting them; 'custom' brings them back. */
  @Put(':scheduleId/mode')
  @Roles(...WRITE_ROLES)
  @ApiZod({ body: SetScheduleModeBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async setMode(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(SetScheduleModeRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.setMode(callerOfPrincipal(principal), request));
  }

  @Delete(':scheduleId')
  @Roles(...WRITE_ROLES)
  @ApiZod({ query: ExpectedRevisionQuerySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Query(zod(ExpectedRevisionQuerySchema, 'query')) query: z.infer<typeof ExpectedRevisionQuerySchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(DeleteScheduleRequestSchema, httpCommandInput({ body: query, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.delete(callerOfPrincipal(principal), request));
  }

  /** Open or closed at `at` (default: now), what decided it, and when that changes. */
  @Get(':scheduleId/open')
  @ApiZod({ query: IsOpenQuerySchema, response: IsOpenResponseSchema, errors: READ_ERRORS })
  isOpen(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Query(zod(IsOpenQuerySchema, 'query')) query: z.infer<typeof IsOpenQuerySchema>,
  ): Promise<IsOpenResponse> {
    return this.queries.isOpen(callerOfPrincipal(principal), parseOrThrow(IsOpenRequestSchema, { ...query, scheduleId }));
  }

  /** Open intervals in [from, to) (at most 62 days) for a calendar view. */
  @Get(':scheduleId/preview')
  @ApiZod({ query: PreviewScheduleQuerySchema, response: PreviewScheduleResponseSchema, errors: READ_ERRORS })
  preview(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Query(zod(PreviewScheduleQuerySchema, 'query')) query: z.infer<typeof PreviewScheduleQuerySchema>,
  ): Promise<PreviewScheduleResponse> {
    return this.queries.preview(callerOfPrincipal(principal), parseOrThrow(PreviewScheduleRequestSchema, { ...query, scheduleId }));
  }

  /** Who changed what, when and why (the schedule's events, oldest first). */
  @Get(':scheduleId/audit')
  @ApiZod({ query: ScheduleAuditQuerySchema, response: ScheduleAuditResponseSchema, errors: [400, 401, 404] })
  audit(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Query(zod(ScheduleAuditQuerySchema, 'query')) query: z.infer<typeof ScheduleAuditQuerySchema>,
  ): Promise<ScheduleAuditResponse> {
    return this.queries.audit(callerOfPrincipal(principal), parseOrThrow(ScheduleAuditRequestSchema, { ...query, scheduleId }));
  }
}
