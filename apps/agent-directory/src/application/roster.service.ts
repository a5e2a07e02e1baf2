// The tenant's roster (`org-{tenant}`) as the application uses it: decided on its latest state (folded
// once, then only the new events read), and mirrored into the agent streams it names (SyncRoster), which
// is step 2 of every roster flow and the whole job of the roster reconciler (consistency-flows.md).
import { Inject, Injectable } from '@nestjs/common';
import { toAgentStreamId, toOrgStreamId, type AgentEvent, type OrgEvent } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CommandExecutor, EVENT_STORE, type ExecuteResult } from '@cc/platform';
import { agentDecider, type AgentCommand, type AgentState } from '../domain/agent.decider';
import { orgDecider, rosterEntryOf, type OrgCommand, type OrgState } from '../domain/org.decider';
import type { CommandContext } from './command-context';
import { FoldedStreams, type Folded } from './folded-streams.cache';

/** Rosters kept folded in memory (least recently used tenants go first). */
const ROSTERS_IN_MEMORY = 1_000;

@Injectable()
export class RosterService {
  private readonly rosters: FoldedStreams<OrgState, OrgCommand, OrgEvent>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly executor: CommandExecutor,
  ) {
    this.rosters = new FoldedStreams(store, executor, orgDecider, { maxEntries: ROSTERS_IN_MEMORY });
  }

  latest(tenantId: string): Promise<Folded<OrgState>> {
    return this.rosters.latest(toOrgStreamId(tenantId));
  }

  /** Decides a roster change on the latest roster and appends it (re-decided after a concurrent change). */
  decide(tenantId: string, command: OrgCommand | ((org: OrgState) => OrgCommand), context: CommandContext): Promise<ExecuteResult<OrgState, OrgEvent>> {
    return this.rosters.execute({
      streamId: toOrgStreamId(tenantId),
      command: typeof command === 'function' ? command : () => command,
      tenantId,
      ...context,
    });
  }

  /**
   * Brings each agent's mirror of its roster facts up to the latest roster. Forward-only by roster revision,
   * so racing syncs and repeats are harmless; an agent not registered yet (its registration carries the
   * facts) or never enrolled is left alone. Returns the agents whose streams changed.
   */
  async sync(tenantId: string, agentIds: Iterable<string>, context: CommandContext): Promise<string[]> {
    const org = await this.latest(tenantId);
    const changed: string[] = [];
    if (org.revision === null) return changed;
    for (const agentId of new Set(agentIds)) {
      const roster = rosterEntryOf(org.state, agentId);
      if (roster === null) continue;
      const result = await this.executor.execute<AgentState, AgentCommand, AgentEvent>({
        streamId: toAgentStreamId(tenantId, agentId),
        decider: agentDecider,
        command: { type: 'SyncRoster', revision: org.revision, roster },
        tenantId,
        actor: context.actor,
        causationId: context.causationId ?? null,
      });
      if (result.events.length > 0) changed.push(agentId);
    }
    return changed;
  }
}

/** The agents a roster change is about: the member it changed, and a manager it promoted. */
export function agentsNamedBy(events: readonly { data: OrgEvent['data'] }[]): string[] {
  return [...new Set(events.map((event) => event.data.agentId))];
}
