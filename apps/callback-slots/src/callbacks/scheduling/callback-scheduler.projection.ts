// Turns bookings and callback progress into timer jobs: CallbackBooked adds the due timer (jobId =
// bookingId), CallbackCancelled removes it (a reschedule is a cancel plus a booking: the job moves),
// and each callback event swaps the timer its new state needs (next attempt, watchdog, none).
//
// Runs in the read-model transaction of its store subscription: rows first, then Redis, then commit.
// If Redis fails, the transaction rolls back and the batch is delivered again, so the diff is redone;
// if the commit fails after Redis, an extra job fires into a decider that ignores it. Replays and
// redelivered events change no row (revision guards), hence add no job.
import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CALLBACK_FIRING_STREAM_PREFIX,
  CALLBACK_STREAM_PREFIX,
  parseCallbackDispatchEvent,
  parseCallbackSlotsEvent,
  TIME_SLOT_STREAM_PREFIX,
  type CallbackEvent,
  type CallbackFiring,
} from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';
import { evolveCallback } from '../domain/callback.decider';
import { desiredTimer } from '../domain/callback-timer';
import { dueAtOf } from '../domain/firing-time';
import type { CallbackTimerQueue, TimerToAdd } from './callback-timer.queue';
import { loadFiring, loadScheduleRows, rowKey, saveFiring, saveScheduleRows, type ScheduleRow } from './callback-schedule.repository';

export const CALLBACK_SCHEDULER_PROJECTION = 'callback-scheduler-v1';

const TIME_SLOT = `${TIME_SLOT_STREAM_PREFIX}-`;
const CALLBACK = `${CALLBACK_STREAM_PREFIX}-`;
const FIRING = `${CALLBACK_FIRING_STREAM_PREFIX}-`;

export class CallbackSchedulerProjection implements Projection {
  readonly name = CALLBACK_SCHEDULER_PROJECTION;
  readonly streamPrefixes = [TIME_SLOT, CALLBACK, FIRING];
  private readonly logger = new Logger('CallbackSchedulerProjection');

  constructor(private readonly timers: CallbackTimerQueue) {}

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    const keys = new Map<string, { tenantId: string; bookingId: string }>();
    for (const event of events) {
      const bookingId = (event.data as { bookingId?: unknown }).bookingId;
      if (typeof bookingId === 'string' && !event.streamId.startsWith(FIRING)) keys.set(rowKey(event.tenantId, bookingId), { tenantId: event.tenantId, bookingId });
    }
    const before = await loadScheduleRows(manager, [...keys.values()]);
    const rows = new Map(before);
    const changed = new Set<string>();
    const firings = new Map<string, CallbackFiring>();
    const firingOf = async (tenantId: string, callSlotId: string): Promise<CallbackFiring> => {
      const key = `${tenantId}/${callSlotId}`;
      const known = firings.get(key);
      if (known) return known;
      const firing = await loadFiring(manager, tenantId, callSlotId);
      firings.set(key, firing);
      return firing;
    };

    for (const recorded of events) {
      if (recorded.streamId.startsWith(FIRING)) {
        const event = parseCallbackDispatchEvent(recorded);
        if (event.type !== 'CallbackFiringSet') continue;
        firings.set(`${recorded.tenantId}/${event.data.callSlotId}`, event.data.firing);
        await saveFiring(manager, recorded.tenantId, event.data.callSlotId, event.data.firing, recorded.revision);
      } else if (recorded.streamId.startsWith(TIME_SLOT)) {
        const event = parseCallbackSlotsEvent(recorded);
        if (event.type === 'CallbackBooked') {
          const key = rowKey(recorded.tenantId, event.data.bookingId);
          if (rows.has(key)) continue; // redelivered
          const firing = await firingOf(recorded.tenantId, event.data.callSlotId);
          rows.set(key, {
            tenantId: recorded.tenantId,
            bookingId: event.data.bookingId,
            callSlotId: event.data.callSlotId,
            startIso: event.data.startIso,
            endIso: event.data.endIso,
            // The booking's revision in its occurrence is its stable ordinal for spreading.
            dueAt: dueAtOf(event.data, firing, recorded.revision),
            campaignId: event.data.campaignId,
            bookingStatus: 'booked',
            cancelledAt: null,
            bookingRevision: recorded.revision,
            callback: { status: 'NotDue' },
            callbackRevision: -1,
          });
          changed.add(key);
        } else if (event.type === 'CallbackCancelled') {
          const key = rowKey(recorded.tenantId, event.data.bookingId);
          const row = rows.get(key);
          if (!row || recorded.revision <= row.bookingRevision) continue;
          rows.set(key, { ...row, bookingStatus: 'cancelled', cancelledAt: recorded.occurredAt, bookingRevision: recorded.revision });
          changed.add(key);
        }
      } else if (recorded.streamId.startsWith(CALLBACK)) {
        const event = parseCallbackDispatchEvent(recorded) as CallbackEvent;
        const key = rowKey(recorded.tenantId, event.data.bookingId);
        const row = rows.get(key);
        if (!row) {
          this.logger.warn(`${event.type} of ${recorded.streamId} has no booked callback in the schedule: skipped`);
          continue;
        }
        if (recorded.revision <= row.callbackRevision) continue;
        rows.set(key, { ...row, callback: evolveCallback(row.callback, event), callbackRevision: recorded.revision });
        changed.add(key);
      }
    }

    const updated = [...changed].map((key) => rows.get(key)!);
    await saveScheduleRows(manager, updated);
    await this.swapTimers(updated.map((row) => ({ before: before.get(rowKey(row.tenantId, row.bookingId)) ?? null, after: row })));
  }

  private async swapTimers(changes: { before: ScheduleRow | null; after: ScheduleRow }[]): Promise<void> {
    const toAdd: TimerToAdd[] = [];
    const toRemove: string[] = [];
    for (const { before, after } of changes) {
      const old = before ? desiredTimer(before) : null;
      const next = desiredTimer(after);
      if (old?.jobId === next?.jobId) continue;
      if (old) toRemove.push(old.jobId);
      if (next) toAdd.push({ timer: next, tenantId: after.tenantId, bookingId: after.bookingId, callSlotId: after.callSlotId, startIso: after.startIso });
    }
    await this.timers.remove(toRemove);
    await this.timers.add(toAdd);
  }
}
