// Runs CampaignsProjection on this service's store and lets the application wait for it (a cancel
// reads the campaign's bookings only once every item booked before it is in the read model).
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, ProjectionRunner } from '@cc/platform';
import { CampaignsProjection } from './campaigns.projection';

@Injectable()
export class CampaignsProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runner: ProjectionRunner;
  private started: Promise<void> | null = null;

  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    this.runner = new ProjectionRunner(store, dataSource, new CampaignsProjection());
  }

  onApplicationBootstrap(): Promise<void> {
    this.started = this.runner.start();
    return this.started;
  }

  /** Resolves once everything stored before the call is in the read models. */
  async caughtUp(): Promise<void> {
    await this.started;
    return this.runner.caughtUp();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
