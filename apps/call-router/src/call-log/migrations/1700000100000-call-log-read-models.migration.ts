// Creates the call log's read models: calls (summary + folded state), their steps, per-agent facts for
// performance, and the replicas it filters and counts by (reporting lines, callback attempts). Idempotent
// DDL under an advisory lock: every instance (and parallel test process) migrates the same schema at start.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallLogReadModels1700000100000 implements MigrationInterface {
  name = 'CallLogReadModels1700000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.call-log-read-models'))`);
    await queryRunner.query(`
      create table if not exists call_log_calls (
        tenant_id text not null,
        call_id text not null,
        stream_id text not null unique,
        number text not null,
        cli text,
        flow_version integer,
        status text not null check (status in ('inProgress', 'ended')),
        outcome text,
        not_routable text,
        started_at timestamptz not null,
        ended_at timestamptz,
        duration_seconds double precision,
        talk_seconds double precision,
        answered_by uuid,
        agent_ids uuid[] not null,
        step_count integer not null,
        revision integer not null,
        state jsonb not null,
        primary key (tenant_id, call_id)
      )`);
    // Newest first, keyset-paginated by (started_at, call_id); agent filters through the GIN index.
    await queryRunner.query(`create index if not exists call_log_calls_started_idx on call_log_calls (tenant_id, started_at desc, call_id desc)`);
    await queryRunner.query(`create index if not exists call_log_calls_number_idx on call_log_calls (tenant_id, number, started_at desc)`);
    await queryRunner.query(`create index if not exists call_log_calls_agents_idx on call_log_calls using gin (agent_ids)`);
    await queryRunner.query(`
      create table if not exists call_log_steps (
        event_id uuid primary key,
        tenant_id text not null,
        call_id text not null,
        revision integer not null,
        type text not null,
        version integer not null,
        occurred_at timestamptz not null,
        data jsonb not null,
        unique (tenant_id, call_id, revision)
      )`);
    await queryRunner.query(`
      create table if not exists call_log_agent_calls (
        tenant_id text not null,
        call_id text not null,
        agent_id uuid not null,
        started_at timestamptz not null,
        offered boolean not null,
        answered boolean not null,
        missed boolean not null,
        ring_seconds double precision,
        talk_seconds double precision,
        primary key (tenant_id, call_id, agent_id)
      )`);
    await queryRunner.query(`create index if not exists call_log_agent_calls_agent_idx on call_log_agent_calls (tenant_id, agent_id, started_at)`);
    await queryRunner.query(`
      create table if not exists call_log_reporting_lines (
        tenant_id text not null,
        agent_id uuid not null,
        manager_id uuid,
        status text not null check (status in ('member', 'withdrawn')),
        revision integer not null,
        primary key (tenant_id, agent_id)
      )`);
    await queryRunner.query(`
      create table if not exists call_log_callback_attempts (
        tenant_id text not null,
        booking_id uuid not null,
        attempt integer not null,
        agent_ids uuid[] not null default '{}',
        started_at timestamptz,
        outcome text,
        finished_at timestamptz,
        primary key (tenant_id, booking_id, attempt)
      )`);
    await queryRunner.query(`create index if not exists call_log_callback_attempts_started_idx on call_log_callback_attempts (tenant_id, started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['call_log_callback_attempts', 'call_log_reporting_lines', 'call_log_agent_calls', 'call_log_steps', 'call_log_calls']) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
