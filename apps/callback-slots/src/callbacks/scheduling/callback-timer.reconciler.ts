// Redis is a cache of intent, not the truth: this puts back every timer job the read model says a
// callback needs (after a flush, a failover that lost writes, a job dropped after failing) and drops
// waiting jobs nobody needs. Runs at start and periodically; several instances may run it at once.
//
// Order matters: the queue is listed BEFORE the rows are read. A job added after the listing belongs to
// a row committed before it was added, so the later read sees that row (or a newer one) and the job is
// never taken for an orphan. A due timer re-added for a callback that fired meanwhile fires into a
// decider that ignores it: never twice. A job is never early: it fires at its due time or, if that
// passed while Redis was empty, at once.
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { desiredTimer } from '../domain/callback-timer';
import type { CallbackTimerQueue, TimerToAdd } from './callback-timer.queue';
import { rowsNeedingTimers } from './callback-schedule.repository';

export type ReconcileReport = { needed: number; added: number; orphansRemoved: number; durationMs: number };

export class CallbackTimerReconciler {
  private readonly logger = new Logger('CallbackTimerReconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ReconcileReport> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly timers: CallbackTimerQueue,
    private readonly intervalMs: number,
  ) {}

  /** Reconciles once now, then every interval (0: only now). */
  async start(): Promise<ReconcileReport> {
    const first = await this.reconcile();
    if (this.intervalMs > 0) this.schedule();
    return first;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass; concurrent calls share it. */
  reconcile(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.reconcile()
        .catch((error: unknown) => this.logger.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async pass(): Promise<ReconcileReport> {
    const started = Date.now();
    const listed = await this.timers.pendingJobIds();
    const waitingListed = await this.timers.waitingJobIds();
    const needed = new Set<string>();
    let added = 0;
    for await (const page of rowsNeedingTimers(this.dataSource)) {
      const missing: TimerToAdd[] = [];
      for (const row of page) {
        const timer = desiredTimer(row);
        if (!timer) continue;
        needed.add(timer.jobId);
        if (!listed.has(timer.jobId)) missing.push({ timer, tenantId: row.tenantId, bookingId: row.bookingId, callSlotId: row.callSlotId, startIso: row.startIso });
      }
      await this.timers.add(missing);
      added += missing.length;
    }
    const orphans = [...waitingListed].filter((id) => !needed.has(id));
    await this.timers.remove(orphans);
    const report = { needed: needed.size, added, orphansRemoved: orphans.length, durationMs: Date.now() - started };
    if (added > 0 || orphans.length > 0) {
      this.logger.log(`reconciled callback timers: ${report.needed} needed, ${added} re-added, ${orphans.length} orphans removed in ${report.durationMs} ms`);
    }
    return report;
  }
}
