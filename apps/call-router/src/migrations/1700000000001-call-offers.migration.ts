// Creates the table of the callback offer dialogues the router runs with callback-slots for calls at an
// offerCallback step: the session and callback-slots' last answer per (call stream, step). Idempotent DDL
// under an advisory lock: every instance and test process migrates at start.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallOffers1700000000001 implements MigrationInterface {
  name = 'CallOffers1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.call-router-call-offers'))`);
    await queryRunner.query(`
      create table if not exists call_offers (
        stream_id text not null,
        step_id text not null,
        tenant_id text not null,
        session_id uuid not null,
        last_reply jsonb not null,
        updated_at timestamptz not null,
        primary key (stream_id, step_id)
      )`);
    await queryRunner.query(`create index if not exists call_offers_tenant_idx on call_offers (tenant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists call_offers');
  }
}
