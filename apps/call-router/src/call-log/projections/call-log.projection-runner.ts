// Runs the call-log projection against the router's event store and lets queries wait until the read model
// holds everything stored so far (read-your-writes for tests and for "what happened to the call I just made").
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, ProjectionRunner } from '@cc/platform';
import { CallLogProjection } from './call-log.projection';

@Injectable()
export class CallLogProjectionRunner {
  private readonly runner: ProjectionRunner;
  private readonly started: Promise<void>;
  private markStarted!: (outcome: { error?: unknown }) => void;

  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    this.runner = new ProjectionRunner(store, dataSource, new CallLogProjection(store));
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

  /** Resolves once everything stored before the call is in the call log (waits for start()). */
  async caughtUp(): Promise<void> {
    await this.started;
    return this.runner.caughtUp();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
