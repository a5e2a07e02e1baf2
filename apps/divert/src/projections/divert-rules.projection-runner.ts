// Runs DivertRulesProjection against this service's event store, and lets the application wait until
// the read models include everything stored so far (read-your-writes, loop checks on current rules).
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, StartedProjectionRunner } from '@cc/platform';
import { DivertRulesProjection } from './divert-rules.projection';

@Injectable()
export class DivertRulesProjectionRunner extends StartedProjectionRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    super(store, dataSource, new DivertRulesProjection());
  }
}
