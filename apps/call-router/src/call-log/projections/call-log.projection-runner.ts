// Runs the call-log projection against the router's event store and lets queries wait until the read model
// holds everything stored so far (read-your-writes for tests and for "what happened to the call I just made").
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, StartedProjectionRunner } from '@cc/platform';
import { CallLogProjection } from './call-log.projection';

@Injectable()
export class CallLogProjectionRunner extends StartedProjectionRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    super(store, dataSource, new CallLogProjection(store));
  }
}
