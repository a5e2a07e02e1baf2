// Creates the schedule service's read model: one row per schedule with its whole definition. Idempotent
// DDL under an advisory lock, because every instance (and every parallel test process) migrates at start.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduleReadModels1700000000000 implements MigrationInterface {
  name = 'ScheduleReadModels1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.schedule-read-models'))`);
    await queryRunner.query(`
      create table if not exists schedules (
        tenant_id text not null,
        schedule_id text not null,
        name text not null,
        mode text not null check (mode in ('24/7', 'custom')),
        timezone text not null,
        status text not null check (status in ('active', 'deleted')),
        definition jsonb not null,
        revision integer not null,
        updated_at timestamptz not null,
        updated_by text,
        primary key (tenant_id, schedule_id)
      )`);
    // List pages: a tenant's schedules by status, in name order.
    await queryRunner.query(`
      create index if not exists schedules_list_idx on schedules (tenant_id, status, lower(name), schedule_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists schedules`);
  }
}
