// TypeORM read models of a service, in its own PostgreSQL schema (`svc_<service>`), migrated at start
// (migrations, never `synchronize`), with a PostgreSQL health check.
import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { dbSchemaOf, type ServiceName } from '@cc/contracts';
import type { BaseConfig } from '../config/config';
import { HealthChecks } from '../health/health-checks';

export type ReadModelsOptions = {
  service: ServiceName;
  config: BaseConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
};

export const readModelSchema = (service: ServiceName, config: BaseConfig): string => `${config.INSTANCE_PREFIX}${dbSchemaOf(service)}`;

/** CREATE SCHEMA IF NOT EXISTS can still race between processes starting together: tolerate that. */
export async function ensureSchema(connectionString: string, schema: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await client.end();
  }
}

@Injectable()
class ReadModelHealth {
  constructor(dataSource: DataSource, health: HealthChecks) {
    health.register('postgres', async () => {
      await dataSource.query('SELECT 1');
    });
  }
}

@Module({})
export class ReadModelsModule {
  static forRoot(options: ReadModelsOptions): DynamicModule {
    const schema = readModelSchema(options.service, options.config);
    return {
      module: ReadModelsModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await ensureSchema(options.config.DATABASE_URL, schema);
            return {
              type: 'postgres' as const,
              url: options.config.DATABASE_URL,
              schema,
              entities: options.entities,
              migrations: options.migrations,
              // Run below, under an advisory lock: two instances starting together would race on
              // TypeORM's migrations table.
              migrationsRun: false,
              migrationsTableName: 'read_model_migrations',
              synchronize: false,
              logging: false,
              // Unqualified names in migrations and raw queries resolve to the service's schema.
              extra: { options: `-c search_path="${schema}",public`, max: 10 },
            };
          },
          dataSourceFactory: async (dataSourceOptions) => {
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            await dataSource.transaction(async (manager) => {
              await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`cc-read-models:${schema}`]);
              await dataSource.runMigrations({ transaction: 'each' });
            });
            return dataSource;
          },
        }),
      ],
      providers: [ReadModelHealth],
      exports: [TypeOrmModule],
    };
  }
}
