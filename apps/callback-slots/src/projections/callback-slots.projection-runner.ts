// Runs CallbackSlotsProjection against this service's event store, and lets the application wait until
// the read models include everything stored so far (read-your-writes for lookups by booking id).
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, StartedProjectionRunner } from '@cc/platform';
import { CallbackSlotsProjection } from './callback-slots.projection';

@Injectable()
export class CallbackSlotsProjectionRunner extends StartedProjectionRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    super(store, dataSource, new CallbackSlotsProjection());
  }
}
