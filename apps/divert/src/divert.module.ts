// Composition root of the divert service: platform wiring, event sourcing (store, relay to JetStream),
// the read models and the divert feature.
import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Clock } from '@cc/platform';
import type { DivertConfig } from './config';
import { DirectoryAgentEntity } from './directory/directory-agent.entity';
import { DirectoryTenantEntity } from './directory/directory-tenant.entity';
import { DivertRulesModule } from './divert-rules.module';
import { DivertReadModels1700000000000 } from './migrations/1700000000000-divert-read-models.migration';
import { DivertAuditEntity } from './projections/divert-audit.entity';
import { DivertRulesEntity } from './projections/divert-rules.entity';

@Module({})
export class DivertModule {
  /** `config` is a DivertConfig from main.ts; tests may pass the base config (divert settings then default). */
  static forRoot(config: BaseConfig & Partial<DivertConfig>, options: { clock?: Clock } = {}): DynamicModule {
    const service = 'divert';
    return {
      module: DivertModule,
      imports: [
        PlatformModule.forRoot({ service, config, ...options }),
        EventSourcingModule.forRoot({ service, config }),
        ReadModelsModule.forRoot({
          service,
          config,
          entities: [DivertRulesEntity, DivertAuditEntity, DirectoryAgentEntity, DirectoryTenantEntity],
          migrations: [DivertReadModels1700000000000],
        }),
        DivertRulesModule,
      ],
    };
  }
}
