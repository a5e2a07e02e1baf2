// HTTP API of call flows (`/v1/call-flows`): publish a version (PUT, validated graph, If-Match or
// `expectedVersion` for concurrent editors), read, list, retire. The ETag of a flow is its version.
import { Body, Controller, Delete, Get, Headers, Param, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CallFlowViewSchema,
  DomainError,
  E164Schema,
  ListCallFlowsResponseSchema,
  PublishCallFlowRequestSchema,
  PublishCallFlowResponseSchema,
  RetireCallFlowRequestSchema,
  type CallFlowView,
  type ListCallFlowsResponse,
  type PublishCallFlowResponse,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, Roles, type Principal } from '@cc/platform';
import { CallFlowsService, type RouterCaller } from '../flows/call-flows.service';

const WRITERS = ['OPERATOR', 'ADMIN'] as const;
const READERS = ['OPERATOR', 'ADMIN', 'MANAGER', 'SERVICE'] as const;

const callerOf = (principal: Principal): RouterCaller => ({ tenantId: principal.tenantId, actor: principal.subject });
const numberOf = (raw: string): string => parseOrThrow(E164Schema, decodeURIComponent(raw), 'params.number');

@ApiTags('call-flows')
@Controller('v1/call-flows')
export class CallFlowsController {
  constructor(private readonly flows: CallFlowsService) {}

  @Get()
  @Roles(...READERS)
  @ApiZod({ response: ListCallFlowsResponseSchema, errors: [401, 403] })
  list(@CurrentPrincipal() principal: Principal): ListCallFlowsResponse {
    return { items: this.flows.list(callerOf(principal)) };
  }

  @Get(':number')
  @Roles(...READERS)
  @ApiZod({ response: CallFlowViewSchema, errors: [400, 401, 403, 404] })
  async get(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<CallFlowView> {
    const view = await this.flows.get(callerOf(principal), numberOf(number));
    void reply.header('etag', `"${view.version}"`);
    return view;
  }

  /** Publishes `flow` as the number's next version; 200 with `changed: false` when it equals the current one. */
  @Put(':number')
  @Roles(...WRITERS)
  @ApiZod({ body: PublishCallFlowRequestSchema, response: PublishCallFlowResponseSchema, errors: [400, 401, 403, 409] })
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Param('number') number: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublishCallFlowResponse> {
    const request = parseOrThrow(PublishCallFlowRequestSchema, withIfMatch(body, ifMatch));
    const { view, changed } = await this.flows.publish(callerOf(principal), numberOf(number), request);
    void reply.header('etag', `"${view.version}"`);
    return { ...view, changed };
  }

  @Delete(':number')
  @Roles(...WRITERS)
  @ApiZod({ response: CallFlowViewSchema, errors: [400, 401, 403, 404] })
  retire(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Body() body: unknown): Promise<CallFlowView> {
    const reason = body !== null && typeof body === 'object' && 'reason' in body ? (body as { reason: unknown }).reason : undefined;
    const request = parseOrThrow(RetireCallFlowRequestSchema, { number: numberOf(number), ...(reason === undefined ? {} : { reason }) });
    return this.flows.retire(callerOf(principal), request);
  }
}

/** `If-Match: "3"` is the version the editor read; the body's `expectedVersion` may say it instead (not both, differently). */
function withIfMatch(body: unknown, ifMatch: string | undefined): unknown {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return body;
  const match = /^(?:W\/)?"?(\d{1,10})"?$/.exec(ifMatch.trim());
  if (!match) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path: 'headers.if-match', message: 'expected the ETag of a read, e.g. "3"' },
    ]);
  }
  const version = Number(match[1]);
  const input = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path: 'expectedVersion', message: `differs from If-Match (${version}); send one of them` },
    ]);
  }
  return { ...input, expectedVersion: version };
}
