// Runs SchedulesProjection against this service's event store, and lets the application wait until the
// read model includes everything stored so far (read-your-writes for list pages).
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, StartedProjectionRunner } from '@cc/platform';
import { SchedulesProjection } from './schedules.projection';

@Injectable()
export class SchedulesProjectionRunner extends StartedProjectionRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    super(store, dataSource, new SchedulesProjection());
  }
}
