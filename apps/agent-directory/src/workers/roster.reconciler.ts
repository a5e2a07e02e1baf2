// Heals what a crash between the steps of a cross-stream flow leaves behind (domain/consistency-flows.md):
// a durable, ordered subscription to the roster, agent and extension-claim streams mirrors every roster
// change into the agents it names (SyncRoster, idempotent and forward-only), and records checks that a
// sweeper works once their grace period is over: an extension claim no agent holds (a crashed register or
// change of extension, a removal that did not release its number) is released, and an enrolment that never
// got its agent is withdrawn. Every repair is decided on the latest state, so running one twice is harmless.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { AGENT_DIRECTORY_STREAM_PREFIXES as PREFIX, parseAgentDirectoryEvent, toAgentStreamId } from '@cc/contracts';
import type { AllSubscription, EventStore, RecordedEvent } from '@cc/event-store';
import { CLOCK, CommandExecutor, EVENT_STORE, Metrics, requestContext, type Clock } from '@cc/platform';
import type { CommandContext } from '../application/command-context';
import { RECONCILER_ACTOR } from '../application/directory-caller';
import { ExtensionClaimsService } from '../application/extension-claims.service';
import { RosterService } from '../application/roster.service';
import type { ReconcilerSettings } from '../config';
import { agentDecider } from '../domain/agent.decider';
import { rosterEntryOf } from '../domain/org.decider';
import { ReconcilerChecksRepository, type LeasedCheck, type ReconcilerCheck } from './reconciler-checks.repository';

export const RECONCILER_SETTINGS = Symbol('RECONCILER_SETTINGS');

/** The store checkpoint of the reconciler's subscription. */
export const RECONCILER_CHECKPOINT = 'roster-reconciler';
/** Checks taken per sweep round, and how long another sweeper leaves a taken check alone. */
const SWEEP_BATCH = 50;
const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;

type CheckOutcome = { done: true } | { done: false; dueAt: Date };
const DONE: CheckOutcome = { done: true };

@Injectable()
export class RosterReconciler {
  private readonly logger = new Logger('RosterReconciler');
  private readonly repairs: Counter<'repair'>;
  private subscription: AllSubscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private stopped = true;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly executor: CommandExecutor,
    private readonly roster: RosterService,
    private readonly claims: ExtensionClaimsService,
    private readonly checks: ReconcilerChecksRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
    metrics: Metrics,
  ) {
    this.repairs = metrics.counter(
      'agent_directory_reconciler_repairs_total',
      'Repairs by the roster reconciler: agents synced to the roster, claims released, enrolments withdrawn',
      ['repair'],
    );
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.subscription = await this.store.subscribeAll({
      checkpointName: RECONCILER_CHECKPOINT,
      startFrom: 'start',
      streamPrefixes: [PREFIX.org, PREFIX.agent, PREFIX.extensionClaim].map((prefix) => `${prefix}-`),
      handler: (events) => this.handle(events),
      onError: (error, attempt) => this.logger.error(`reconciler batch failed (attempt ${attempt}), retrying: ${messageOf(error)}`),
    });
    this.scheduleSweep();
  }

  /** Stops the sweeper (after the sweep in flight) and the subscription (after the batch in flight). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => undefined);
    await this.subscription?.stop();
    this.subscription = null;
  }

  /** Resolves once every event stored before the call was handled (its syncs done, its checks recorded). */
  caughtUp(): Promise<void> {
    if (!this.subscription) throw new Error('the roster reconciler is not running');
    return this.subscription.caughtUp();
  }

  /** Mirrors the roster into the agents the batch names and records the checks it owes. */
  async handle(events: readonly RecordedEvent[]): Promise<void> {
    const toSync = new Map<string, Map<string, RecordedEvent>>();
    const owed: ReconcilerCheck[] = [];
    const sync = (recorded: RecordedEvent, agentId: string) => {
      const agents = toSync.get(recorded.tenantId) ?? new Map<string, RecordedEvent>();
      agents.set(agentId, recorded);
      toSync.set(recorded.tenantId, agents);
    };
    const check = (recorded: RecordedEvent, kind: ReconcilerCheck['kind'], subject: string, afterGrace: boolean) =>
      owed.push({ kind, tenantId: recorded.tenantId, subject, dueAt: new Date(Date.parse(recorded.occurredAt) + (afterGrace ? this.settings.graceMs : 0)) });

    for (const recorded of events) {
      const event = parseAgentDirectoryEvent(recorded);
      switch (event.type) {
        case 'OrgMemberEnrolled':
          sync(recorded, event.data.agentId);
          check(recorded, 'enrolment', event.data.agentId, true);
          break;
        case 'OrgMemberRoleChanged':
        case 'ReportingLineSet':
        case 'ReportingLineCleared':
        case 'OrgMemberWithdrawn':
          sync(recorded, event.data.agentId);
          break;
        // A registration or a sync may carry facts of a roster that moved on since: check it again.
        case 'AgentRegistered':
        case 'AgentRoleChanged':
        case 'ReportingManagerAssigned':
        case 'ReportingManagerCleared':
          sync(recorded, event.data.agent.agentId);
          break;
        case 'AgentRemoved':
          check(recorded, 'extension-claim', event.data.agent.extension, false);
          break;
        case 'AgentExtensionChanged':
          check(recorded, 'extension-claim', event.data.previousExtension, false);
          break;
        case 'ExtensionClaimed':
          check(recorded, 'extension-claim', event.data.extension, true);
          break;
        default:
          break; // the other agent events change nothing the roster or the claims depend on
      }
    }
    await this.checks.schedule(owed);
    for (const [tenantId, agents] of toSync) {
      for (const [agentId, cause] of agents) {
        const changed = await this.inContextOf(cause, (context) => this.roster.sync(tenantId, [agentId], context));
        if (changed.length > 0) this.repairs.inc({ repair: 'agent-synced' }, changed.length);
      }
    }
  }

  /** Works every check due now (the timer calls it; tests call it after moving the clock). Returns how many. */
  async sweep(): Promise<number> {
    let worked = 0;
    for (;;) {
      const now = this.clock.now();
      const leased = await this.checks.lease(now, new Date(now.getTime() + LEASE_MS), SWEEP_BATCH);
      for (const check of leased) {
        await this.work(check, now);
        worked++;
      }
      if (leased.length < SWEEP_BATCH) return worked;
    }
  }

  private async work(check: LeasedCheck, now: Date): Promise<void> {
    try {
      const outcome = check.kind === 'extension-claim' ? await this.checkClaim(check, now) : await this.checkEnrolment(check);
      if (outcome.done) await this.checks.complete(check);
      else await this.checks.reschedule(check, outcome.dueAt, null);
    } catch (error) {
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(check.attempts, 20));
      this.logger.warn(`reconciler check ${check.kind} ${check.tenantId}/${check.subject} failed (attempt ${check.attempts}): ${messageOf(error)}`);
      await this.checks.reschedule(check, new Date(now.getTime() + backoff), messageOf(error));
    }
  }

  /** Is the extension's claim backed by its holder's current extension? If not (and settled), release it. */
  private async checkClaim(check: LeasedCheck, now: Date): Promise<CheckOutcome> {
    const { tenantId, subject: extension } = check;
    const claim = await this.claims.load(tenantId, extension);
    if (claim.state.status === 'free' || claim.revision === null || claim.claimedAt === null) return DONE;
    // A flow that claimed it may still be running: leave the claim alone until its grace period is over.
    const settledAt = claim.claimedAt.getTime() + this.settings.graceMs;
    if (now.getTime() < settledAt) return { done: false, dueAt: new Date(settledAt) };
    const holder = claim.state.agentId;
    const agent = await this.executor.load(toAgentStreamId(tenantId, holder), agentDecider);
    const holds = (agent.state.status === 'active' || agent.state.status === 'disabled') && agent.state.agent.extension === extension;
    if (holds) return DONE;
    const released = await this.claims.release(tenantId, extension, holder, repairContext(), { ifAtRevision: claim.revision });
    if (released === 'released') {
      this.repairs.inc({ repair: 'claim-released' });
      this.logger.log(`released extension ${extension} of tenant ${tenantId}: claimed by ${holder}, who does not hold it (${agent.state.status})`);
    }
    // Claimed again meanwhile: that claim's own check comes later.
    return DONE;
  }

  /** Did the enrolment get its agent? An enrolled member whose agent stream never started is withdrawn. */
  private async checkEnrolment(check: LeasedCheck): Promise<CheckOutcome> {
    const { tenantId, subject: agentId } = check;
    const org = await this.roster.latest(tenantId);
    const entry = rosterEntryOf(org.state, agentId);
    if (entry === null || entry.withdrawn) return DONE;
    const agent = await this.executor.load(toAgentStreamId(tenantId, agentId), agentDecider);
    if (agent.state.status !== 'unregistered') return DONE;
    const withdrawn = await this.roster.decide(tenantId, { type: 'WithdrawMember', agentId }, repairContext());
    if (withdrawn.events.length > 0) {
      this.repairs.inc({ repair: 'enrolment-withdrawn' });
      this.logger.log(`withdrew ${agentId} of tenant ${tenantId} from the roster: enrolled, never registered`);
    }
    return DONE;
  }

  /** Runs a repair under the cause's correlation id, naming it as the cause of the events it writes. */
  private inContextOf<T>(cause: RecordedEvent, work: (context: CommandContext) => Promise<T>): Promise<T> {
    return requestContext.run({ correlationId: cause.correlationId, tenantId: cause.tenantId, actor: RECONCILER_ACTOR }, () =>
      work({ actor: RECONCILER_ACTOR, causationId: cause.id }),
    );
  }

  private scheduleSweep(): void {
    if (this.stopped || this.settings.sweepIntervalMs === 0) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep().catch((error: unknown) => {
        this.logger.error(`reconciler sweep failed: ${messageOf(error)}`);
        return 0;
      });
      void this.sweeping.finally(() => {
        this.sweeping = null;
        this.scheduleSweep();
      });
    }, this.settings.sweepIntervalMs);
  }
}

const repairContext = (): CommandContext => ({ actor: RECONCILER_ACTOR });
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
