// Creates the divert service's read models: rules per extension, audit trail, and the replica of
// agent-directory's agents and tenants. Idempotent DDL under an advisory lock, because every instance
// (and every parallel test process) runs migrations at start against the same schema.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DivertReadModels1700000000000 implements MigrationInterface {
  name = 'DivertReadModels1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.divert-read-models'))`);
    await queryRunner.query(`
      create table if not exists divert_rules (
        tenant_id text not null,
        extension text not null,
        status text not null check (status in ('configured', 'removed')),
        rules jsonb,
        forward_targets text[] not null default '{}',
        revision integer not null,
        updated_at timestamptz not null,
        updated_by text,
        primary key (tenant_id, extension)
      )`);
    // The divert graph of a tenant: only rows that forward to another extension (few, even with thousands of extensions).
    await queryRunner.query(`
      create index if not exists divert_rules_forwarding_idx
        on divert_rules (tenant_id) where cardinality(forward_targets) > 0`);
    await queryRunner.query(`
      create table if not exists divert_audit (
        event_id uuid primary key,
        seq bigserial not null,
        tenant_id text not null,
        extension text not null,
        stream_revision integer not null,
        type text not null,
        occurred_at timestamptz not null,
        actor text,
        correlation_id text not null,
        conditions text[] not null,
        reason text,
        rules jsonb
      )`);
    await queryRunner.query(`
      create index if not exists divert_audit_tenant_idx on divert_audit (tenant_id, occurred_at desc, seq desc)`);
    await queryRunner.query(`
      create index if not exists divert_audit_extension_idx on divert_audit (tenant_id, extension, occurred_at desc, seq desc)`);
    await queryRunner.query(`
      create table if not exists directory_agents (
        tenant_id text not null,
        agent_id uuid not null,
        extension text not null,
        status text not null,
        revision integer not null,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, agent_id)
      )`);
    await queryRunner.query(`
      create index if not exists directory_agents_extension_idx on directory_agents (tenant_id, extension) where status <> 'removed'`);
    await queryRunner.query(`
      create table if not exists directory_tenants (
        tenant_id text primary key,
        default_country text not null,
        revision integer not null
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists directory_tenants`);
    await queryRunner.query(`drop table if exists directory_agents`);
    await queryRunner.query(`drop table if exists divert_audit`);
    await queryRunner.query(`drop table if exists divert_rules`);
  }
}
