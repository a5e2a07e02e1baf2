// The divert feature: HTTP and NATS APIs, the application service, read models and their projection,
// the agent-directory replica and its JetStream worker. Starts the projection before the worker (the
// worker's removals wait for the read models) and stops them the other way round: the worker before
// NATS drains, the projection only once HTTP and the NATS transport stopped taking requests.
import { Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DivertController } from './api/divert.controller';
import { DivertNatsController } from './api/divert.nats-controller';
import { DivertRulesService } from './application/divert-rules.service';
import { ExtensionRemoval } from './application/extension-removal';
import { TenantEditLock } from './application/tenant-edit-lock';
import { DirectoryReplica } from './directory/directory-replica';
import { DirectoryReplicaRepository } from './directory/directory-replica.repository';
import { DivertRulesProjectionRunner } from './projections/divert-rules.projection-runner';
import { DivertRulesRepository } from './projections/divert-rules.repository';
import { DirectoryReplicaWorker } from './workers/directory-replica.worker';

@Module({
  controllers: [DivertController, DivertNatsController],
  providers: [
    DivertRulesService,
    ExtensionRemoval,
    TenantEditLock,
    DivertRulesRepository,
    DivertRulesProjectionRunner,
    DirectoryReplicaRepository,
    DirectoryReplica,
    DirectoryReplicaWorker,
  ],
})
export class DivertRulesModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly projection: DivertRulesProjectionRunner,
    private readonly directoryWorker: DirectoryReplicaWorker,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    await this.directoryWorker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.directoryWorker.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
