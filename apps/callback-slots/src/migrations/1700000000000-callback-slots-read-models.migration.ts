// Creates the callback-slots read models: call slots, bookings, per-occurrence loads (the availability
// table), the agent-directory tenant replica (licence, default country) and the idempotency-key index.
// Idempotent DDL under an advisory lock: every instance (and every parallel test process) migrates at start.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallbackSlotsReadModels1700000000000 implements MigrationInterface {
  name = 'CallbackSlotsReadModels1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.callback-slots-read-models'))`);
    await queryRunner.query(`
      create table if not exists call_slots (
        tenant_id text not null,
        call_slot_id text not null,
        status text not null check (status in ('active', 'deleted')),
        name text not null,
        zone text not null,
        definition jsonb not null,
        closed_dates text[] not null default '{}',
        revision integer not null,
        updated_at timestamptz not null,
        primary key (tenant_id, call_slot_id)
      )`);
    await queryRunner.query(`
      create table if not exists bookings (
        tenant_id text not null,
        booking_id uuid not null,
        call_slot_id text not null,
        start_at timestamptz not null,
        start_iso text not null,
        end_iso text not null,
        status text not null check (status in ('booked', 'cancelled')),
        callback_number text not null,
        caller_cli text,
        source text not null,
        campaign_id text,
        idempotency_key text,
        offer_session_id uuid,
        call_id text,
        rescheduled_from jsonb,
        rescheduled_to jsonb,
        cancel_reason text,
        booked_at timestamptz not null,
        cancelled_at timestamptz,
        primary key (tenant_id, booking_id)
      )`);
    // Lists page by (start, id); filters by call slot or campaign use their own index.
    await queryRunner.query(`create index if not exists bookings_start_idx on bookings (tenant_id, start_at, booking_id)`);
    await queryRunner.query(`create index if not exists bookings_call_slot_idx on bookings (tenant_id, call_slot_id, start_at, booking_id)`);
    await queryRunner.query(
      `create index if not exists bookings_campaign_idx on bookings (tenant_id, campaign_id, start_at, booking_id) where campaign_id is not null`,
    );
    // The reschedule reconciler's scan: new halves still live (few at any time).
    await queryRunner.query(
      `create index if not exists bookings_reschedule_idx on bookings (booked_at) where rescheduled_from is not null and status = 'booked'`,
    );
    await queryRunner.query(`
      create table if not exists occurrence_loads (
        tenant_id text not null,
        call_slot_id text not null,
        start_at timestamptz not null,
        start_iso text not null,
        booked integer not null check (booked >= 0),
        capacity_override integer,
        stream_revision integer not null,
        primary key (tenant_id, call_slot_id, start_at)
      )`);
    await queryRunner.query(`
      create table if not exists tenant_directory (
        tenant_id text primary key,
        licensed_features text[] not null,
        default_country text not null,
        revision integer not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query(`
      create table if not exists booking_idempotency_keys (
        tenant_id text not null,
        idempotency_key text not null,
        booking_id uuid not null,
        call_slot_id text not null,
        start_iso text not null,
        reserved_at timestamptz not null,
        primary key (tenant_id, idempotency_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists booking_idempotency_keys`);
    await queryRunner.query(`drop table if exists tenant_directory`);
    await queryRunner.query(`drop table if exists occurrence_loads`);
    await queryRunner.query(`drop table if exists bookings`);
    await queryRunner.query(`drop table if exists call_slots`);
  }
}
