// The roster reconciler on the real PostgreSQL event store, in a schema of its own with a clock the test
// moves: it finishes what a crash between the steps of a flow left undone (consistency-flows.md), only
// once the flow's grace period is over, and leaves alone what is consistent.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { toAgentStreamId, toExtensionClaimStreamId, toOrgStreamId, type AgentEvent } from '@cc/contracts';
import { PostgresEventStore } from '@cc/event-store';
import { CommandExecutor, ensureSchema, Metrics } from '@cc/platform';
import { ManualClock, TEST_DATABASE_URL } from '@cc/testing';
import { AGENT_DIRECTORY_ENTITIES, AGENT_DIRECTORY_MIGRATIONS } from '../agent-directory.module';
import { RECONCILER_ACTOR } from '../application/directory-caller';
import { ExtensionClaimsService } from '../application/extension-claims.service';
import { RosterService } from '../application/roster.service';
import { agentDecider, type AgentCommand, type AgentState } from '../domain/agent.decider';
import { ReconcilerChecksRepository } from './reconciler-checks.repository';
import { RosterReconciler } from './roster.reconciler';

jest.setTimeout(60_000);

const GRACE_MS = 60_000;
const SETTINGS = { extensionDigits: { min: 4, max: 4 }, defaultTimezone: 'Europe/London', defaultCountry: 'GB' as const };
const admin = { actor: 'admin@acme.test' };

describe('roster reconciler', () => {
  const schema = `test_adr_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const tenantId = 'acme';
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let clock: ManualClock;
  let executor: CommandExecutor;
  let roster: RosterService;
  let claims: ExtensionClaimsService;
  let checks: ReconcilerChecksRepository;
  let metrics: Metrics;
  let reconciler: RosterReconciler;

  beforeAll(async () => {
    store = await PostgresEventStore.create({ connectionString: TEST_DATABASE_URL, schema });
    await ensureSchema(TEST_DATABASE_URL, schema);
    dataSource = await new DataSource({
      type: 'postgres',
      url: TEST_DATABASE_URL,
      schema,
      entities: AGENT_DIRECTORY_ENTITIES,
      migrations: AGENT_DIRECTORY_MIGRATIONS,
      migrationsTableName: 'read_model_migrations',
      extra: { options: `-c search_path="${schema}",public`, max: 4 },
    }).initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await store?.dropSchema();
    await store?.close();
  });
  beforeEach(async () => {
    // A fresh store history per test: the reconciler starts from the first event of its own schema.
    await dataSource.query(`truncate reconciler_checks`);
    await dataSource.query(`truncate "${schema}".events, "${schema}".checkpoints`);
    clock = new ManualClock('2026-11-23T09:00:00.000Z');
    executor = new CommandExecutor(store, clock);
    roster = new RosterService(store, executor);
    claims = new ExtensionClaimsService(executor);
    checks = new ReconcilerChecksRepository(dataSource);
    metrics = new Metrics('agent-directory', { defaultMetrics: false });
    reconciler = new RosterReconciler(store, executor, roster, claims, checks, clock, { graceMs: GRACE_MS, sweepIntervalMs: 0 }, metrics);
  });
  afterEach(async () => {
    await reconciler.stop();
  });

  const agentEvents = async (agentId: string) => store.readStream(toAgentStreamId(tenantId, agentId));
  const claimOf = async (extension: string) => (await claims.load(tenantId, extension)).state;
  const repairs = async (): Promise<Record<string, number>> => {
    const metric = await metrics.registry.getSingleMetric('agent_directory_reconciler_repairs_total')?.get();
    return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.repair), v.value]));
  };

  /** The whole register flow, as the HTTP API runs it: claim, enrol, register. */
  async function registered(extension: string, role: 'AGENT' | 'MANAGER' = 'AGENT'): Promise<string> {
    const agentId = randomUUID();
    await claims.claim(tenantId, extension, agentId, admin);
    const enrolled = await roster.decide(tenantId, { type: 'EnrolMember', agentId, role, managerId: null, promoteManager: false, maxAgents: 100 }, admin);
    await executor.execute<AgentState, AgentCommand, AgentEvent>({
      streamId: toAgentStreamId(tenantId, agentId),
      decider: agentDecider,
      command: {
        type: 'RegisterAgent',
        agentId,
        name: `Agent ${extension}`,
        email: null,
        mobile: null,
        extension,
        ringPreference: null,
        workingHours: null,
        afterHours: null,
        roster: { role, managerId: null, revision: enrolled.revision as number },
        settings: SETTINGS,
      },
      tenantId,
      ...admin,
    });
    return agentId;
  }

  /** Starts the reconciler and waits until it handled everything stored so far. */
  async function reconcile(): Promise<void> {
    await reconciler.start();
    await reconciler.caughtUp();
  }

  it('mirrors a roster change into the agent when the flow crashed before syncing it', async () => {
    const boss = await registered('2000', 'MANAGER');
    const ada = await registered('2001');
    // Step 1 of "set manager" happened, step 2 (sync) was lost.
    const line = await roster.decide(tenantId, { type: 'SetReportingLine', agentId: ada, managerId: boss, promoteManager: false }, admin);
    expect((await agentEvents(ada)).map((e) => e.type)).toEqual(['AgentRegistered']);

    await reconcile();
    const events = await agentEvents(ada);
    expect(events.map((e) => e.type)).toEqual(['AgentRegistered', 'ReportingManagerAssigned']);
    expect(events[1]).toMatchObject({
      actor: RECONCILER_ACTOR,
      causationId: line.events[0]!.id,
      correlationId: line.events[0]!.correlationId,
      data: { agent: { managerId: boss }, rosterRevision: line.revision },
    });
    expect(await repairs()).toEqual({ 'agent-synced': 1 });
    // Handling the same history again (a redelivery) writes nothing more.
    await reconciler.handle(await store.readStream(toOrgStreamId(tenantId)));
    expect(await agentEvents(ada)).toHaveLength(2);
  });

  it('releases the claim of a registration that crashed after claiming, only once the grace period is over', async () => {
    const ghost = randomUUID();
    await claims.claim(tenantId, '2001', ghost, admin);
    await reconcile();
    expect(await checks.pending(tenantId)).toEqual([
      { kind: 'extension-claim', tenantId, subject: '2001', dueAt: new Date(clock.now().getTime() + GRACE_MS) },
    ]);

    expect(await reconciler.sweep()).toBe(0); // not due yet: the flow may still be running
    clock.advance(GRACE_MS - 1);
    expect(await reconciler.sweep()).toBe(0);
    expect(await claimOf('2001')).toEqual({ status: 'claimed', extension: '2001', agentId: ghost });

    clock.advance(1);
    expect(await reconciler.sweep()).toBe(1);
    expect(await claimOf('2001')).toEqual({ status: 'free' });
    const [, released] = await store.readStream(toExtensionClaimStreamId(tenantId, '2001'));
    expect(released).toMatchObject({ type: 'ExtensionReleased', actor: RECONCILER_ACTOR, data: { extension: '2001', agentId: ghost } });
    expect(await checks.pending(tenantId)).toEqual([]);
    expect(await repairs()).toEqual({ 'claim-released': 1 });
  });

  it('withdraws an enrolment that never got its agent, and frees its number', async () => {
    const ghost = randomUUID();
    await claims.claim(tenantId, '2001', ghost, admin);
    await roster.decide(tenantId, { type: 'EnrolMember', agentId: ghost, role: 'AGENT', managerId: null, promoteManager: false, maxAgents: 100 }, admin);
    await reconcile();
    clock.advance(GRACE_MS);
    expect(await reconciler.sweep()).toBe(2);
    expect((await roster.latest(tenantId)).state).toMatchObject({ status: 'active', members: new Map(), withdrawn: new Set([ghost]) });
    expect(await claimOf('2001')).toEqual({ status: 'free' });
    expect(await repairs()).toEqual({ 'claim-released': 1, 'enrolment-withdrawn': 1 });
  });

  it('frees the number of a removed agent whose removal crashed before releasing it', async () => {
    const ada = await registered('2001');
    await roster.decide(tenantId, { type: 'WithdrawMember', agentId: ada }, admin);
    await roster.sync(tenantId, [ada], admin);
    expect((await agentEvents(ada)).map((e) => e.type)).toEqual(['AgentRegistered', 'AgentRemoved']);
    expect(await claimOf('2001')).toMatchObject({ status: 'claimed', agentId: ada });

    await reconcile();
    clock.advance(GRACE_MS);
    await reconciler.sweep();
    expect(await claimOf('2001')).toEqual({ status: 'free' });
  });

  it('frees the old number of an agent whose move crashed before releasing it, and keeps the new one', async () => {
    const ada = await registered('2001');
    await claims.claim(tenantId, '2002', ada, admin);
    await executor.execute<AgentState, AgentCommand, AgentEvent>({
      streamId: toAgentStreamId(tenantId, ada),
      decider: agentDecider,
      command: { type: 'ChangeAgentExtension', extension: '2002', settings: SETTINGS },
      tenantId,
      ...admin,
    });
    await reconcile();
    clock.advance(GRACE_MS);
    await reconciler.sweep();
    expect(await claimOf('2001')).toEqual({ status: 'free' });
    expect(await claimOf('2002')).toEqual({ status: 'claimed', extension: '2002', agentId: ada });
  });

  it('leaves everything consistent alone: claims backed by their agents, enrolments with agents', async () => {
    const boss = await registered('2000', 'MANAGER');
    const ada = await registered('2001');
    await reconcile();
    clock.advance(GRACE_MS);
    expect(await reconciler.sweep()).toBe(4); // two claims, two enrolments, all fine
    expect(await claimOf('2000')).toMatchObject({ status: 'claimed', agentId: boss });
    expect(await claimOf('2001')).toMatchObject({ status: 'claimed', agentId: ada });
    expect((await agentEvents(ada)).map((e) => e.type)).toEqual(['AgentRegistered']);
    expect(await checks.pending(tenantId)).toEqual([]);
    expect(await repairs()).toEqual({});
  });
});
