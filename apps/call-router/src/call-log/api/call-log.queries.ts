// The call log's application layer: every call-log and performance route calls one of these. Works out
// the caller's visibility scope (reporting-line replica for managers), refuses what is outside it, and
// hands the scope to the repository so the filter runs in SQL.
import { Injectable } from '@nestjs/common';
import {
  CALL_LOG_ERRORS,
  DomainError,
  type CallLogDetail,
  type CallLogPage,
  type CallLogQuery,
  type PerformanceQuery,
  type PerformanceReport,
} from '@cc/contracts';
import type { Principal } from '@cc/platform';
import { performanceReport } from '../domain/agent-performance';
import { decodeCallLogCursor, encodeCallLogCursor } from '../domain/call-log-cursor';
import { reporteesOf, type ReportingLine } from '../domain/reporting-tree';
import { needsReportingLines, requireAgentVisible, requireCallVisible, visibilityScopeOf, type Viewer, type VisibilityScope } from '../domain/visibility-scope';
import { ReportingLinesRepository } from '../directory/reporting-lines.repository';
import { CallLogRepository } from '../projections/call-log.repository';

@Injectable()
export class CallLogQueries {
  constructor(
    private readonly calls: CallLogRepository,
    private readonly reportingLines: ReportingLinesRepository,
  ) {}

  async list(principal: Principal, query: CallLogQuery): Promise<CallLogPage> {
    const { scope } = await this.scopeOf(principal);
    if (query.agentId !== undefined) requireAgentVisible(scope, query.agentId);
    const after = query.cursor === undefined ? undefined : decodeCallLogCursor(query.cursor);
    const rows = await this.calls.list(principal.tenantId, {
      scopeAgentIds: scope.kind === 'tenant' ? null : [...scope.agentIds],
      agentId: query.agentId,
      number: query.number,
      from: query.from,
      to: query.to,
      outcome: query.outcome,
      after,
      limit: query.limit,
    });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCallLogCursor({ startedAt: last.startedAt, callId: last.callId }) : null };
  }

  async detail(principal: Principal, callId: string): Promise<CallLogDetail> {
    const { scope } = await this.scopeOf(principal);
    const call = await this.calls.call(principal.tenantId, callId);
    if (call === null) {
      throw new DomainError(CALL_LOG_ERRORS.CALL_NOT_FOUND.code, CALL_LOG_ERRORS.CALL_NOT_FOUND.kind, `No call ${callId} in the call log`, [
        { path: 'params.callId', message: 'unknown call' },
      ]);
    }
    requireCallVisible(scope, call);
    return { call, steps: await this.calls.steps(principal.tenantId, callId) };
  }

  async performance(principal: Principal, query: PerformanceQuery): Promise<PerformanceReport> {
    const { scope, lines } = await this.scopeOf(principal, query.managerId !== undefined);
    const tenantId = principal.tenantId;
    let agentIds: string[] | null;
    let reportScope: PerformanceReport['scope'];
    if (query.agentId !== undefined) {
      requireAgentVisible(scope, query.agentId);
      agentIds = [query.agentId];
      reportScope = { kind: 'agent', agentId: query.agentId };
    } else if (query.managerId !== undefined) {
      requireAgentVisible(scope, query.managerId, 'managerId');
      agentIds = reporteesOf(lines, query.managerId).map((r) => r.agentId);
      // A visible manager's team is visible to a MANAGER (transitive) and an ADMIN, not to an AGENT whose
      // login role lags behind the roster: every member must be in scope.
      for (const agentId of agentIds) requireAgentVisible(scope, agentId, 'managerId');
      reportScope = { kind: 'team', managerId: query.managerId };
    } else if (scope.kind === 'tenant') {
      agentIds = null;
      reportScope = { kind: 'tenant' };
    } else if (principal.role === 'MANAGER') {
      agentIds = reporteesOf(lines, scope.viewerAgentId).map((r) => r.agentId);
      reportScope = { kind: 'team', managerId: scope.viewerAgentId };
    } else {
      agentIds = [scope.viewerAgentId];
      reportScope = { kind: 'agent', agentId: scope.viewerAgentId };
    }
    const [calls, callbacks] = await Promise.all([
      this.calls.agentCallSums(tenantId, query.from, query.to, agentIds),
      this.calls.agentCallbackSums(tenantId, query.from, query.to, agentIds),
    ]);
    return performanceReport({ from: query.from, to: query.to, scope: reportScope, agentIds, calls, callbacks });
  }

  private async scopeOf(principal: Principal, withLines = false): Promise<{ scope: VisibilityScope; lines: ReportingLine[] }> {
    const viewer: Viewer = { role: principal.role, agentId: principal.agentId };
    const lines = needsReportingLines(viewer) || withLines ? await this.reportingLines.lines(principal.tenantId) : [];
    return { scope: visibilityScopeOf(viewer, lines), lines };
  }
}
