// HTTP API of a schedule's weekly templates ("Schedule 1", "Schedule 2", ...), their time slots, and the
// week-by-week rotation between them. Validate with the contract schemas, call one application function.
import { Body, Controller, Delete, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  ActivateRotationBodySchema,
  ActivateRotationRequestSchema,
  AddTemplateBodySchema,
  AddTemplateRequestSchema,
  AddTimeSlotRequestSchema,
  DeactivateRotationRequestSchema,
  DeleteTemplateQuerySchema,
  DeleteTemplateRequestSchema,
  DeleteTemplateResultSchema,
  ExpectedRevisionQuerySchema,
  RemoveTimeSlotRequestSchema,
  RenameTemplateBodySchema,
  RenameTemplateRequestSchema,
  ScheduleChangeResultSchema,
  SetTemplateRangesBodySchema,
  SetTemplateRangesRequestSchema,
  TimeSlotBodySchema,
  type DeleteTemplateResult,
  type ScheduleChangeResult,
} from '@cc/contracts';
import { ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, type Principal, Roles, withEtag, zod } from '@cc/platform';
import { callerOfPrincipal } from '../application/schedule-caller';
import { ScheduleCommands } from '../application/schedule-commands.service';
import { WRITE_ROLES } from './write-roles';

const WRITE_ERRORS = [400, 401, 403, 404, 409, 410];

@ApiTags('schedule templates and rotation')
@Controller('v1/schedules/:scheduleId')
@Roles(...WRITE_ROLES)
export class ScheduleTemplatesController {
  constructor(private readonly commands: ScheduleCommands) {}

  /** Adds a template last in rotation order; `templateId` is generated when left out. */
  @Post('templates')
  @HttpCode(200)
  @ApiZod({ body: AddTemplateBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async addTemplate(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(AddTemplateRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.addTemplate(callerOfPrincipal(principal), request));
  }

  @Patch('templates/:templateId')
  @ApiZod({ body: RenameTemplateBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async renameTemplate(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Param('templateId') templateId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(RenameTemplateRequestSchema, httpCommandInput({ body, params: { scheduleId, templateId }, ifMatch }));
    return withEtag(reply, await this.commands.renameTemplate(callerOfPrincipal(principal), request));
  }

  /** Replaces all of a template's time slots (edit rules). */
  @Put('templates/:templateId/ranges')
  @ApiZod({ body: SetTemplateRangesBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async setTemplateRanges(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Param('templateId') templateId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(SetTemplateRangesRequestSchema, httpCommandInput({ body, params: { scheduleId, templateId }, ifMatch }));
    return withEtag(reply, await this.commands.setTemplateRanges(callerOfPrincipal(principal), request));
  }

  @Post('templates/:templateId/slots')
  @HttpCode(200)
  @ApiZod({ body: TimeSlotBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async addTimeSlot(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Param('templateId') templateId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(AddTimeSlotRequestSchema, httpCommandInput({ body, params: { scheduleId, templateId }, ifMatch }));
    return withEtag(reply, await this.commands.addTimeSlot(callerOfPrincipal(principal), request));
  }

  /** Removes one time slot (the "X" next to it), named by its value in the JSON body. */
  @Delete('templates/:templateId/slots')
  @ApiZod({ body: TimeSlotBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async removeTimeSlot(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Param('templateId') templateId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(RemoveTimeSlotRequestSchema, httpCommandInput({ body, params: { scheduleId, templateId }, ifMatch }));
    return withEtag(reply, await this.commands.removeTimeSlot(callerOfPrincipal(principal), request));
  }

  /**
   * Deletes a template. The one in effect now needs `force=true` (its successor takes over); with rotation
   * on, the answer says how the rotation was re-anchored.
   */
  @Delete('templates/:templateId')
  @ApiZod({ query: DeleteTemplateQuerySchema, response: DeleteTemplateResultSchema, errors: WRITE_ERRORS })
  async deleteTemplate(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Param('templateId') templateId: string,
    @Query(zod(DeleteTemplateQuerySchema, 'query')) query: z.infer<typeof DeleteTemplateQuerySchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeleteTemplateResult> {
    const request = parseOrThrow(DeleteTemplateRequestSchema, httpCommandInput({ body: query, params: { scheduleId, templateId }, ifMatch }));
    return withEtag(reply, await this.commands.deleteTemplate(callerOfPrincipal(principal), request));
  }

  /** Rotates the templates week by week: the local week of `anchorDate` uses `firstTemplateId` ("choose which first"). */
  @Put('rotation')
  @ApiZod({ body: ActivateRotationBodySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async activateRotation(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ActivateRotationRequestSchema, httpCommandInput({ body, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.activateRotation(callerOfPrincipal(principal), request));
  }

  /** Stops rotating; the template in effect this week applies every week. */
  @Delete('rotation')
  @ApiZod({ query: ExpectedRevisionQuerySchema, response: ScheduleChangeResultSchema, errors: WRITE_ERRORS })
  async deactivateRotation(
    @CurrentPrincipal() principal: Principal,
    @Param('scheduleId') scheduleId: string,
    @Query(zod(ExpectedRevisionQuerySchema, 'query')) query: z.infer<typeof ExpectedRevisionQuerySchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(DeactivateRotationRequestSchema, httpCommandInput({ body: query, params: { scheduleId }, ifMatch }));
    return withEtag(reply, await this.commands.deactivateRotation(callerOfPrincipal(principal), request));
  }
}
