// Projects the routing events of the router's call streams into the call log: per call its summary and
// folded state, its steps, and per-agent facts. Idempotent (a call row remembers the last revision it saw)
// and self-healing: a call whose row is behind (dropped rows, a rebuild racing new events) is caught up
// from its stream in the store first, so the result is always the fold of the whole stream.
import type { EntityManager } from 'typeorm';
import { CALL_STREAM_PREFIX, isRoutingEventType, parseCallRouterEvent, type RoutingEvent } from '@cc/contracts';
import type { EventStore, RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';
import { agentCallFactsOf, evolveCallLog, type CallLogEvent, type CallLogState } from '../domain/call-log.evolve';

export const CALL_LOG_PROJECTION_NAME = 'call-log-v1';

/** The advisory lock that serialises call-log batches across instances (and anything else writing its tables). */
export const callLogLockKey = (schema: string): string => `${schema}.call-log-projection`;

export type CallLogProjectionOptions = {
  /** Checkpoint name suffix (`projection-<name>`); a rebuild uses a fresh one. */
  name?: string;
  /** Only this tenant's calls (a rebuild of one tenant). */
  tenantId?: string;
};

type CallRow = { stream_id: string; revision: number; state: CallLogState };
type Pending = { streamId: string; tenantId: string; state: CallLogState | null; revision: number; steps: StepRow[]; changed: boolean };
type StepRow = { event_id: string; tenant_id: string; call_id: string; revision: number; type: string; version: number; occurred_at: string; data: unknown };

export class CallLogProjection implements Projection {
  readonly name: string;
  readonly streamPrefixes: string[];

  constructor(
    private readonly store: EventStore,
    private readonly options: CallLogProjectionOptions = {},
  ) {
    this.name = options.name ?? CALL_LOG_PROJECTION_NAME;
    // A tenant prefix may also match a longer tenant id (`t-1` and `t-1-x`): apply() checks the tenant too.
    this.streamPrefixes = [options.tenantId ? `${CALL_STREAM_PREFIX}${options.tenantId}-` : CALL_STREAM_PREFIX];
  }

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    const relevant = this.options.tenantId ? events.filter((e) => e.tenantId === this.options.tenantId) : events;
    if (relevant.length === 0) return;
    // Every instance runs this projection into the same tables: one batch at a time across them.
    await manager.query(`select pg_advisory_xact_lock(hashtext($1))`, [callLogLockKey(await currentSchema(manager))]);

    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of relevant) {
      const list = byStream.get(event.streamId);
      if (list) list.push(event);
      else byStream.set(event.streamId, [event]);
    }
    const rows = await manager.query<CallRow[]>(`select stream_id, revision, state from call_log_calls where stream_id = any($1)`, [[...byStream.keys()]]);
    const known = new Map(rows.map((row) => [row.stream_id, row]));

    const pending: Pending[] = [];
    for (const [streamId, streamEvents] of byStream) {
      const row = known.get(streamId);
      const call: Pending = { streamId, tenantId: streamEvents[0]!.tenantId, state: row?.state ?? null, revision: row?.revision ?? -1, steps: [], changed: false };
      for (const event of streamEvents) {
        if (event.revision <= call.revision) continue; // delivered again: already in the row
        if (event.revision > call.revision + 1) await this.catchUp(call, event.revision);
        this.fold(call, event);
      }
      if (call.changed) pending.push(call);
    }
    await this.write(manager, pending);
  }

  /** The row is behind the stream (never written, or dropped): fold the events in between from the store. */
  private async catchUp(call: Pending, beforeRevision: number): Promise<void> {
    const missing = await this.store.readStream(call.streamId, { fromRevision: call.revision + 1, maxCount: beforeRevision - call.revision - 1 });
    for (const event of missing) this.fold(call, event);
    if (call.revision !== beforeRevision - 1) {
      throw new Error(`call stream ${call.streamId} ends at revision ${call.revision}, but revision ${beforeRevision} was delivered`);
    }
  }

  private fold(call: Pending, recorded: RecordedEvent): void {
    call.revision = recorded.revision;
    call.changed = true;
    // Other event types on a call stream (none today) are not part of the public log.
    if (!isRoutingEventType(recorded.type)) return;
    // Our own events: one that does not parse is a bug to fix, not something to skip (the batch is retried).
    const event = parseCallRouterEvent(recorded) as RoutingEvent;
    const logEvent = { ...event, id: recorded.id, revision: recorded.revision, occurredAt: recorded.occurredAt } as CallLogEvent;
    call.state = evolveCallLog(call.state, logEvent);
    call.steps.push({
      event_id: recorded.id,
      tenant_id: recorded.tenantId,
      call_id: call.state.callId,
      revision: recorded.revision,
      type: recorded.type,
      version: recorded.version,
      occurred_at: recorded.occurredAt,
      data: event.data,
    });
  }

  private async write(manager: EntityManager, pending: readonly Pending[]): Promise<void> {
    const calls = pending.filter((call): call is Pending & { state: CallLogState } => call.state !== null);
    if (calls.length === 0) return;
    await manager.query(
      `insert into call_log_calls (tenant_id, call_id, stream_id, number, cli, flow_version, status, outcome, not_routable, started_at,
                                   ended_at, duration_seconds, talk_seconds, answered_by, agent_ids, step_count, revision, state)
       select r.tenant_id, r.call_id, r.stream_id, r.number, r.cli, r.flow_version, r.status, r.outcome, r.not_routable, r.started_at,
              r.ended_at, r.duration_seconds, r.talk_seconds, r.answered_by,
              array(select jsonb_array_elements_text(r.agent_ids)::uuid), r.step_count, r.revision, r.state
         from jsonb_to_recordset($1::jsonb) as r(tenant_id text, call_id text, stream_id text, number text, cli text, flow_version integer,
              status text, outcome text, not_routable text, started_at timestamptz, ended_at timestamptz, duration_seconds double precision,
              talk_seconds double precision, answered_by uuid, agent_ids jsonb, step_count integer, revision integer, state jsonb)
       on conflict (tenant_id, call_id) do update set
         number = excluded.number, cli = excluded.cli, flow_version = excluded.flow_version, status = excluded.status,
         outcome = excluded.outcome, not_routable = excluded.not_routable, started_at = excluded.started_at, ended_at = excluded.ended_at,
         duration_seconds = excluded.duration_seconds, talk_seconds = excluded.talk_seconds, answered_by = excluded.answered_by,
         agent_ids = excluded.agent_ids, step_count = excluded.step_count, revision = excluded.revision, state = excluded.state
       where call_log_calls.revision < excluded.revision`,
      [JSON.stringify(calls.map(callRowOf))],
    );
    const steps = calls.flatMap((call) => call.steps);
    if (steps.length > 0) {
      await manager.query(
        `insert into call_log_steps (event_id, tenant_id, call_id, revision, type, version, occurred_at, data)
         select r.event_id, r.tenant_id, r.call_id, r.revision, r.type, r.version, r.occurred_at, r.data
           from jsonb_to_recordset($1::jsonb) as r(event_id uuid, tenant_id text, call_id text, revision integer, type text, version integer,
                occurred_at timestamptz, data jsonb)
         on conflict do nothing`,
        [JSON.stringify(steps)],
      );
    }
    // Facts follow the whole state (a step ending turns "offered" into "missed"): replace the call's rows.
    await manager.query(
      `delete from call_log_agent_calls a using jsonb_to_recordset($1::jsonb) as r(tenant_id text, call_id text)
        where a.tenant_id = r.tenant_id and a.call_id = r.call_id`,
      [JSON.stringify(calls.map((call) => ({ tenant_id: call.tenantId, call_id: call.state.callId })))],
    );
    const facts = calls.flatMap((call) =>
      agentCallFactsOf(call.state).map((f) => ({
        tenant_id: call.tenantId,
        call_id: call.state.callId,
        agent_id: f.agentId,
        started_at: call.state.startedAt,
        offered: f.offered,
        answered: f.answered,
        missed: f.missed,
        ring_seconds: f.ringSeconds,
        talk_seconds: f.talkSeconds,
      })),
    );
    if (facts.length > 0) {
      await manager.query(
        `insert into call_log_agent_calls (tenant_id, call_id, agent_id, started_at, offered, answered, missed, ring_seconds, talk_seconds)
         select r.tenant_id, r.call_id, r.agent_id, r.started_at, r.offered, r.answered, r.missed, r.ring_seconds, r.talk_seconds
           from jsonb_to_recordset($1::jsonb) as r(tenant_id text, call_id text, agent_id uuid, started_at timestamptz, offered boolean,
                answered boolean, missed boolean, ring_seconds double precision, talk_seconds double precision)`,
        [JSON.stringify(facts)],
      );
    }
  }
}

function callRowOf(call: Pending & { state: CallLogState }) {
  const s = call.state;
  const ended = s.status === 'ended' ? s : null;
  return {
    tenant_id: call.tenantId,
    call_id: s.callId,
    stream_id: call.streamId,
    number: s.number,
    cli: s.cli,
    flow_version: s.flowVersion,
    status: s.status,
    outcome: ended?.outcome ?? null,
    not_routable: s.notRoutable,
    started_at: s.startedAt,
    ended_at: ended?.endedAt ?? null,
    duration_seconds: ended?.durationSeconds ?? null,
    talk_seconds: ended?.talkSeconds ?? null,
    answered_by: ended?.answeredBy ?? null,
    agent_ids: s.agentIds,
    step_count: s.stepCount,
    revision: call.revision,
    state: s,
  };
}

async function currentSchema(manager: EntityManager): Promise<string> {
  const [row] = await manager.query<{ schema: string }[]>('select current_schema() as schema');
  return row?.schema ?? 'public';
}
