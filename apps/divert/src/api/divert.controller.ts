// HTTP API of the divert service (OpenAPI at /docs): validate with the contract schemas, call one
// application function, return. Reads carry an ETag (the stream revision); writes take If-Match or
// `expectedRevision` and answer 409 with `currentRevision` when someone changed the rules first.
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  BulkReplaceDivertRulesRequestSchema,
  BulkReplaceDivertRulesResponseSchema,
  ClearDivertRuleQuerySchema,
  ClearDivertRuleRequestSchema,
  DivertAuditQuerySchema,
  DivertAuditResponseSchema,
  DivertChangeResultSchema,
  DivertRulesViewSchema,
  EffectiveDivertQuerySchema,
  EffectiveDivertResponseSchema,
  GetDivertRulesRequestSchema,
  ListDivertRulesQuerySchema,
  ListDivertRulesResponseSchema,
  ReplaceDivertRulesBodySchema,
  ReplaceDivertRulesRequestSchema,
  SetDivertRuleBodySchema,
  SetDivertRuleRequestSchema,
  type BulkReplaceDivertRulesRequest,
  type BulkReplaceDivertRulesResponse,
  type DivertAuditResponse,
  type DivertChangeResult,
  type DivertRulesView,
  type EffectiveDivertResponse,
  type ListDivertRulesResponse,
} from '@cc/contracts';
import { etagOfRevision, ApiZod, parseOrThrow, CurrentPrincipal, httpCommandInput, type Principal, Roles, zod } from '@cc/platform';
import type { z } from 'zod';
import { DivertRulesService } from '../application/divert-rules.service';
import { callerOfPrincipal } from '../application/divert-caller';

/** Tenant-wide operations; an AGENT manages only their own extension (see DivertCaller). */
const TENANT_ROLES = ['OPERATOR', 'ADMIN', 'MANAGER', 'SERVICE'] as const;
const ExtensionAuditQuerySchema = DivertAuditQuerySchema.omit({ extension: true });

@ApiTags('diverts')
@Controller('v1')
export class DivertController {
  constructor(private readonly diverts: DivertRulesService) {}

  @Get('extensions/:extension/diverts')
  @ApiZod({ response: DivertRulesViewSchema, errors: [400, 401, 403, 404] })
  async getRules(
    @CurrentPrincipal() principal: Principal,
    @Param('extension') extension: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DivertRulesView> {
    const view = await this.diverts.getRules(callerOfPrincipal(principal), parseOrThrow(GetDivertRulesRequestSchema, { extension }));
    void reply.header('etag', etagOfRevision(view.revision));
    return view;
  }

  @Put('extensions/:extension/diverts')
  @ApiZod({ body: ReplaceDivertRulesBodySchema, response: DivertChangeResultSchema, errors: [400, 401, 403, 404, 409] })
  async replaceRules(
    @CurrentPrincipal() principal: Principal,
    @Param('extension') extension: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DivertChangeResult> {
    const request = parseOrThrow(ReplaceDivertRulesRequestSchema, httpCommandInput({ body, params: { extension }, ifMatch }));
    return withEtag(reply, await this.diverts.replaceRules(callerOfPrincipal(principal), request));
  }

  @Put('extensions/:extension/diverts/:condition')
  @ApiZod({ body: SetDivertRuleBodySchema, response: DivertChangeResultSchema, errors: [400, 401, 403, 404, 409] })
  async setRule(
    @CurrentPrincipal() principal: Principal,
    @Param('extension') extension: string,
    @Param('condition') condition: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DivertChangeResult> {
    const request = parseOrThrow(SetDivertRuleRequestSchema, httpCommandInput({ body, params: { extension, condition }, ifMatch }));
    return withEtag(reply, await this.diverts.setRule(callerOfPrincipal(principal), request));
  }

  @Delete('extensions/:extension/diverts/:condition')
  @ApiZod({ query: ClearDivertRuleQuerySchema, response: DivertChangeResultSchema, errors: [400, 401, 403, 404, 409] })
  async clearRule(
    @CurrentPrincipal() principal: Principal,
    @Param('extension') extension: string,
    @Param('condition') condition: string,
    @Query(zod(ClearDivertRuleQuerySchema, 'query')) query: z.infer<typeof ClearDivertRuleQuerySchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DivertChangeResult> {
    const request = parseOrThrow(ClearDivertRuleRequestSchema, httpCommandInput({ body: query, params: { extension, condition }, ifMatch }));
    return withEtag(reply, await this.diverts.clearRule(callerOfPrincipal(principal), request));
  }

  @Get('extensions/:extension/diverts/effective')
  @ApiZod({ query: EffectiveDivertQuerySchema, response: EffectiveDivertResponseSchema, errors: [400, 401, 403, 404] })
  effectiveDivert(
    @CurrentPrincipal() principal: Principal,
    @Param('extension') extension: string,
    @Query(zod(EffectiveDivertQuerySchema, 'query')) query: z.infer<typeof EffectiveDivertQuerySchema>,
  ): Promise<EffectiveDivertResponse> {
    const request = parseOrThrow(GetDivertRulesRequestSchema, { extension });
    return this.diverts.effectiveDivert(callerOfPrincipal(principal), { ...query, ...request });
  }

  @Get('extensions/:extension/diverts/audit')
  @ApiZod({ query: ExtensionAuditQuerySchema, response: DivertAuditResponseSchema, errors: [400, 401, 403] })
  extensionAudit(
    @CurrentPrincipal() principal: Principal,
    @Param('extension') extension: string,
    @Query(zod(ExtensionAuditQuerySchema, 'query')) query: z.infer<typeof ExtensionAuditQuerySchema>,
  ): Promise<DivertAuditResponse> {
    const request = parseOrThrow(DivertAuditQuerySchema, { ...query, extension });
    return this.diverts.audit(callerOfPrincipal(principal), request);
  }

  @Get('diverts/audit')
  @ApiZod({ query: DivertAuditQuerySchema, response: DivertAuditResponseSchema, errors: [400, 401, 403] })
  audit(
    @CurrentPrincipal() principal: Principal,
    @Query(zod(DivertAuditQuerySchema, 'query')) query: z.infer<typeof DivertAuditQuerySchema>,
  ): Promise<DivertAuditResponse> {
    return this.diverts.audit(callerOfPrincipal(principal), query);
  }

  @Get('diverts')
  @Roles(...TENANT_ROLES)
  @ApiZod({ query: ListDivertRulesQuerySchema, response: ListDivertRulesResponseSchema, errors: [400, 401, 403] })
  listRules(
    @CurrentPrincipal() principal: Principal,
    @Query(zod(ListDivertRulesQuerySchema, 'query')) query: z.infer<typeof ListDivertRulesQuerySchema>,
  ): Promise<ListDivertRulesResponse> {
    return this.diverts.listRules(callerOfPrincipal(principal), query);
  }

  /** 200 when every item was applied (or unchanged), 207 Multi-Status when at least one was rejected. */
  @Post('diverts/bulk')
  @HttpCode(200)
  @Roles(...TENANT_ROLES)
  @ApiZod({ body: BulkReplaceDivertRulesRequestSchema, response: BulkReplaceDivertRulesResponseSchema, errors: [207, 400, 401, 403] })
  async bulkReplaceRules(
    @CurrentPrincipal() principal: Principal,
    @Body(zod(BulkReplaceDivertRulesRequestSchema)) body: BulkReplaceDivertRulesRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const response: BulkReplaceDivertRulesResponse = await this.diverts.bulkReplaceRules(callerOfPrincipal(principal), body);
    const rejected = response.results.some((result) => result.status === 'rejected');
    await reply.status(rejected ? 207 : 200).send(response);
  }
}

function withEtag(reply: FastifyReply, result: DivertChangeResult): DivertChangeResult {
  void reply.header('etag', etagOfRevision(result.revision));
  return result;
}
