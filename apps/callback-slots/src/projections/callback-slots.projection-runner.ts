// Runs CallbackSlotsProjection against this service's event store, and lets the application wait until
// the read models include everything stored so far (read-your-writes for lookups by booking id).
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, ProjectionRunner } from '@cc/platform';
import { CallbackSlotsProjection } from './callback-slots.projection';

@Injectable()
export class CallbackSlotsProjectionRunner {
  private readonly runner: ProjectionRunner;
  private readonly started: Promise<void>;
  private markStarted!: (outcome: { error?: unknown }) => void;

  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    this.runner = new ProjectionRunner(store, dataSource, new CallbackSlotsProjection());
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

  /**
   * Resolves once everything stored before the call is in the read models. Waits for start(): the NATS
   * transport can take a request before the application's bootstrap hooks ran.
   */
  async caughtUp(): Promise<void> {
    await this.started;
    return this.runner.caughtUp();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
