// Works through due webhook deliveries: claims a batch (leased, shared across instances), signs and sends
// each, records the attempt with the retry / back-off / disable policy's verdict, and sleeps until the next
// delivery is due (or it is woken by an enqueue). Runs beside routing, never in its path.
import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { WEBHOOK_HEADERS } from '@cc/contracts';
import { CLOCK, Metrics, type Clock } from '@cc/platform';
import { afterAttempt, describeFailure, type WebhookDeliveryPolicy } from './domain/webhook-delivery.policy';
import { signWebhook } from './domain/webhook-signature';
import { WebhookDeliveriesRepository, type ClaimedDelivery } from './webhook-deliveries.repository';
import { sendWebhook } from './webhook-http.sender';
import { deliveryPolicyOf, WEBHOOKS_CONFIG, type WebhooksConfig } from './webhooks.config';

const HOUR_MS = 60 * 60 * 1000;

@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly policy: WebhookDeliveryPolicy;
  private readonly attempts: Counter<'outcome'>;
  private readonly disabled: Counter;
  private loop: Promise<void> | null = null;
  private running = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private lastPrune = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.policy = deliveryPolicyOf(config);
    this.attempts = metrics.counter('call_router_webhook_attempts_total', 'Webhook delivery attempts by outcome (delivered, retry, failed, abandoned)', ['outcome']);
    this.disabled = metrics.counter('call_router_webhook_endpoints_disabled_total', 'Webhook endpoints disabled after repeated failures or 410 Gone');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the attempts in flight, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Something was enqueued: look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      try {
        const now = this.clock.now();
        await this.pruneNow(now);
        const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
        if (free > 0) {
          const leaseUntil = new Date(now.getTime() + 2 * this.config.WEBHOOK_TIMEOUT_MS + 5_000);
          const claimed = await this.deliveries.claimDue(now, free, leaseUntil);
          for (const delivery of claimed) this.track(this.attempt(delivery), delivery);
          if (claimed.length === free) continue; // more may be due: claim again as soon as a slot frees
        }
        if (this.woken) continue;
        // Full: an attempt finishing wakes us. Otherwise sleep until the next due delivery or the poll.
        const due = this.inFlight.size >= this.config.WEBHOOK_CONCURRENCY ? null : await this.deliveries.nextDueAt();
        const wait = due === null ? this.config.WEBHOOK_POLL_INTERVAL_MS : Math.max(0, Math.min(this.config.WEBHOOK_POLL_INTERVAL_MS, due.getTime() - this.clock.now().getTime()));
        await this.sleep(wait);
      } catch (error) {
        this.logger.error(`webhook dispatch failed; retrying in ${this.config.WEBHOOK_POLL_INTERVAL_MS} ms: ${messageOf(error)}`);
        await this.sleep(this.config.WEBHOOK_POLL_INTERVAL_MS);
      }
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /** Keeps an attempt in the in-flight set until it settles; a failure to record it is logged (its lease expires, it is retried). */
  private track(attempt: Promise<void>, delivery: ClaimedDelivery): void {
    const tracked: Promise<void> = attempt
      .catch((error: unknown) => this.logger.error(`webhook ${delivery.id} attempt could not be recorded (retried after its lease): ${messageOf(error)}`))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.wake();
      });
    this.inFlight.add(tracked);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const at = this.clock.now();
    if (delivery.endpointStatus !== 'enabled') {
      await this.deliveries.abandon(delivery.id, at);
      this.attempts.inc({ outcome: 'abandoned' });
      return;
    }
    const timestampSeconds = Math.floor(at.getTime() / 1000);
    const sent = await sendWebhook({
      url: delivery.url,
      body: delivery.payload,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivateTargets: this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      headers: {
        [WEBHOOK_HEADERS.id]: delivery.eventId,
        [WEBHOOK_HEADERS.timestamp]: String(timestampSeconds),
        [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, { id: delivery.eventId, timestampSeconds, body: delivery.payload }),
        [WEBHOOK_HEADERS.eventType]: delivery.eventType,
      },
    });
    const attempt = delivery.attempts + 1;
    const outcome = await this.deliveries.recordAttempt(delivery, { attempt, at, result: sent.result, durationMs: sent.durationMs }, (endpoint) =>
      afterAttempt({
        attempt,
        result: sent.result,
        consecutiveFailures: endpoint.consecutiveFailures,
        now: this.clock.now(),
        random: randomInt(1_000_000) / 1_000_000,
        policy: this.policy,
      }),
    );
    if (outcome === null) return; // the endpoint was deleted meanwhile
    this.attempts.inc({ outcome: outcome.delivery.status === 'pending' ? 'retry' : outcome.delivery.status });
    if (!sent.result.ok) {
      this.logger.warn(`webhook ${delivery.id} to endpoint ${delivery.endpointId} attempt ${attempt} failed: ${describeFailure(sent.result)}`);
    }
    if (outcome.endpoint.disabledReason !== null) {
      this.disabled.inc();
      this.logger.warn(`webhook endpoint ${delivery.endpointId} of tenant ${delivery.tenantId} disabled: ${outcome.endpoint.disabledReason}`);
    }
  }

  private async pruneNow(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < HOUR_MS) return;
    this.lastPrune = now.getTime();
    const pruned = await this.deliveries.prune(new Date(now.getTime() - this.config.WEBHOOK_DELIVERY_RETENTION_DAYS * 24 * HOUR_MS));
    if (pruned > 0) this.logger.log(`pruned ${pruned} finished webhook deliveries`);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running || this.woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
