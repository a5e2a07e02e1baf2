// Client idempotency keys across occurrences. The time-slot decider dedupes a key only inside its own
// occurrence stream; a campaign retry aimed at another occurrence would book twice. This index (one row
// per tenant and key, unique) says which booking a key made, and serialises requests with one key.
//
// Protocol, under a session advisory lock on (tenant, key) held on one dedicated connection:
//   1. a row exists: ask `earlier(ref)` (does its booking exist in its stream?) and answer with it; a row
//      whose booking never made it (the attempt crashed or was refused) is handed over to this request;
//   2. otherwise insert the row (committed BEFORE the append, so a crash after the append leaves a row
//      that points at the booking);
//   3. book; a refusal (DomainError) deletes the row again, so the key can book elsewhere.
// A crash releases the lock with the connection; a row left behind is checked against its stream.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { DomainError, type BookCallbackResponse, type BookingRef } from '@cc/contracts';

type Handlers = {
  /** The key's earlier booking answered (or refused as a reuse); null: it does not exist, take the key over. */
  earlier: (ref: BookingRef) => Promise<BookCallbackResponse | null>;
  book: () => Promise<BookCallbackResponse>;
};

@Injectable()
export class BookingIdempotencyIndex {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async withKey(tenantId: string, key: string, reserve: BookingRef, handlers: Handlers): Promise<BookCallbackResponse> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const lockKey = `callback-slots:idempotency:${tenantId}:${key}`;
    try {
      await runner.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
      try {
        return await this.underLock(runner, tenantId, key, reserve, handlers);
      } finally {
        await runner.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }

  private async underLock(runner: QueryRunner, tenantId: string, key: string, reserve: BookingRef, handlers: Handlers): Promise<BookCallbackResponse> {
    const rows = (await runner.query(
      `select booking_id, call_slot_id, start_iso from booking_idempotency_keys where tenant_id = $1 and idempotency_key = $2`,
      [tenantId, key],
    )) as { booking_id: string; call_slot_id: string; start_iso: string }[];
    const row = rows[0];
    if (row) {
      const answer = await handlers.earlier({ bookingId: row.booking_id, callSlotId: row.call_slot_id, startIso: row.start_iso });
      if (answer) return answer;
    }
    await runner.query(
      `insert into booking_idempotency_keys (tenant_id, idempotency_key, booking_id, call_slot_id, start_iso, reserved_at)
       values ($1, $2, $3, $4, $5, now())
       on conflict (tenant_id, idempotency_key) do update set
         booking_id = excluded.booking_id, call_slot_id = excluded.call_slot_id, start_iso = excluded.start_iso, reserved_at = now()`,
      [tenantId, key, reserve.bookingId, reserve.callSlotId, reserve.startIso],
    );
    let answer: BookCallbackResponse;
    try {
      answer = await handlers.book();
    } catch (error) {
      // A refusal booked nothing: free the key. Any other failure may have booked: keep the row, the
      // next attempt checks the stream.
      if (error instanceof DomainError) {
        await runner.query(`delete from booking_idempotency_keys where tenant_id = $1 and idempotency_key = $2 and booking_id = $3`, [
          tenantId,
          key,
          reserve.bookingId,
        ]);
      }
      throw error;
    }
    if (answer.booking.bookingId !== reserve.bookingId) {
      // The stream already held a booking with this key (made before the index knew it): point at it.
      await runner.query(`update booking_idempotency_keys set booking_id = $3 where tenant_id = $1 and idempotency_key = $2`, [
        tenantId,
        key,
        answer.booking.bookingId,
      ]);
    }
    return answer;
  }

  /** Drops a tenant's keys (tests clean up after themselves). */
  async forgetTenant(tenantId: string): Promise<void> {
    await this.dataSource.query(`delete from booking_idempotency_keys where tenant_id = $1`, [tenantId]);
  }
}
