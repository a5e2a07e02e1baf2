// Creates agent-directory's read models (tenants, agents, logins, device states) and the roster
// reconciler's table of pending checks. Idempotent DDL under an advisory lock, because every instance
// (and every parallel test process) runs migrations at start against the same schema.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentDirectoryReadModels1700000000000 implements MigrationInterface {
  name = 'AgentDirectoryReadModels1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.agent-directory-read-models'))`);
    await queryRunner.query(`
      create table if not exists tenants (
        -- Lists page in byte order of the ids, whatever the database's collation.
        tenant_id text collate "C" primary key,
        tenant jsonb not null,
        revision integer not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query(`
      create table if not exists agents (
        tenant_id text not null,
        agent_id uuid not null,
        name text not null,
        -- The list's sort key: the name in lower case, compared byte by byte whatever the database's collation.
        name_key text collate "C" not null,
        extension text not null,
        role text not null,
        manager_id uuid,
        status text not null check (status in ('active', 'disabled', 'removed')),
        agent jsonb not null,
        revision integer not null,
        updated_at timestamptz not null,
        primary key (tenant_id, agent_id)
      )`);
    // The list's order (name case-insensitively, then id) is its keyset: pages are index range scans.
    await queryRunner.query(`create index if not exists agents_by_name_idx on agents (tenant_id, name_key, agent_id)`);
    await queryRunner.query(`create index if not exists agents_by_extension_idx on agents (tenant_id, extension)`);
    await queryRunner.query(`create index if not exists agents_by_manager_idx on agents (tenant_id, manager_id) where manager_id is not null`);
    await queryRunner.query(`
      create table if not exists logins (
        tenant_id text not null,
        login_id text collate "C" not null,
        role text not null,
        agent_id uuid,
        status text not null check (status in ('active', 'disabled')),
        login jsonb not null,
        revision integer not null,
        updated_at timestamptz not null,
        primary key (tenant_id, login_id)
      )`);
    await queryRunner.query(`create index if not exists logins_by_agent_idx on logins (tenant_id, agent_id) where agent_id is not null`);
    await queryRunner.query(`
      create table if not exists device_states (
        tenant_id text not null,
        extension text not null,
        registration text not null,
        activity text not null,
        device jsonb not null,
        revision integer not null,
        updated_at timestamptz not null,
        primary key (tenant_id, extension)
      )`);
    await queryRunner.query(`
      create table if not exists reconciler_checks (
        kind text not null check (kind in ('extension-claim', 'enrolment')),
        tenant_id text not null,
        subject text not null,
        due_at timestamptz not null,
        attempts integer not null default 0,
        last_error text,
        primary key (kind, tenant_id, subject)
      )`);
    await queryRunner.query(`create index if not exists reconciler_checks_due_idx on reconciler_checks (due_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reconciler_checks', 'device_states', 'logins', 'agents', 'tenants']) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
