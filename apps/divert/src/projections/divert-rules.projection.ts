// Projects the divert event store into the read models: current rules per extension (upsert, newest
// revision wins, so redelivered or replayed batches change nothing) and one audit row per event.
import type { EntityManager } from 'typeorm';
import { DIVERT_STREAM_PREFIX, parseDivertEvent, type DivertCondition, type DivertEvent, type DivertRules } from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';

export class DivertRulesProjection implements Projection {
  readonly name = 'divert-rules-v1';
  readonly streamPrefixes = [`${DIVERT_STREAM_PREFIX}-`];

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    // Every instance of the service runs this projection into the same tables. One batch at a time across
    // them: the duplicates are no-ops anyway, and overlapping batches would otherwise deadlock on shared rows.
    await manager.query(`select pg_advisory_xact_lock(hashtext($1))`, [projectionLockKey(await currentSchema(manager))]);
    // Only the last event of each stream in the batch decides the current rules.
    const latest = new Map<string, { recorded: RecordedEvent; event: DivertEvent }>();
    for (const recorded of events) {
      // Our own events: one that does not parse is a bug to fix, not something to skip (the batch is retried).
      const event = parseDivertEvent(recorded);
      latest.set(recorded.streamId, { recorded, event });
      await this.insertAuditEntry(manager, recorded, event);
    }
    for (const { recorded, event } of latest.values()) await this.upsertRules(manager, recorded, event);
  }

  private async upsertRules(manager: EntityManager, recorded: RecordedEvent, event: DivertEvent): Promise<void> {
    const rules = event.type === 'DivertExtensionRemoved' ? null : event.data.rules;
    await manager.query(
      `insert into divert_rules (tenant_id, extension, status, rules, forward_targets, revision, updated_at, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (tenant_id, extension) do update set
         status = excluded.status, rules = excluded.rules, forward_targets = excluded.forward_targets,
         revision = excluded.revision, updated_at = excluded.updated_at, updated_by = excluded.updated_by
       where divert_rules.revision < excluded.revision`,
      [
        recorded.tenantId,
        event.data.extension,
        rules ? 'configured' : 'removed',
        rules === null ? null : JSON.stringify(rules),
        rules ? forwardTargetsOf(rules) : [],
        recorded.revision,
        recorded.occurredAt,
        recorded.actor,
      ],
    );
  }

  private async insertAuditEntry(manager: EntityManager, recorded: RecordedEvent, event: DivertEvent): Promise<void> {
    await manager.query(
      `insert into divert_audit
         (event_id, tenant_id, extension, stream_revision, type, occurred_at, actor, correlation_id, conditions, reason, rules)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (event_id) do nothing`,
      [
        recorded.id,
        recorded.tenantId,
        event.data.extension,
        recorded.revision,
        event.type,
        recorded.occurredAt,
        recorded.actor,
        recorded.correlationId,
        conditionsOf(event),
        event.data.reason,
        event.type === 'DivertExtensionRemoved' ? null : JSON.stringify(event.data.rules),
      ],
    );
  }
}

/** The advisory lock that serialises this projection's batches (and anything else writing its tables). */
export const projectionLockKey = (schema: string): string => `${schema}.divert-rules-projection`;

async function currentSchema(manager: EntityManager): Promise<string> {
  const [row] = await manager.query<{ schema: string }[]>('select current_schema() as schema');
  return row?.schema ?? 'public';
}

/** The extensions any rule forwards to, windows ignored (the row's edges in the tenant's divert graph). */
function forwardTargetsOf(rules: DivertRules): string[] {
  const targets = Object.values(rules).flatMap((rule) => (rule.target.kind === 'extension' ? [rule.target.extension] : []));
  return [...new Set(targets)];
}

/** Which conditions the event touched, as the audit trail lists them. */
function conditionsOf(event: DivertEvent): DivertCondition[] {
  switch (event.type) {
    case 'DivertRuleSet':
    case 'DivertRuleCleared':
      return [event.data.condition];
    case 'DivertRulesReplaced':
      return event.data.changedConditions;
    case 'DivertTargetOrphaned':
      return event.data.conditions;
    case 'DivertExtensionRemoved':
      return [];
    default: {
      const _exhaustive: never = event;
      throw new Error(`unhandled divert event ${JSON.stringify(_exhaustive)}`);
    }
  }
}
