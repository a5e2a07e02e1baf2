// Reads where a callback stands: its stream (the truth once it fired) and, before that, the scheduled
// due time and booking status from the scheduler's read model.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CALLBACK_DISPATCH_ERRORS, DomainError, type CallbackView } from '@cc/contracts';
import { callbackViewOf } from '../domain/callback-view';
import { loadScheduleRow } from '../scheduling/callback-schedule.repository';
import { CallbackDispatcher } from './callback-dispatcher';

@Injectable()
export class CallbackViews {
  constructor(
    private readonly dispatcher: CallbackDispatcher,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(tenantId: string, bookingId: string): Promise<CallbackView> {
    const [{ state, revision }, row] = await Promise.all([this.dispatcher.load(tenantId, bookingId), loadScheduleRow(this.dataSource, tenantId, bookingId)]);
    if (state.status === 'NotDue' && row === null) {
      const { code, kind } = CALLBACK_DISPATCH_ERRORS.CALLBACK_NOT_FOUND;
      throw new DomainError(code, kind, `no callback is booked as ${bookingId} (or it is not scheduled yet)`, [{ path: 'bookingId', message: 'unknown callback' }]);
    }
    return callbackViewOf({ bookingId, state, revision: revision ?? -1, scheduled: row ? { dueAt: row.dueAt, bookingStatus: row.bookingStatus } : null });
  }
}
