// The application side of callback dispatch: what a timer does when it goes off (fire, start the next
// attempt, time out an attempt) and what an outcome report does. Each step is one load-decide-append
// on the callback's stream with the revision it decided on; losing that race means another worker or
// report did the step, so the loser stops. The store decides; Redis and timers only trigger.
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DomainError,
  toCallbackStreamId,
  type CallbackEvent,
  type CallbackView,
  type CallSlotSettings,
  type ReportCallbackOutcomeRequest,
} from '@cc/contracts';
import { CLOCK, CommandExecutor, Metrics, StateCache, type Clock } from '@cc/platform';
import type { Counter, Histogram } from 'prom-client';
import { CALLBACKS_CONFIG, type CallbacksConfig } from '../callbacks.config';
import { callbackDecider, type CallbackCommand, type CallbackState } from '../domain/callback.decider';
import { callbackViewOf } from '../domain/callback-view';
import type { CallbackTimerData } from '../scheduling/callback-timer.queue';
import { CallbackSourceReader } from './callback-source.reader';
import { FIRING_EXECUTOR } from './firing-store';
import { DialPlanClient } from './dial-plan.client';

/** The worker's name in the events it writes. */
export const CALLBACK_WORKER_ACTOR = 'service:callback-worker';

/** Codes of a lost append race: somebody else took this step. */
const LOST_RACE = new Set(['CONCURRENCY.REVISION_MISMATCH', 'CONCURRENCY.CONFLICT']);

export type FireResult = 'fired' | 'not-booked' | 'already-fired';

@Injectable()
export class CallbackDispatcher {
  private readonly logger = new Logger('CallbackDispatcher');
  private readonly lateness: Histogram<string>;
  private readonly steps: Counter<'step' | 'result'>;
  /** The state a fire decides on, handed to the executor so it appends without reading the stream first. */
  private readonly notYetFired = new StateCache(20_000);
  private readonly preparedSettings = new Map<string, CallSlotSettings>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(FIRING_EXECUTOR) private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACKS_CONFIG) private readonly config: CallbacksConfig,
    private readonly sources: CallbackSourceReader,
    private readonly dialPlans: DialPlanClient,
    metrics: Metrics,
  ) {
    this.lateness = metrics.histogram('callback_firing_lateness_seconds', 'How long after its due time a callback fired (in-process timer)', [], [
      0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5,
    ]);
    this.steps = metrics.counter('callback_dispatch_steps_total', 'Callback dispatch steps by result', ['step', 'result']);
  }

  /**
   * Reads what a fire needs while its timer waits out the lead time (the call slot's settings, the
   * booking's occurrence stream into the incremental cache), so the fire itself is one short read of the
   * booking (the truth) and one append (the gate). The callback stream is not read: the append expects
   * it not to exist, and fails (another worker fired) if it does.
   */
  async prepareFire(timer: CallbackTimerData): Promise<void> {
    const [, settings] = await Promise.all([this.sources.liveBooking(timer), this.sources.settings(timer.tenantId, timer.callSlotId)]);
    this.preparedSettings.set(toCallbackStreamId(timer.tenantId, timer.bookingId), settings);
  }

  /** The due timer went off (at or after `timer.at`): fire once if still booked, then start attempt 1. */
  async fire(timer: CallbackTimerData): Promise<FireResult> {
    const firedAt = this.clock.now();
    const streamId = toCallbackStreamId(timer.tenantId, timer.bookingId);
    const prepared = this.preparedSettings.get(streamId);
    this.preparedSettings.delete(streamId);
    const [booking, settings] = await Promise.all([this.sources.liveBooking(timer), prepared ?? this.sources.settings(timer.tenantId, timer.callSlotId)]);
    const command: CallbackCommand = {
      type: 'FireCallback',
      now: firedAt.toISOString(),
      dueAt: timer.at,
      booking,
      dialOrder: settings.dialOrder,
      retryPolicy: settings.retryPolicy,
      graceSeconds: this.config.CALLBACK_GRACE_SECONDS,
      attemptTimeoutSeconds: this.config.CALLBACK_ATTEMPT_TIMEOUT_SECONDS,
    };
    // The exactly-once gate: CallbackDue is appended only onto a stream that does not exist (decided on
    // "not due yet" without reading it: if another worker fired it, the append fails and this one stops).
    this.notYetFired.set(streamId, { state: callbackDecider.initialState(), revision: null });
    const result = await this.step('fire', timer, command, 'no_stream', this.notYetFired);
    this.notYetFired.delete(streamId);
    if (result === null) return 'already-fired';
    if (result.events.length === 0) {
      this.steps.labels('fire', 'not-booked').inc();
      return 'not-booked';
    }
    this.lateness.observe((firedAt.getTime() - Date.parse(timer.at)) / 1000);
    this.steps.labels('fire', 'fired').inc();
    // The attempt starts outside the timer job: a slow or absent router must not hold the BullMQ worker
    // (it fetches new timers as held ones finish). If this process dies first, the recovery timer of
    // the awaited attempt (ATTEMPT_START_RECOVERY_MS) starts it.
    const awaiting = result.state;
    if (awaiting.status === 'AwaitingAttempt') this.detach(() => this.startAttempt(timer.tenantId, awaiting, result.revision));
    return 'fired';
  }

  /** An attempt timer went off: start attempt n (or close the callback when its booking is gone). */
  async runAttemptTimer(timer: CallbackTimerData): Promise<void> {
    const { state, revision } = await this.load(timer.tenantId, timer.bookingId);
    if (state.status !== 'AwaitingAttempt' || state.attempt !== timer.attempt) return; // stale timer
    const booking = await this.sources.liveBooking(timer);
    if (booking === null) {
      await this.step('close', timer, { type: 'CloseCancelledCallback', now: this.clock.now().toISOString() }, revision);
      return;
    }
    if (this.clock.now().getTime() < Date.parse(state.startFrom)) return; // a superseded early timer; the current one comes
    // Outside the timer job too; after a crash before it is recorded the reconciler puts the timer back.
    this.detach(() => this.startAttempt(timer.tenantId, state, revision));
  }

  /** Resolves once the attempts started outside their timer jobs are recorded (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private detach(work: () => Promise<void>): void {
    const running = work()
      .catch((error: unknown) => this.logger.error(`starting a callback attempt failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** The watchdog of attempt n went off: finish it as failed if it is still running. */
  async runWatchdog(timer: CallbackTimerData): Promise<void> {
    const { state } = await this.load(timer.tenantId, timer.bookingId);
    if (state.status !== 'Dialling' || state.attempt !== timer.attempt) return;
    const bookingLive = (await this.sources.liveBooking(timer)) !== null;
    await this.step('timeout', timer, { type: 'TimeOutAttempt', now: this.clock.now().toISOString(), attempt: timer.attempt, bookingLive });
  }

  /** The dialer's report of how an attempt ended (HTTP or NATS); answers with the callback as it is now. */
  async reportOutcome(tenantId: string, request: ReportCallbackOutcomeRequest, actor: string): Promise<CallbackView> {
    const result = await this.executor.execute({
      streamId: toCallbackStreamId(tenantId, request.bookingId),
      decider: callbackDecider,
      tenantId,
      actor,
      retries: 10,
      command: async (state: CallbackState): Promise<CallbackCommand> => ({
        type: 'ReportOutcome',
        now: this.clock.now().toISOString(),
        attempt: request.attempt,
        outcome: request.outcome,
        detail: request.detail ?? null,
        bookingLive:
          state.status === 'NotDue' ||
          (await this.sources.liveBooking({ tenantId, bookingId: request.bookingId, callSlotId: state.callSlotId, startIso: state.startIso })) !== null,
      }),
    });
    this.steps.labels('outcome', request.outcome).inc();
    return callbackViewOf({ bookingId: request.bookingId, state: result.state, revision: result.revision ?? -1, scheduled: null });
  }

  /** The callback stream's state (the truth once it fired). */
  load(tenantId: string, bookingId: string): Promise<{ state: CallbackState; revision: number | null }> {
    return this.executor.load(toCallbackStreamId(tenantId, bookingId), callbackDecider);
  }

  // ---------------------------------------------------------------- internals

  /** Asks the router for the plan of the awaited attempt and starts it, or records why it cannot start yet. */
  private async startAttempt(tenantId: string, state: Extract<CallbackState, { status: 'AwaitingAttempt' }>, revision: number | null): Promise<void> {
    const pointer = { tenantId, bookingId: state.bookingId, callSlotId: state.callSlotId, startIso: state.startIso };
    const answer = await this.dialPlans.request({
      tenantId,
      bookingId: state.bookingId,
      callSlotId: state.callSlotId,
      campaignId: state.campaignId,
      attempt: state.attempt,
      callbackNumber: state.callbackNumber,
      callerCli: state.callerCli,
      dialOrder: state.dialOrder,
      at: this.clock.now().toISOString(),
    });
    const now = this.clock.now().toISOString();
    if (answer.kind === 'planned') {
      await this.step('start', { ...pointer }, { type: 'StartAttempt', now, attempt: state.attempt, agent: answer.agent, customerRingSeconds: answer.customerRingSeconds }, revision);
    } else {
      this.logger.warn(`callback ${state.bookingId} attempt ${state.attempt}: no dial plan (${answer.reason})`);
      await this.step('no-plan', pointer, { type: 'RecordDialPlanUnavailable', now, attempt: state.attempt, reason: answer.reason }, revision);
    }
  }

  /**
   * One decide-append on the callback stream. `expected`: the revision the step was decided on (pinned,
   * so a concurrent step makes this one stop instead of re-deciding); undefined: re-decide on conflicts.
   * Returns null when another worker or report won the race.
   */
  private async step(
    name: string,
    pointer: { tenantId: string; bookingId: string },
    command: CallbackCommand,
    expected?: number | null | 'no_stream',
    cache?: StateCache,
  ): Promise<{ state: CallbackState; events: { type: CallbackEvent['type'] }[]; revision: number | null } | null> {
    try {
      const result = await this.executor.execute({
        streamId: toCallbackStreamId(pointer.tenantId, pointer.bookingId),
        decider: callbackDecider,
        command,
        tenantId: pointer.tenantId,
        actor: CALLBACK_WORKER_ACTOR,
        ...(expected === undefined ? {} : { expectedRevision: expected === null ? 'no_stream' : expected }),
        ...(cache ? { cache } : {}),
      });
      if (result.events.length) this.steps.labels(name, 'appended').inc();
      return result;
    } catch (error) {
      if (error instanceof DomainError && LOST_RACE.has(error.code)) {
        this.steps.labels(name, 'lost-race').inc();
        return null;
      }
      throw error;
    }
  }
}
