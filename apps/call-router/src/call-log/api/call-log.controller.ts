// HTTP API of the call log and agent performance: validate the query, call one query of CallLogQueries.
// Visibility is enforced there (in the query, not here): outside it is a 403, a bad range a 400.
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CallIdSchema,
  CallLogDetailSchema,
  CallLogPageSchema,
  CallLogQuerySchema,
  PerformanceQuerySchema,
  PerformanceReportSchema,
  type CallLogDetail,
  type CallLogPage,
  type CallLogQuery,
  type PerformanceQuery,
  type PerformanceReport,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, RequirePrivileges, zod, type Principal } from '@cc/platform';
import { CallLogQueries } from './call-log.queries';

@ApiTags('call log')
@Controller('v1')
export class CallLogController {
  constructor(private readonly queries: CallLogQueries) {}

  @Get('call-logs')
  @RequirePrivileges('callLogs:read')
  @ApiZod({ query: CallLogQuerySchema, response: CallLogPageSchema, errors: [400, 401, 403] })
  list(@CurrentPrincipal() principal: Principal, @Query(zod(CallLogQuerySchema, 'query')) query: CallLogQuery): Promise<CallLogPage> {
    return this.queries.list(principal, query);
  }

  @Get('call-logs/:callId')
  @RequirePrivileges('callLogs:read')
  @ApiZod({ response: CallLogDetailSchema, errors: [400, 401, 403, 404] })
  detail(@CurrentPrincipal() principal: Principal, @Param('callId', zod(CallIdSchema, 'params.callId')) callId: string): Promise<CallLogDetail> {
    return this.queries.detail(principal, callId);
  }

  @Get('performance')
  @RequirePrivileges('performance:read')
  @ApiZod({ query: PerformanceQuerySchema, response: PerformanceReportSchema, errors: [400, 401, 403] })
  performance(@CurrentPrincipal() principal: Principal, @Query(zod(PerformanceQuerySchema, 'query')) query: PerformanceQuery): Promise<PerformanceReport> {
    return this.queries.performance(principal, query);
  }
}
