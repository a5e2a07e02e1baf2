// Creates the read models of scheduled callbacks: one row per booked callback (its due time, booking
// status, callback state and the timer job it needs, which the reconciler rebuilds Redis from) and the
// firing setting per call slot. Idempotent DDL under an advisory lock (instances migrate concurrently).
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallbackSchedule1700000000800 implements MigrationInterface {
  name = 'CallbackSchedule1700000000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.callback-schedule'))`);
    await queryRunner.query(`
      create table if not exists callback_schedule (
        tenant_id text not null,
        booking_id uuid not null,
        call_slot_id text not null,
        start_iso timestamptz not null,
        end_iso timestamptz not null,
        due_at timestamptz not null,
        campaign_id text,
        booking_status text not null check (booking_status in ('booked', 'cancelled')),
        cancelled_at timestamptz,
        booking_revision integer not null,
        callback jsonb not null,
        callback_status text not null,
        callback_revision integer not null,
        timer_job_id text,
        timer_kind text,
        timer_attempt integer,
        timer_at timestamptz,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, booking_id)
      )`);
    // The reconciler reads every row that needs a timer.
    await queryRunner.query(`create index if not exists callback_schedule_timer_idx on callback_schedule (timer_at) where timer_job_id is not null`);
    await queryRunner.query(`
      create table if not exists callback_firing (
        tenant_id text not null,
        call_slot_id text not null,
        firing jsonb not null,
        revision integer not null,
        primary key (tenant_id, call_slot_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists callback_firing`);
    await queryRunner.query(`drop table if exists callback_schedule`);
  }
}
