// Runs DirectoryReadModelsProjection against this service's event store, and lets queries wait until the
// read models include everything stored so far (read-your-writes for lists).
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE, StartedProjectionRunner } from '@cc/platform';
import { DirectoryReadModelsProjection } from './directory-read-models.projection';

@Injectable()
export class DirectoryReadModelsProjectionRunner extends StartedProjectionRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, @InjectDataSource() dataSource: DataSource) {
    super(store, dataSource, new DirectoryReadModelsProjection());
  }
}
