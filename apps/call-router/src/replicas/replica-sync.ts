// Builds this instance's routing replicas and keeps them live. At start: the shared snapshot writers and the
// call-flow projection run; then, in the background, the persisted snapshot is loaded and one feed per
// source stream replays what came after it (external sources from their writer's ack floor; our own flows
// from a moment before the projection caught up). Until every feed has reached the stream's end as of
// start, /health answers 503 (`replicas`) and routing refuses, so no call is planned on half a replica.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NatsConnection } from 'nats';
import { Gauge, Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { eventStreamName, type ServiceName } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { NATS_CONNECTION } from '@cc/messaging';
import { CLOCK, EVENT_STORE, HealthChecks, Metrics, ProjectionRunner, SERVICE_CONFIG, type BaseConfig, type Clock } from '@cc/platform';
import { serviceUnavailable } from '../api/service-unavailable.problem';
import { RoutingReplicas } from '../domain/replicas';
import { CallFlowSnapshotProjection } from './call-flow-snapshot.projection';
import { ReplicaFeed, type FeedStart } from './replica-feed';
import { ALL_REPLICA_SOURCES, EXTERNAL_REPLICA_SOURCES, callFlowSource, type ReplicaSource } from './replica-sources';
import { ReplicaSnapshotRepository, type SnapshotRow } from './replica-snapshot.repository';
import { ReplicaSnapshotWriter, snapshotWriterDurable } from './replica-snapshot.writer';

/**
 * How far before the flow projection's catch-up our own flow feed starts. An event the projection had not
 * stored yet reaches JetStream after that moment (the relay publishes in store order), so this only has to
 * cover clock skew between this host and the NATS server.
 */
export const FLOW_FEED_OVERLAP_MS = 30_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000] as const;

@Injectable()
export class ReplicaSync {
  private readonly logger = new Logger('ReplicaSync');
  private readonly flowProjection: ProjectionRunner;
  private feeds: ReplicaFeed[] = [];
  private ready = false;
  private stopped = false;
  private catchingUp: Promise<void> | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly readyWaiters: Array<() => void> = [];
  private readonly delay: Histogram<'source'>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(EVENT_STORE) store: EventStore,
    @InjectDataSource() dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly replicas: RoutingReplicas,
    private readonly snapshot: ReplicaSnapshotRepository,
    private readonly writer: ReplicaSnapshotWriter,
    private readonly metrics: Metrics,
    health: HealthChecks,
  ) {
    this.flowProjection = new ProjectionRunner(store, dataSource, new CallFlowSnapshotProjection(snapshot));
    health.register('replicas', async () => {
      if (!this.ready) throw new Error('routing replicas are catching up');
    });
    this.delay = new Histogram({
      name: 'cc_call_router_replica_apply_delay_seconds',
      help: "From an event's occurredAt in its service to its application in this instance's replica (config change to routing effect)",
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    this.registerGauges();
  }

  /** Starts the writers and the projection, then catches up in the background. */
  async start(): Promise<void> {
    await this.writer.start();
    await this.flowProjection.start();
    this.catchingUp = this.catchUpWithRetries();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the replicas are caught up (at once when they are). */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Throws the problem a caller gets while the replicas are still catching up (503). */
  assertReady(): void {
    if (!this.ready) {
      throw serviceUnavailable('CALL_ROUTER.REPLICAS_NOT_READY', 'The router is still loading its replicas; try another instance or again shortly');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.catchingUp?.catch(() => undefined);
    await Promise.all(this.feeds.map((feed) => feed.stop()));
    this.feeds = [];
    await this.writer.stop();
    await this.flowProjection.stop();
  }

  private async catchUpWithRetries(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.catchUp();
        return;
      } catch (error) {
        await Promise.all(this.feeds.map((feed) => feed.stop().catch(() => undefined)));
        this.feeds = [];
        const delayMs = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        this.logger.error(`replica catch-up failed (attempt ${attempt + 1}), retrying in ${delayMs} ms: ${error instanceof Error ? error.stack : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async catchUp(): Promise<void> {
    const started = performance.now();
    const jsm = await this.nc.jetstreamManager();
    // 1. Where each external feed starts: everything at or below the writer's ack floor is in the snapshot.
    const external: Array<{ source: ReplicaSource; start: FeedStart; catchUpTo: number }> = [];
    for (const source of EXTERNAL_REPLICA_SOURCES) {
      const durable = await jsm.consumers.info(eventStreamName(source.service), snapshotWriterDurable(this.config, source));
      const stream = await jsm.streams.info(eventStreamName(source.service));
      external.push({ source, start: { afterSequence: durable.ack_floor.stream_seq }, catchUpTo: stream.state.last_seq });
    }
    // 2. Our own flows: the projection holds everything stored before `projected`.
    const projected = this.clock.now().getTime();
    await this.flowProjection.caughtUp();
    const fromTime = new Date(projected - FLOW_FEED_OVERLAP_MS);
    const flowStream = await jsm.streams.info(eventStreamName('call-router'));
    const lastFlowMessageAt = flowStream.state.last_ts ? Date.parse(flowStream.state.last_ts) : 0;
    const flows = {
      source: callFlowSource as ReplicaSource,
      start: { fromTime } as FeedStart,
      // Nothing after fromTime in the stream: nothing to wait for.
      catchUpTo: lastFlowMessageAt >= fromTime.getTime() ? flowStream.state.last_seq : 0,
    };
    // 3. The snapshot, then the feeds (which may repeat some of it: applying is idempotent by revision).
    const loaded = await this.loadSnapshot();
    for (const { source, start, catchUpTo } of [...external, flows]) {
      const feed = new ReplicaFeed({
        nc: this.nc,
        source,
        replicas: this.replicas,
        start,
        catchUpTo,
        logger: this.logger,
        onApplied: (seconds) => this.delay.observe({ source: source.service }, seconds),
      });
      this.feeds.push(feed);
      await feed.start();
    }
    await Promise.all(this.feeds.map((feed) => feed.caughtUp()));
    this.ready = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    this.logger.log(
      `routing replicas caught up in ${Math.round(performance.now() - started)} ms (${loaded} snapshot rows; ${JSON.stringify(this.replicas.stats())})`,
    );
  }

  private async loadSnapshot(): Promise<number> {
    const bySource = new Map<ServiceName, ReplicaSource>(ALL_REPLICA_SOURCES.map((s) => [s.service, s]));
    let rows = 0;
    for await (const page of this.snapshot.load()) {
      for (const row of page) {
        rows++;
        this.applyRow(bySource, row);
      }
    }
    return rows;
  }

  private applyRow(bySource: Map<ServiceName, ReplicaSource>, row: SnapshotRow): void {
    const source = bySource.get(row.source);
    if (!source) {
      this.logger.warn(`snapshot row of unknown source ${row.source} (${row.streamId}) ignored`);
      return;
    }
    try {
      source.apply(this.replicas, { tenantId: row.tenantId, revision: row.revision }, source.parse(row));
    } catch (error) {
      // Written after validation, so only a contract change without an upcaster gets here: say so, go on.
      this.logger.error(`snapshot row ${row.source} ${row.streamId} r${row.revision} ${row.type} refused: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async prune(): Promise<void> {
    try {
      const before = new Date(this.clock.now().getTime() - 24 * 60 * 60 * 1000);
      const inMemory = this.replicas.pruneOccurrences(before);
      const persisted = await this.snapshot.pruneExpired(this.clock.now());
      if (inMemory > 0 || persisted > 0) this.logger.log(`pruned passed occurrences: ${inMemory} in memory, ${persisted} snapshot rows`);
    } catch (error) {
      this.logger.error(`pruning the replica snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private registerGauges(): void {
    const registers = [this.metrics.registry];
    const feeds = () => this.feeds.map((feed) => feed.snapshot());
    const readyRef = () => this.ready;
    new Gauge({
      name: 'cc_call_router_replica_ready',
      help: '1 once the routing replicas have caught up with every source stream (the /health gate)',
      registers,
      collect: function () {
        this.set(readyRef() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'cc_call_router_replica_pending_messages',
      help: 'Messages of a source stream not yet delivered to this instance (as of its last delivery)',
      labelNames: ['source'],
      registers,
      collect: function () {
        for (const feed of feeds()) this.set({ source: feed.service }, feed.pending);
      },
    });
    new Gauge({
      name: 'cc_call_router_replica_lag_seconds',
      help: 'Replica lag per source: now minus occurredAt of the last event applied while messages are pending; 0 when none are',
      labelNames: ['source'],
      registers,
      collect: function () {
        const now = Date.now();
        for (const feed of feeds()) {
          const lag = feed.pending > 0 && feed.lastOccurredAtMs !== null ? (now - feed.lastOccurredAtMs) / 1000 : 0;
          this.set({ source: feed.service }, Math.max(0, lag));
        }
      },
    });
    new Gauge({
      name: 'cc_call_router_replica_last_event_age_seconds',
      help: 'Now minus occurredAt of the last event applied to the replica, per source (grows while a source is quiet)',
      labelNames: ['source'],
      registers,
      collect: function () {
        const now = Date.now();
        for (const feed of feeds()) if (feed.lastOccurredAtMs !== null) this.set({ source: feed.service }, Math.max(0, (now - feed.lastOccurredAtMs) / 1000));
      },
    });
    new Gauge({
      name: 'cc_call_router_replica_events',
      help: 'Events seen by the replica feeds of this instance, by outcome (applied, stale, ignored, skipped, refused)',
      labelNames: ['source', 'outcome'],
      registers,
      collect: function () {
        for (const feed of feeds()) {
          for (const outcome of ['applied', 'stale', 'ignored', 'skipped', 'refused'] as const) this.set({ source: feed.service, outcome }, feed[outcome]);
        }
      },
    });
    const replicas = this.replicas;
    new Gauge({
      name: 'cc_call_router_replica_entities',
      help: 'Entities held in the routing replicas of this instance, by kind',
      labelNames: ['kind'],
      registers,
      collect: function () {
        for (const [kind, count] of Object.entries(replicas.stats())) this.set({ kind }, count);
      },
    });
  }
}
