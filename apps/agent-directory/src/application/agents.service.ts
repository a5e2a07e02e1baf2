// The agents' application layer: every agent route and NATS query calls exactly one of these. Changes to
// one agent are decided on its stream; the rules that span streams (one holder per extension, seats,
// reporting lines) run as the flows of domain/consistency-flows.md: claim -> enrol -> register, with
// compensation when a later step is refused, and the roster mirrored into the agent streams it names.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import {
  DomainError,
  parseAgentDirectoryEvent,
  toAgentStreamId,
  type AgentEvent,
  type AgentResponse,
  type ChangeAgentExtensionRequest,
  type ChangeAgentProfileRequest,
  type ChangeAgentRoleRequest,
  type DisableAgentRequest,
  type IsWorkingRequest,
  type IsWorkingResponse,
  type ListAgentsRequest,
  type ListAgentsResponse,
  type RegisterAgentRequest,
  type ReporteesRequest,
  type ReporteesResponse,
  type SetAfterHoursPolicyRequest,
  type SetReportingManagerRequest,
  type SetRingPreferenceRequest,
  type SetWorkingHoursRequest,
  type TenantSettings,
} from '@cc/contracts';
import { CLOCK, CommandExecutor, Metrics, type Clock } from '@cc/platform';
import { agentDecider, decideAgent, initialAgentState, requireAgentView, type AgentCommand, type AgentState, type RegisterAgent } from '../domain/agent.decider';
import { reporteesOf, rosterEntryOf, type OrgCommand } from '../domain/org.decider';
import { isWorking } from '../domain/working-hours';
import { AgentsRepository } from '../projections/agents.repository';
import { DirectoryReadModelsProjectionRunner } from '../projections/directory-read-models.projection-runner';
import type { CommandContext } from './command-context';
import type { DirectoryCaller } from './directory-caller';
import { ExtensionClaimsService } from './extension-claims.service';
import { agentsNamedBy, RosterService } from './roster.service';
import { TenantsService } from './tenants.service';

@Injectable()
export class AgentsService {
  private readonly logger = new Logger('AgentsService');
  private readonly commands: Counter<'command' | 'outcome'>;
  private readonly compensations: Counter<'step'>;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly tenants: TenantsService,
    private readonly roster: RosterService,
    private readonly claims: ExtensionClaimsService,
    private readonly agents: AgentsRepository,
    private readonly projection: DirectoryReadModelsProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.commands = metrics.counter('agent_directory_agent_commands_total', 'Agent commands by command and outcome (accepted, refused by a rule, failed)', ['command', 'outcome']);
    this.compensations = metrics.counter(
      'agent_directory_compensations_total',
      'Steps undone after a later step of a flow was refused (register, change extension)',
      ['step'],
    );
  }

  // ------------------------------------------------------------------------------------------- flows

  /** Register: validate, claim the extension, enrol on the roster, write the agent (consistency-flows.md). */
  register(caller: DirectoryCaller, request: RegisterAgentRequest): Promise<AgentResponse> {
    return this.counted('register', async () => {
      const { tenantId } = caller;
      const context = contextOf(caller);
      const tenant = await this.tenants.requireTenant(tenantId);
      const agentId = randomUUID();
      const managerId = request.managerId ?? null;
      const registration = (roster: RegisterAgent['roster']): RegisterAgent => ({
        type: 'RegisterAgent',
        agentId,
        name: request.name,
        email: request.email ?? null,
        mobile: request.mobile ?? null,
        extension: request.extension,
        ringPreference: request.ringPreference ?? null,
        workingHours: request.workingHours ?? null,
        afterHours: request.afterHours ?? null,
        roster,
        settings: tenant.settings,
      });
      // The agent's own fields first (pure, no I/O): a bad mobile or hours never claims anything.
      decideAgent(registration({ role: request.role, managerId, revision: 0 }), initialAgentState());

      const releaseClaim: Undo = ['release-claim', () => this.claims.release(tenantId, request.extension, agentId, context)];
      const withdraw: Undo = ['withdraw-member', () => this.roster.decide(tenantId, { type: 'WithdrawMember', agentId }, context)];

      await this.claims.claim(tenantId, request.extension, agentId, context);
      const enrolled = await this.orUndo(
        () =>
          this.roster.decide(
            tenantId,
            { type: 'EnrolMember', agentId, role: request.role, managerId, promoteManager: request.promoteManager, maxAgents: tenant.licence.maxAgents },
            context,
          ),
        [releaseClaim],
      );
      const entry = rosterEntryOf(enrolled.state, agentId);
      if (entry === null || entry.withdrawn || enrolled.revision === null) throw new Error(`enrolment of ${agentId} is not on the roster it returned`);
      const roster = { role: entry.role, managerId: entry.managerId, revision: enrolled.revision };
      const registered = await this.orUndo(
        () =>
          this.executor.execute<AgentState, AgentCommand, AgentEvent>({
            streamId: toAgentStreamId(tenantId, agentId),
            decider: agentDecider,
            command: registration(roster),
            tenantId,
            ...context,
            expectedRevision: 'no_stream',
          }),
        [withdraw, releaseClaim],
      );
      // A manager promoted by this enrolment mirrors its new role too.
      const promoted = agentsNamedBy(enrolled.events).filter((id) => id !== agentId);
      if (promoted.length > 0) await this.roster.sync(tenantId, promoted, context);
      return responseOf(registered.state, registered.revision);
    });
  }

  /** Claim the new number, move the agent, release the old number (a refused move releases the new claim). */
  changeExtension(caller: DirectoryCaller, agentId: string, request: ChangeAgentExtensionRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.counted('change-extension', async () => {
      const { tenantId } = caller;
      const context = contextOf(caller);
      const tenant = await this.tenants.requireTenant(tenantId);
      const command: AgentCommand = { type: 'ChangeAgentExtension', extension: request.extension, settings: tenant.settings };
      const current = await this.executor.load(toAgentStreamId(tenantId, agentId), agentDecider);
      checkRevision(agentId, current.revision, expectedRevision);
      // Refusals that need no claim (unknown agent, bad number, same number) come before claiming anything.
      if (decideAgent(command, current.state).length === 0) return responseOf(current.state, current.revision);

      await this.claims.claim(tenantId, request.extension, agentId, context);
      const moved = await this.orUndo(
        () => this.onAgentStream(caller, agentId, command, expectedRevision),
        [['release-claim', () => this.claims.release(tenantId, request.extension, agentId, context)]],
      );
      for (const envelope of moved.events) {
        // Envelopes type `type` and `data` apart: parsing pairs them again.
        const event = parseAgentDirectoryEvent(envelope);
        if (event.type !== 'AgentExtensionChanged') continue;
        const previous = event.data.previousExtension;
        await this.undo('release-previous-extension', () => this.claims.release(tenantId, previous, agentId, context));
      }
      return responseOf(moved.state, moved.revision);
    });
  }

  changeRole(caller: DirectoryCaller, agentId: string, request: ChangeAgentRoleRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.onRoster(caller, 'change-role', agentId, { type: 'ChangeMemberRole', agentId, role: request.role }, expectedRevision);
  }

  setManager(caller: DirectoryCaller, agentId: string, request: SetReportingManagerRequest, expectedRevision?: number): Promise<AgentResponse> {
    const command: OrgCommand =
      request.managerId === null
        ? { type: 'ClearReportingLine', agentId }
        : { type: 'SetReportingLine', agentId, managerId: request.managerId, promoteManager: request.promoteManager };
    return this.onRoster(caller, request.managerId === null ? 'clear-manager' : 'set-manager', agentId, command, expectedRevision);
  }

  /** Withdraw from the roster (refused while it manages someone), mirror it (AgentRemoved), free the number. */
  remove(caller: DirectoryCaller, agentId: string, expectedRevision?: number): Promise<AgentResponse> {
    return this.counted('remove', async () => {
      const removed = await this.rosterChange(caller, agentId, { type: 'WithdrawMember', agentId }, expectedRevision);
      if (removed.state.status === 'removed') {
        const extension = removed.state.agent.extension;
        await this.undo('release-removed-extension', () => this.claims.release(caller.tenantId, extension, agentId, contextOf(caller)));
      }
      return responseOf(removed.state, removed.revision);
    });
  }

  // ------------------------------------------------------------------------------ one-stream changes

  changeProfile(caller: DirectoryCaller, agentId: string, request: ChangeAgentProfileRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.agentChange(caller, 'change-profile', agentId, (settings) => ({ type: 'ChangeAgentProfile', ...request, settings }), expectedRevision);
  }

  setRingPreference(caller: DirectoryCaller, agentId: string, request: SetRingPreferenceRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.agentChange(caller, 'set-ring-preference', agentId, () => ({ type: 'SetRingPreference', ringPreference: request.ringPreference }), expectedRevision);
  }

  setWorkingHours(caller: DirectoryCaller, agentId: string, request: SetWorkingHoursRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.agentChange(
      caller,
      'set-working-hours',
      agentId,
      (settings) => ({ type: 'SetWorkingHours', workingHours: request.workingHours, settings }),
      expectedRevision,
    );
  }

  setAfterHoursPolicy(caller: DirectoryCaller, agentId: string, request: SetAfterHoursPolicyRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.agentChange(
      caller,
      'set-after-hours',
      agentId,
      (settings) => ({ type: 'SetAfterHoursPolicy', afterHours: request.afterHours, settings }),
      expectedRevision,
    );
  }

  disable(caller: DirectoryCaller, agentId: string, request: DisableAgentRequest, expectedRevision?: number): Promise<AgentResponse> {
    return this.agentChange(caller, 'disable', agentId, () => ({ type: 'DisableAgent', reason: request.reason ?? null }), expectedRevision);
  }

  enable(caller: DirectoryCaller, agentId: string, expectedRevision?: number): Promise<AgentResponse> {
    return this.agentChange(caller, 'enable', agentId, () => ({ type: 'EnableAgent' }), expectedRevision);
  }

  // ----------------------------------------------------------------------------------------- queries

  async get(caller: DirectoryCaller, agentId: string): Promise<AgentResponse> {
    const { state, revision } = await this.executor.load(toAgentStreamId(caller.tenantId, agentId), agentDecider);
    return responseOf(state, revision);
  }

  async list(caller: DirectoryCaller, request: ListAgentsRequest): Promise<ListAgentsResponse> {
    await this.projection.caughtUp();
    return this.agents.list(caller.tenantId, request);
  }

  async isWorking(caller: DirectoryCaller, request: IsWorkingRequest): Promise<IsWorkingResponse> {
    const { state } = await this.executor.load(toAgentStreamId(caller.tenantId, request.agentId), agentDecider);
    const at = request.at === undefined ? this.clock.now() : new Date(request.at);
    const answer = isWorking(requireAgentView(state), at);
    return {
      agentId: request.agentId,
      at: at.toISOString(),
      working: answer.working,
      reason: answer.reason,
      range: answer.range,
      nextChange: answer.nextChange?.toISOString() ?? null,
      timezone: answer.timezone,
    };
  }

  /** Reportees from the roster itself (the consistency point), transitive by default (docs/decisions/0003). */
  async reportees(caller: DirectoryCaller, request: ReporteesRequest): Promise<ReporteesResponse> {
    const org = await this.roster.latest(caller.tenantId);
    const reportees = reporteesOf(org.state, request.managerId, { transitive: request.transitive });
    return { managerId: request.managerId, transitive: request.transitive, reportees };
  }

  // --------------------------------------------------------------------------------------- internals

  private agentChange(
    caller: DirectoryCaller,
    name: string,
    agentId: string,
    command: (settings: TenantSettings) => AgentCommand,
    expectedRevision: number | undefined,
  ): Promise<AgentResponse> {
    return this.counted(name, async () => {
      const tenant = await this.tenants.requireTenant(caller.tenantId);
      const result = await this.onAgentStream(caller, agentId, command(tenant.settings), expectedRevision);
      return responseOf(result.state, result.revision);
    });
  }

  private onAgentStream(caller: DirectoryCaller, agentId: string, command: AgentCommand, expectedRevision: number | undefined) {
    return this.executor.execute<AgentState, AgentCommand, AgentEvent>({
      streamId: toAgentStreamId(caller.tenantId, agentId),
      decider: agentDecider,
      command,
      tenantId: caller.tenantId,
      ...contextOf(caller),
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
    });
  }

  private onRoster(caller: DirectoryCaller, name: string, agentId: string, command: OrgCommand, expectedRevision: number | undefined) {
    return this.counted(name, async () => {
      const changed = await this.rosterChange(caller, agentId, command, expectedRevision);
      return responseOf(changed.state, changed.revision);
    });
  }

  /**
   * Step 1 on the roster (cycles, seats, reportees are checked there), step 2 mirrored into every agent the
   * change names. `If-Match` is the agent stream's revision, checked before the roster change: the roster
   * change itself is atomic on the roster stream, the agent cannot change role or manager in between.
   */
  private async rosterChange(caller: DirectoryCaller, agentId: string, command: OrgCommand, expectedRevision: number | undefined) {
    const { tenantId } = caller;
    const context = contextOf(caller);
    const before = await this.executor.load(toAgentStreamId(tenantId, agentId), agentDecider);
    requireAgentView(before.state);
    checkRevision(agentId, before.revision, expectedRevision);
    const changed = await this.roster.decide(tenantId, command, context);
    // Also when the roster had nothing to change: a repeated request finishes what a failed one left undone.
    await this.roster.sync(tenantId, [agentId, ...agentsNamedBy(changed.events)], context);
    return this.executor.load(toAgentStreamId(tenantId, agentId), agentDecider);
  }

  /** Runs a step of a flow; when it fails, undoes the steps before it (in the order given), then reports the failure. */
  private async orUndo<T>(step: () => Promise<T>, undo: readonly Undo[]): Promise<T> {
    try {
      return await step();
    } catch (failure) {
      for (const [name, work] of undo) await this.undo(name, work);
      throw failure;
    }
  }

  /**
   * A compensation step: its failure must not hide the refusal being reported, and is not lost either: the
   * roster reconciler finds the claim or enrolment left behind and undoes it after the grace period.
   */
  private async undo(step: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      this.compensations.inc({ step });
    } catch (error) {
      this.logger.error(`compensation ${step} failed; the roster reconciler will repair it: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async counted<T>(command: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.commands.inc({ command, outcome: 'accepted' });
      return result;
    } catch (error) {
      this.commands.inc({ command, outcome: error instanceof DomainError ? 'refused' : 'failed' });
      throw error;
    }
  }
}

/** A compensation: its name (metrics, logs) and what it does. */
type Undo = readonly [string, () => Promise<unknown>];

const contextOf = (caller: DirectoryCaller): CommandContext => ({ actor: caller.actor });

function responseOf(state: AgentState, revision: number | null): AgentResponse {
  return { agent: requireAgentView(state), revision: revision as number };
}

/** `If-Match` on a flow that spans streams: the agent stream must still be where the caller read it. */
function checkRevision(agentId: string, actual: number | null, expected: number | undefined): void {
  if (expected === undefined || expected === actual) return;
  throw new DomainError(
    'CONCURRENCY.REVISION_MISMATCH',
    'conflict',
    `agent ${agentId} is at revision ${actual ?? 'none'}, not ${expected}: someone changed it since you read it`,
    [{ path: 'expectedRevision', message: `current revision is ${actual ?? 'none'}` }],
    actual === null ? {} : { currentRevision: actual },
  );
}
