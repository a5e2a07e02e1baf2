// Creates the router's persisted replica snapshot (the routing-relevant events of agent-directory, schedule,
// divert, callback-slots and its own call flows, compacted to one row per stream and key) and the index of
// SIP call ids to tenants. Idempotent DDL under an advisory lock: every instance and test process migrates at start.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReplicaSnapshot1700000000000 implements MigrationInterface {
  name = 'ReplicaSnapshot1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.call-router-replica-snapshot'))`);
    await queryRunner.query(`
      create table if not exists replica_snapshot (
        source text not null,
        stream_id text not null,
        compaction_key text not null,
        tenant_id text not null,
        revision integer not null,
        type text not null,
        version integer not null,
        data jsonb not null,
        occurred_at timestamptz not null,
        expires_at timestamptz,
        primary key (source, stream_id, compaction_key)
      )`);
    // The loader pages through it in replay order (per stream by revision).
    await queryRunner.query(`
      create index if not exists replica_snapshot_replay_idx on replica_snapshot (source, stream_id, revision, compaction_key)`);
    await queryRunner.query(`
      create index if not exists replica_snapshot_expiry_idx on replica_snapshot (expires_at) where expires_at is not null`);
    await queryRunner.query(`create index if not exists replica_snapshot_tenant_idx on replica_snapshot (tenant_id)`);
    // The SIP edge reports progress by Call-ID alone: which tenant's call is it.
    await queryRunner.query(`
      create table if not exists sip_calls (
        call_id text primary key,
        tenant_id text not null,
        created_at timestamptz not null
      )`);
    await queryRunner.query(`create index if not exists sip_calls_created_idx on sip_calls (created_at)`);
    await queryRunner.query(`create index if not exists sip_calls_tenant_idx on sip_calls (tenant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists sip_calls');
    await queryRunner.query('drop table if exists replica_snapshot');
  }
}
