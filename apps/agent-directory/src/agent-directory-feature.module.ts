// The agent-directory feature: HTTP and NATS APIs, the application services, the read models and their
// projection, and the roster reconciler. Starts the projection before the reconciler and stops them the
// other way round: the reconciler before the event relay and NATS stop, the projection only once HTTP
// and the NATS transport stopped taking requests (lists wait on it).
import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AgentDirectoryNatsController } from './api/agent-directory.nats-controller';
import { AgentsController } from './api/agents.controller';
import { DevicesController } from './api/devices.controller';
import { LoginsController } from './api/logins.controller';
import { TenantsController } from './api/tenants.controller';
import { AgentsService } from './application/agents.service';
import { DeviceStatesService } from './application/device-states.service';
import { ExtensionClaimsService } from './application/extension-claims.service';
import { LoginsService } from './application/logins.service';
import { RosterService } from './application/roster.service';
import { TenantsService } from './application/tenants.service';
import type { ReconcilerSettings } from './config';
import { AgentsRepository } from './projections/agents.repository';
import { DeviceStatesRepository } from './projections/device-states.repository';
import { DirectoryReadModelsProjectionRunner } from './projections/directory-read-models.projection-runner';
import { LoginsRepository } from './projections/logins.repository';
import { TenantsRepository } from './projections/tenants.repository';
import { ReconcilerChecksRepository } from './workers/reconciler-checks.repository';
import { RECONCILER_SETTINGS, RosterReconciler } from './workers/roster.reconciler';

@Module({})
export class AgentDirectoryFeatureModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  static forRoot(settings: ReconcilerSettings): DynamicModule {
    return {
      module: AgentDirectoryFeatureModule,
      controllers: [TenantsController, AgentsController, LoginsController, DevicesController, AgentDirectoryNatsController],
      providers: [
        { provide: RECONCILER_SETTINGS, useValue: settings },
        TenantsService,
        AgentsService,
        LoginsService,
        DeviceStatesService,
        RosterService,
        ExtensionClaimsService,
        TenantsRepository,
        AgentsRepository,
        LoginsRepository,
        DeviceStatesRepository,
        ReconcilerChecksRepository,
        DirectoryReadModelsProjectionRunner,
        RosterReconciler,
      ],
    };
  }

  constructor(
    private readonly projection: DirectoryReadModelsProjectionRunner,
    private readonly reconciler: RosterReconciler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    await this.reconciler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.reconciler.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
