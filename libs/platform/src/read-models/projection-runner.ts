// Keeps a TypeORM read model up to date from the service's own event store: a durable, ordered,
// gap-free subscription; each batch is applied in one database transaction. Delivery is
// at-least-once, so projections upsert by aggregate id and ignore revisions they already applied.
import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { AllSubscription, EventStore, RecordedEvent } from '@cc/event-store';

export interface Projection {
  /** Stable name: the store checkpoint is `projection-<name>`. Bump it to rebuild from the start. */
  readonly name: string;
  /** Only events of streams with these prefixes (default: all of the service's). */
  readonly streamPrefixes?: string[];
  apply(events: RecordedEvent[], manager: EntityManager): Promise<void>;
}

export class ProjectionRunner {
  private readonly logger = new Logger('ProjectionRunner');
  private subscription: AllSubscription | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projection: Projection,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.store.subscribeAll({
      checkpointName: `projection-${this.projection.name}`,
      ...(this.projection.streamPrefixes ? { streamPrefixes: this.projection.streamPrefixes } : {}),
      handler: (events) => this.dataSource.transaction((manager) => this.projection.apply(events, manager)),
      onError: (error, attempt) =>
        this.logger.error(`projection ${this.projection.name} failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  /** Resolves when everything stored before the call is in the read model (read-your-writes for tests and APIs). */
  caughtUp(): Promise<void> {
    if (!this.subscription) throw new Error(`projection ${this.projection.name} is not running`);
    return this.subscription.caughtUp();
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }
}

/**
 * A service's projection as a provider: `start()` from the module's bootstrap hook, `caughtUp()` for
 * read-your-writes. caughtUp() first waits for start(): a NATS request can arrive before the application's
 * bootstrap hooks ran (the transport listens first); it rejects if start() failed. Subclass it per projection.
 */
export abstract class StartedProjectionRunner {
  private readonly runner: ProjectionRunner;
  private readonly started: Promise<void>;
  private markStarted!: (outcome: { error?: unknown }) => void;

  protected constructor(store: EventStore, dataSource: DataSource, projection: Projection) {
    this.runner = new ProjectionRunner(store, dataSource, projection);
    this.started = new Promise<void>((resolve, reject) => {
      this.markStarted = ({ error }) => (error === undefined ? resolve() : reject(error));
    });
    this.started.catch(() => undefined); // observed by caughtUp(); never an unhandled rejection
  }

  async start(): Promise<void> {
    try {
      await this.runner.start();
      this.markStarted({});
    } catch (error) {
      this.markStarted({ error });
      throw error;
    }
  }

  /** Resolves once everything stored before the call is in the read model (after start()). */
  async caughtUp(): Promise<void> {
    await this.started;
    return this.runner.caughtUp();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
