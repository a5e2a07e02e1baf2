// Creates the campaign read models: campaigns (settings, status), campaign_items (what each item key
// stands for, or its last rejection) and campaign_bookings (what became of each campaign booking), from
// which progress and counts are read. Idempotent DDL under an advisory lock.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Campaigns1700000000900 implements MigrationInterface {
  name = 'Campaigns1700000000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.campaigns'))`);
    await queryRunner.query(`
      create table if not exists campaigns (
        tenant_id text not null,
        campaign_id text not null,
        name text not null,
        cap_per_time_slot integer,
        status text not null check (status in ('active', 'cancelled')),
        revision integer not null,
        updated_at timestamptz not null,
        primary key (tenant_id, campaign_id)
      )`);
    await queryRunner.query(`
      create table if not exists campaign_items (
        tenant_id text not null,
        campaign_id text not null,
        key_hash text not null,
        idempotency_key text not null,
        state text not null check (state in ('booked', 'rejected')),
        booking_id uuid,
        call_slot_id text,
        start_iso timestamptz,
        rejection_reason text,
        revision integer not null,
        updated_at timestamptz not null,
        primary key (tenant_id, campaign_id, key_hash)
      )`);
    await queryRunner.query(`create index if not exists campaign_items_state_idx on campaign_items (tenant_id, campaign_id, state)`);
    await queryRunner.query(`
      create table if not exists campaign_bookings (
        tenant_id text not null,
        booking_id uuid not null,
        campaign_id text not null,
        status text not null check (status in ('scheduled', 'cancelled', 'completed', 'failed')),
        primary key (tenant_id, booking_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists campaign_bookings`);
    await queryRunner.query(`drop table if exists campaign_items`);
    await queryRunner.query(`drop table if exists campaigns`);
  }
}
