// Queries of the bookings read model: where a booking lives (its occurrence), filtered and paginated
// lists, and the reschedule reconciler's scan for new halves whose old booking may still be live.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  DomainError,
  type BookingRef,
  type BookingView,
  type ListBookingsRequest,
  type ListBookingsResponse,
} from '@cc/contracts';

type BookingRow = {
  booking_id: string;
  call_slot_id: string;
  start_at: Date;
  start_iso: string;
  end_iso: string;
  status: 'booked' | 'cancelled';
  callback_number: string;
  caller_cli: string | null;
  source: BookingView['source'];
  campaign_id: string | null;
  idempotency_key: string | null;
  offer_session_id: string | null;
  call_id: string | null;
  rescheduled_from: BookingRef | null;
  rescheduled_to: BookingRef | null;
  cancel_reason: BookingView['cancelReason'];
  booked_at: Date;
  cancelled_at: Date | null;
};

export type PendingReschedule = { tenantId: string; moved: BookingRef; old: BookingRef };

@Injectable()
export class BookingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async location(tenantId: string, bookingId: string): Promise<BookingRef | null> {
    const rows = (await this.dataSource.query(`select call_slot_id, start_iso from bookings where tenant_id = $1 and booking_id = $2`, [
      tenantId,
      bookingId,
    ])) as { call_slot_id: string; start_iso: string }[];
    const row = rows[0];
    return row ? { bookingId, callSlotId: row.call_slot_id, startIso: row.start_iso } : null;
  }

  /**
   * By occurrence start, then booking id, ascending. `visible` null: every call slot; else only those.
   * The cursor is the last row's (start, id), so pages stay stable while bookings are added.
   */
  async list(tenantId: string, request: ListBookingsRequest, visible: readonly string[] | null): Promise<ListBookingsResponse> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (visible !== null) add((p) => `call_slot_id = any(${p})`, visible);
    if (request.callSlotId !== undefined) add((p) => `call_slot_id = ${p}`, request.callSlotId);
    if (request.from !== undefined) add((p) => `start_at >= ${p}`, request.from);
    if (request.to !== undefined) add((p) => `start_at < ${p}`, request.to);
    if (request.status !== undefined) add((p) => `status = ${p}`, request.status);
    if (request.campaignId !== undefined) add((p) => `campaign_id = ${p}`, request.campaignId);
    if (request.cursor !== undefined) {
      const cursor = decodeCursor(request.cursor);
      params.push(cursor.startIso, cursor.bookingId);
      where.push(`(start_at, booking_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(request.limit + 1);
    const rows = (await this.dataSource.query(
      `select * from bookings where ${where.join(' and ')} order by start_at, booking_id limit $${params.length}`,
      params,
    )) as BookingRow[];
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(viewOfRow),
      nextCursor: rows.length > request.limit && last ? encodeCursor(last.start_iso, last.booking_id) : null,
    };
  }

  /** Live bookings made by a reschedule before `bookedBefore` (oldest first): the reconciler checks their old half. */
  async pendingReschedules(bookedBefore: Date, limit: number, tenantId?: string): Promise<PendingReschedule[]> {
    const rows = (await this.dataSource.query(
      `select b.tenant_id, b.booking_id, b.call_slot_id, b.start_iso, b.rescheduled_from
       from bookings b
       where b.rescheduled_from is not null and b.status = 'booked' and b.booked_at < $1 and ($3::text is null or b.tenant_id = $3)
         and not exists (
           select 1 from bookings old
           where old.tenant_id = b.tenant_id and old.booking_id = (b.rescheduled_from->>'bookingId')::uuid
             and old.status = 'cancelled' and old.rescheduled_to->>'bookingId' = b.booking_id::text)
       order by b.booked_at
       limit $2`,
      [bookedBefore.toISOString(), limit, tenantId ?? null],
    )) as { tenant_id: string; booking_id: string; call_slot_id: string; start_iso: string; rescheduled_from: BookingRef }[];
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      moved: { bookingId: row.booking_id, callSlotId: row.call_slot_id, startIso: row.start_iso },
      old: row.rescheduled_from,
    }));
  }
}

function viewOfRow(row: BookingRow): BookingView {
  return {
    bookingId: row.booking_id,
    callSlotId: row.call_slot_id,
    startIso: row.start_iso,
    endIso: row.end_iso,
    status: row.status,
    callbackNumber: row.callback_number,
    callerCli: row.caller_cli,
    source: row.source,
    campaignId: row.campaign_id,
    idempotencyKey: row.idempotency_key,
    offerSessionId: row.offer_session_id,
    callId: row.call_id,
    rescheduledFrom: row.rescheduled_from,
    rescheduledTo: row.rescheduled_to,
    cancelReason: row.cancel_reason,
    bookedAt: new Date(row.booked_at).toISOString(),
    cancelledAt: row.cancelled_at === null ? null : new Date(row.cancelled_at).toISOString(),
  };
}

const encodeCursor = (startIso: string, bookingId: string): string => Buffer.from(`${startIso}|${bookingId}`).toString('base64url');

function decodeCursor(cursor: string): { startIso: string; bookingId: string } {
  const [startIso, bookingId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!startIso || !bookingId || Number.isNaN(Date.parse(startIso)) || !/^[0-9a-f-]{36}$/.test(bookingId)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path: 'query.cursor', message: 'not a cursor from a previous page' },
    ]);
  }
  return { startIso, bookingId };
}
