// Ends offer sessions whose TTL passed without a step (OfferEnded `expired`), so every dialogue ends in
// the reporting stream even when the IVR never said goodbye. Any instance may sweep: the session lock
// and the state machine make a session expire once.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Metrics, type Clock } from '@cc/platform';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from '../config';
import { OfferSessionStore } from './offer-session.store';
import { OfferService } from './offer.service';

const BATCH = 200;

@Injectable()
export class OfferSessionSweeper {
  private readonly logger = new Logger('OfferSessionSweeper');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly sessions: OfferSessionStore,
    private readonly offers: OfferService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_SLOTS_CONFIG) private readonly config: CallbackSlotsConfig,
    private readonly metrics: Metrics,
  ) {}

  start(): void {
    if (this.config.OFFER_SWEEP_INTERVAL_MS === 0) return;
    const tick = () => {
      this.running = this.sweepOnce()
        .catch((error: unknown) => this.logger.error(`sweep failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.running = null;
          if (this.timer !== null) this.timer = setTimeout(tick, this.config.OFFER_SWEEP_INTERVAL_MS).unref();
        });
    };
    this.timer = setTimeout(tick, this.config.OFFER_SWEEP_INTERVAL_MS).unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Expires every due session (`tenantId` limits it to one tenant's). Returns how many ended now. */
  async sweepOnce(tenantId?: string): Promise<number> {
    let expired = 0;
    const due = await this.sessions.due(this.clock.now().getTime(), BATCH);
    for (const session of due) {
      if (tenantId !== undefined && session.tenantId !== tenantId) continue;
      try {
        if (await this.offers.expire(session.tenantId, session.sessionId)) expired++;
      } catch (error) {
        this.logger.error(`expiring offer session ${session.sessionId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.metrics.counter('callback_slots_offer_sessions_expired_total', 'Offer sessions ended by the sweeper').inc(expired);
    return expired;
  }
}
