// Composition root of the agent-directory service: platform wiring, event sourcing (store, relay to
// JetStream), the read models and the agent-directory feature.
import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Clock } from '@cc/platform';
import { AgentDirectoryFeatureModule } from './agent-directory-feature.module';
import { reconcilerSettingsOf, type AgentDirectoryConfig } from './config';
import { AgentDirectoryReadModels1700000000000 } from './migrations/1700000000000-agent-directory-read-models.migration';
import { AgentEntity } from './projections/agent.entity';
import { DeviceStateEntity } from './projections/device-state.entity';
import { LoginEntity } from './projections/login.entity';
import { TenantEntity } from './projections/tenant.entity';
import { ReconcilerCheckEntity } from './workers/reconciler-check.entity';

/** The read models' entities and migrations (also used by tests that run the reconciler on its own). */
export const AGENT_DIRECTORY_ENTITIES = [TenantEntity, AgentEntity, LoginEntity, DeviceStateEntity, ReconcilerCheckEntity];
export const AGENT_DIRECTORY_MIGRATIONS = [AgentDirectoryReadModels1700000000000];

@Module({})
export class AgentDirectoryModule {
  /** `config` is an AgentDirectoryConfig from main.ts; tests may pass the base config (the reconciler's settings then default). */
  static forRoot(config: BaseConfig & Partial<AgentDirectoryConfig>, options: { clock?: Clock } = {}): DynamicModule {
    const service = 'agent-directory';
    return {
      module: AgentDirectoryModule,
      imports: [
        PlatformModule.forRoot({ service, config, ...options }),
        EventSourcingModule.forRoot({ service, config }),
        ReadModelsModule.forRoot({ service, config, entities: AGENT_DIRECTORY_ENTITIES, migrations: AGENT_DIRECTORY_MIGRATIONS }),
        AgentDirectoryFeatureModule.forRoot(reconcilerSettingsOf(config)),
      ],
    };
  }
}
