// HTTP API of what beats a schedule's weekly rules: exceptions (holidays, one-off closures and openings,
// recurring ones, iCalendar imports) and the emergency override (audited: who, when, why).
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  AddExceptionBodySchema,
  AddExceptionRequestSchema,
  ClearEmergencyOverrideRequestSchema,
  ExpectedRevisionQuerySchema,
  ImportCalendarQuerySchema,
  ImportExceptionsBodySchema,
  ImportExceptionsRequestSchema,
  ImportExceptionsResultSchema,
  ListExceptionsRequestSchema,
  ListExceptionsResponseSchema,
  RemoveExceptionRequestSchema,
  ScheduleChangeResultSchema,
  SetEmergencyOverrideBodySchema,
  SetEmergencyOverrideRequestSchema,
  type ImportExceptionsResult,
  type ListExceptionsResponse,
  type ScheduleChangeResult,
} from '@cc/contracts';
import { ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, type Principal, Roles, withEtag, zod } from '@cc/platform';
import { callerOfPrincipal } from '../application/schedule-caller';
import { ScheduleCommands } from '../application/schedule-commands.service';
import { ScheduleQueries } from '../application/schedule-queries.service';
import { importExceptionsInput } from './import-exceptions.http-input';
import { TEXT_CALENDAR } from './text-calendar.body-parser';
import { WRITE_ROLES } from './write-roles';

const WRITE_ERRORS = [400, 401, 403, 404, 409, 410];

@ApiTags('schedule exceptions and emergency override')
@Controller('v1/schedules/:scheduleId')
export class ScheduleExceptionsController {
  constructor(
    private readonly commands: ScheduleCommands,
    private readonly queries: ScheduleQueries,
  ) {}

  @Get('exceptions')
  @ApiZod({ response: ListExceptionsResponseSchema, errors: [400, 401, 404, 410] })
  async listExceptions(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ListExceptionsResponse> {
    return withEtag(reply, await this.queries.listExceptions(callerOfPrincipal(principal), parseOrThrow(ListExceptionsRequestSchema, { scheduleId })));
  }

  /** Adds a holiday, closure or opening; `exception.exceptionId` is generated when left out. */
  @Post('exceptions')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiZod({ body: AddExceptionBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async addException(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(AddExceptionRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.addException(callerOfPrincipal(principal), request));
  }

  /**
   * Merges a holiday calendar: `text/calendar` (RFC 5545; `effect`, `source` in the query) or JSON `{ ics }`
   * or `{ format: 'exceptions', exceptions }`. Known ids are replaced, new ones added, nothing removed.
   */
  @Post('exceptions/import')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiConsumes('application/json', TEXT_CALENDAR)
  @ApiZod({ body: ImportExceptionsBodySchema, query: ImportCalendarQuerySchema, response: ImportExceptionsResultSchema, errors: WRITE_ERRORS })
  async importExceptions(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportExceptionsResult> {
    const request = parseOrThrow(ImportExceptionsRequestSchema, importExceptionsInput({ body, query, scheduleId, ifMatch }));
    return withEtag(reply, await this.commands.importExceptions(callerOfPrincipal(principal), request));
  }

  /** The id is URL-encoded in the path (iCalendar ids hold `:` and `@`). */
  @Delete('exceptions/:exceptionId')
  @Roles(...WRITE_ROLES)
  @ApiZod({ query: ExpectedRevisionQuerySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async removeException(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Param('exceptionId') exceptionId: string,
    @Query(zod(ExpectedRevisionQuerySchema, 'query')) query: z.infer<typeof ExpectedRevisionQuerySchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(RemoveExceptionRequestSchema, httpCommandInput({ body: query, params: { scheduleId, exceptionId }, ifMatch }));
    return withEtag(reply, await this.commands.removeException(callerOfPrincipal(principal), request));
  }

  /** Forces open or closed now, beating every rule, until `expiresAt` (absent: until cleared). The caller is recorded as `by`. */
  @Put('emergency')
  @Roles(...WRITE_ROLES)
  @ApiZod({ body: SetEmergencyOverrideBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async setEmergencyOverride(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(SetEmergencyOverrideRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.setEmergencyOverride(callerOfPrincipal(principal), request));
  }

  @Delete('emergency')
  @Roles(...WRITE_ROLES)
  @ApiZod({ query: ExpectedRevisionQuerySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async clearEmergencyOverride(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Query(zod(ExpectedRevisionQuerySchema, 'query')) query: z.infer<typeof ExpectedRevisionQuerySchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ClearEmergencyOverrideRequestSchema, httpCommandInput({ body: query, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.clearEmergencyOverride(callerOfPrincipal(principal), request));
  }
}
