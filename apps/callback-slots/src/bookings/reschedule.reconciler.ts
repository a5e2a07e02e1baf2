// Finishes reschedules a crash interrupted between "book the new occurrence" and "cancel the old
// booking": finds live bookings made by a reschedule whose old booking does not point at them, and
// lets the saga's pure half (nextRescheduleStep) say whether to cancel the old one or compensate.
// Runs at start and then periodically; young reschedules are left to the request still running them.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Metrics, type Clock } from '@cc/platform';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from '../config';
import { BookingsRepository } from '../projections/bookings.repository';
import { BookingService } from './booking.service';

export const RECONCILER_ACTOR = 'service:callback-slots/reschedule-reconciler';
const BATCH = 100;

export type ReconcileOutcome = { checked: number; cancelledOld: number; compensated: number; failed: number };

@Injectable()
export class RescheduleReconciler {
  private readonly logger = new Logger('RescheduleReconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly service: BookingService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_SLOTS_CONFIG) private readonly config: CallbackSlotsConfig,
    private readonly metrics: Metrics,
  ) {}

  start(): void {
    if (this.config.RESCHEDULE_RECONCILE_INTERVAL_MS === 0) return;
    const tick = () => {
      this.running = this.reconcileOnce()
        .catch((error: unknown) => this.logger.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.running = null;
          if (this.timer !== null) this.timer = setTimeout(tick, this.config.RESCHEDULE_RECONCILE_INTERVAL_MS).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over reschedules older than the grace period (`graceMs` overrides it; `tenantId` limits the scan). */
  async reconcileOnce(options: { graceMs?: number; tenantId?: string } = {}): Promise<ReconcileOutcome> {
    const before = new Date(this.clock.now().getTime() - (options.graceMs ?? this.config.RESCHEDULE_RECONCILE_GRACE_MS));
    const outcome: ReconcileOutcome = { checked: 0, cancelledOld: 0, compensated: 0, failed: 0 };
    const pending = await this.bookings.pendingReschedules(before, BATCH, options.tenantId);
    for (const { tenantId, moved, old } of pending) {
      outcome.checked++;
      try {
        const done = await this.service.completeReschedule(tenantId, moved, old, RECONCILER_ACTOR);
        if (done === 'cancel-old') outcome.cancelledOld++;
        if (done === 'compensate') outcome.compensated++;
      } catch (error) {
        outcome.failed++;
        this.logger.error(`reschedule ${old.bookingId} -> ${moved.bookingId} (${tenantId}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const counter = this.metrics.counter('callback_slots_reschedules_reconciled_total', 'Interrupted reschedules finished or compensated', ['outcome']);
    counter.labels('cancel-old').inc(outcome.cancelledOld);
    counter.labels('compensate').inc(outcome.compensated);
    return outcome;
  }
}
