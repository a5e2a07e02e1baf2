// Creates the routing webhooks tables: endpoints (with their signing secret and health), deliveries (the
// outbox the dispatcher works through, and the delivery log) and their attempts. Idempotent DDL under an
// advisory lock: every instance (and parallel test process) migrates the same schema at start.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1700000200000 implements MigrationInterface {
  name = 'Webhooks1700000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.webhooks'))`);
    await queryRunner.query(`
      create table if not exists webhook_endpoints (
        id uuid primary key,
        tenant_id text not null,
        url text not null,
        description text,
        event_types text[],
        secret text not null,
        status text not null check (status in ('enabled', 'disabled')),
        disabled_reason text,
        disabled_at timestamptz,
        consecutive_failures integer not null default 0,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query(`create index if not exists webhook_endpoints_tenant_idx on webhook_endpoints (tenant_id, created_at)`);
    await queryRunner.query(`
      create table if not exists webhook_deliveries (
        id uuid primary key,
        tenant_id text not null,
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        event_id uuid not null,
        event_type text not null,
        payload text not null,
        status text not null check (status in ('pending', 'delivered', 'failed', 'abandoned')),
        attempts integer not null default 0,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz not null,
        finished_at timestamptz,
        unique (endpoint_id, event_id)
      )`);
    await queryRunner.query(`create index if not exists webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending'`);
    await queryRunner.query(`create index if not exists webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id desc)`);
    await queryRunner.query(`create index if not exists webhook_deliveries_finished_idx on webhook_deliveries (finished_at) where status <> 'pending'`);
    await queryRunner.query(`
      create table if not exists webhook_delivery_attempts (
        delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
        attempt integer not null,
        at timestamptz not null,
        status_code integer,
        error text,
        duration_ms integer not null,
        primary key (delivery_id, attempt)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists webhook_delivery_attempts`);
    await queryRunner.query(`drop table if exists webhook_deliveries`);
    await queryRunner.query(`drop table if exists webhook_endpoints`);
  }
}
