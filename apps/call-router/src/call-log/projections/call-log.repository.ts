// Queries of the call log read model: filtered, keyset-paginated call lists restricted to a visibility
// scope in SQL, a call with its steps, and the per-agent sums agent performance is computed from.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallLogEntry, CallLogOutcomeFilter, CallLogStep } from '@cc/contracts';
import type { AgentCallbackSums, AgentCallSums } from '../domain/agent-performance';
import type { CallLogCursor } from '../domain/call-log-cursor';

export type CallLogFilter = {
  /** null: the whole tenant; otherwise only calls concerning at least one of these agents. */
  scopeAgentIds: readonly string[] | null;
  agentId?: string | undefined;
  number?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  outcome?: CallLogOutcomeFilter | undefined;
  after?: CallLogCursor | undefined;
  limit: number;
};

type CallRow = {
  call_id: string;
  number: string;
  cli: string | null;
  flow_version: number | null;
  status: 'inProgress' | 'ended';
  outcome: CallLogEntry['outcome'];
  not_routable: CallLogEntry['notRoutable'];
  started_at: Date;
  ended_at: Date | null;
  duration_seconds: number | null;
  talk_seconds: number | null;
  answered_by: string | null;
  agent_ids: string[];
  step_count: number;
};

const CALL_COLUMNS = `call_id, number, cli, flow_version, status, outcome, not_routable, started_at, ended_at, duration_seconds,
  talk_seconds, answered_by, agent_ids, step_count`;

@Injectable()
export class CallLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit + 1` calls, newest first (the extra one tells whether there is a next page). */
  async list(tenantId: string, filter: CallLogFilter): Promise<CallLogEntry[]> {
    const rows = await this.dataSource.query<CallRow[]>(
      `select ${CALL_COLUMNS} from call_log_calls
        where tenant_id = $1
          and ($2::uuid[] is null or agent_ids && $2::uuid[])
          and ($3::uuid is null or agent_ids @> array[$3::uuid])
          and ($4::text is null or number = $4)
          and ($5::timestamptz is null or started_at >= $5)
          and ($6::timestamptz is null or started_at < $6)
          and ($7::text is null or (case when $7 = 'inProgress' then status = 'inProgress' else outcome = $7 end))
          and ($8::timestamptz is null or (started_at, call_id) < ($8::timestamptz, $9::text))
        order by started_at desc, call_id desc
        limit $10`,
      [
        tenantId,
        filter.scopeAgentIds === null ? null : [...filter.scopeAgentIds],
        filter.agentId ?? null,
        filter.number ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.outcome ?? null,
        filter.after?.startedAt ?? null,
        filter.after?.callId ?? null,
        filter.limit + 1,
      ],
    );
    return rows.map(entryOf);
  }

  async call(tenantId: string, callId: string): Promise<CallLogEntry | null> {
    const rows = await this.dataSource.query<CallRow[]>(`select ${CALL_COLUMNS} from call_log_calls where tenant_id = $1 and call_id = $2`, [tenantId, callId]);
    return rows[0] ? entryOf(rows[0]) : null;
  }

  async steps(tenantId: string, callId: string): Promise<CallLogStep[]> {
    const rows = await this.dataSource.query<{ event_id: string; revision: number; occurred_at: Date; type: CallLogStep['type']; version: number; data: unknown }[]>(
      `select event_id, revision, occurred_at, type, version, data from call_log_steps where tenant_id = $1 and call_id = $2 order by revision`,
      [tenantId, callId],
    );
    return rows.map((row) => ({ eventId: row.event_id, revision: row.revision, occurredAt: row.occurred_at.toISOString(), type: row.type, version: row.version, data: row.data }) as CallLogStep);
  }

  /** Per-agent sums over calls that started in [from, to); `agentIds` null: every agent of the tenant. */
  async agentCallSums(tenantId: string, from: string, to: string, agentIds: readonly string[] | null): Promise<AgentCallSums[]> {
    const rows = await this.dataSource.query<{ agent_id: string; offered: string; answered: string; missed: string; ring: number; talk: number; talked: string }[]>(
      `select agent_id,
              count(*) filter (where offered) as offered,
              count(*) filter (where answered) as answered,
              count(*) filter (where missed) as missed,
              coalesce(sum(ring_seconds) filter (where answered), 0) as ring,
              coalesce(sum(talk_seconds), 0) as talk,
              count(talk_seconds) as talked
         from call_log_agent_calls
        where tenant_id = $1 and started_at >= $2 and started_at < $3 and ($4::uuid[] is null or agent_id = any($4::uuid[]))
        group by agent_id`,
      [tenantId, from, to, agentIds === null ? null : [...agentIds]],
    );
    return rows.map((row) => ({
      agentId: row.agent_id,
      offered: Number(row.offered),
      answered: Number(row.answered),
      missed: Number(row.missed),
      ringSecondsAnswered: Number(row.ring),
      talkSeconds: Number(row.talk),
      talkedCalls: Number(row.talked),
    }));
  }

  /** Per-agent callback attempts started in [from, to) and those that connected. */
  async agentCallbackSums(tenantId: string, from: string, to: string, agentIds: readonly string[] | null): Promise<AgentCallbackSums[]> {
    const rows = await this.dataSource.query<{ agent_id: string; offered: string; handled: string }[]>(
      `select a.agent_id, count(*) as offered, count(*) filter (where c.outcome = 'answered') as handled
         from call_log_callback_attempts c cross join lateral unnest(c.agent_ids) as a(agent_id)
        where c.tenant_id = $1 and c.started_at >= $2 and c.started_at < $3 and ($4::uuid[] is null or a.agent_id = any($4::uuid[]))
        group by a.agent_id`,
      [tenantId, from, to, agentIds === null ? null : [...agentIds]],
    );
    return rows.map((row) => ({ agentId: row.agent_id, offered: Number(row.offered), handled: Number(row.handled) }));
  }
}

function entryOf(row: CallRow): CallLogEntry {
  return {
    callId: row.call_id,
    number: row.number,
    cli: row.cli,
    flowVersion: row.flow_version,
    status: row.status,
    outcome: row.outcome,
    notRoutable: row.not_routable,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    durationSeconds: row.duration_seconds,
    talkSeconds: row.talk_seconds,
    answeredBy: row.answered_by,
    agentIds: row.agent_ids,
    stepCount: row.step_count,
  };
}
