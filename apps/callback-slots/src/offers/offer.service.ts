// The IVR callback offer (seed 003) as use-cases: start, a DTMF key, a typed callback number, hang-up,
// expiry. Each step runs under the session's lock: load the session from Redis, step the pure state
// machine (domain/offer-session.ts), book through BookingService when the caller chose (a slot taken
// meanwhile is said and the next one offered), append the step's reporting events, store the session.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  type AbandonOfferRequest,
  type EnterCallbackNumberRequest,
  type OfferDtmfRequest,
  type OfferReply,
  type StartOfferRequest,
} from '@cc/contracts';
import { CLOCK, type Clock } from '@cc/platform';
import { TenantDirectory } from '../access/tenant-directory';
import { BlacklistReader } from '../blacklist/blacklist-reader';
import { BookingService } from '../bookings/booking.service';
import { AvailabilityService } from '../call-slots/availability.service';
import type { CallSlotCaller } from '../call-slots/call-slot-caller';
import { CallSlotCatalog } from '../call-slots/call-slot-catalog';
import { offerHorizonEnd } from '../domain/availability';
import { callbackSlotsError } from '../domain/callback-slots-error';
import {
  offerBookingOf,
  offerReplyOf,
  startOffer,
  stepOffer,
  type BookingFailed,
  type BookingSucceeded,
  type OfferCandidate,
  type OfferCommand,
  type OfferSessionState,
  type OfferStep,
} from '../domain/offer-session';
import { OfferEventsRecorder } from './offer-events.recorder';
import { OfferSessionStore, type StoredOfferSession } from './offer-session.store';

/** Refusals of a chosen slot that the caller hears as "taken meanwhile" (the next slot is offered). */
const SLOT_GONE: ReadonlySet<string> = new Set(['CALLBACK_SLOTS.SLOT_FULL', 'CALLBACK_SLOTS.SLOT_IN_PAST', 'CALLBACK_SLOTS.OCCURRENCE_CLOSED']);

export const OFFER_SWEEPER_ACTOR = 'service:callback-slots/offer-sweeper';

@Injectable()
export class OfferService {
  constructor(
    private readonly sessions: OfferSessionStore,
    private readonly recorder: OfferEventsRecorder,
    private readonly bookings: BookingService,
    private readonly callSlots: CallSlotCatalog,
    private readonly availability: AvailabilityService,
    private readonly blacklists: BlacklistReader,
    private readonly directory: TenantDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `not-offered` unless a free time slot starts within the offer window; else the first free one. */
  async start(caller: CallSlotCaller, request: StartOfferRequest): Promise<OfferReply> {
    const callSlot = await this.callSlots.active(caller.tenantId, request.callSlotId);
    const { definition } = callSlot;
    const now = this.clock.now().toISOString();
    const [blacklist, defaultCountry, available] = await Promise.all([
      this.blacklists.state(caller.tenantId),
      this.directory.defaultCountry(caller.tenantId),
      this.availability.candidates(caller.tenantId, callSlot, now, offerHorizonEnd(now, definition.zone, definition.settings)),
    ]);
    const sessionId = randomUUID();
    const step = startOffer({
      type: 'StartOffer',
      now,
      sessionId,
      callId: request.callId,
      callerCli: request.callerCli,
      callSlot: { callSlotId: definition.callSlotId, zone: definition.zone, settings: definition.settings },
      defaultCountry,
      blacklist,
      available,
    });
    const revision = await this.recorder.append(caller.tenantId, sessionId, step.events, null, caller.actor);
    await this.sessions.save({ tenantId: caller.tenantId, state: step.state, revision }, Date.parse(now));
    return offerReplyOf(step.state, step.notice);
  }

  dtmf(caller: CallSlotCaller, request: OfferDtmfRequest): Promise<OfferReply> {
    return this.step(caller, request.sessionId, async (state, now) => ({
      type: 'PressKey',
      now,
      key: request.key,
      // Only a decline moves on to another slot: read the loads for that case alone.
      available: state.status === 'Offering' && request.key === state.ctx.keys.decline ? await this.candidatesAfter(caller.tenantId, state, now) : [],
    }));
  }

  enterNumber(caller: CallSlotCaller, request: EnterCallbackNumberRequest): Promise<OfferReply> {
    return this.step(caller, request.sessionId, async (_state, now) => ({
      type: 'EnterCallbackNumber',
      now,
      digits: request.digits,
      blacklist: await this.blacklists.state(caller.tenantId),
    }));
  }

  abandon(caller: CallSlotCaller, request: AbandonOfferRequest): Promise<OfferReply> {
    return this.step(caller, request.sessionId, async (_state, now) => ({ type: 'AbandonOffer', now }));
  }

  /**
   * Ends a session whose TTL passed (OfferEnded `expired`); called by the sweeper. Returns false when
   * there was nothing to do: gone, not expired (a step renewed it), ended, or a step holds the lock.
   */
  async expire(tenantId: string, sessionId: string): Promise<boolean> {
    try {
      return await this.sessions.withLock(
        tenantId,
        sessionId,
        async () => {
          const session = await this.sessions.load(tenantId, sessionId);
          if (session === null) {
            await this.sessions.unindex(tenantId, sessionId);
            return false;
          }
          const now = this.clock.now().toISOString();
          let step: OfferStep;
          try {
            step = stepOffer(session.state, { type: 'ExpireOffer', now });
          } catch (error) {
            if (error instanceof DomainError && error.code === 'CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP') return false;
            throw error;
          }
          await this.finish(session, step, OFFER_SWEEPER_ACTOR, now);
          return step.events.length > 0;
        },
        0,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP') return false; // a step holds the lock
      throw error;
    }
  }

  private step(
    caller: CallSlotCaller,
    sessionId: string,
    commandOf: (state: OfferSessionState, now: string) => Promise<OfferCommand>,
  ): Promise<OfferReply> {
    return this.sessions.withLock(caller.tenantId, sessionId, async () => {
      const session = await this.sessions.load(caller.tenantId, sessionId);
      if (session === null) {
        throw callbackSlotsError('OFFER_SESSION_EXPIRED', `offer session ${sessionId} is unknown or expired`, [
          { path: 'sessionId', message: 'unknown or expired offer session' },
        ]);
      }
      const now = this.clock.now().toISOString();
      let step = stepOffer(session.state, await commandOf(session.state, now));
      if (step.state.status === 'Booking') {
        const outcome = stepOffer(step.state, await this.bookChosen(caller, step.state, now));
        step = { state: outcome.state, events: [...step.events, ...outcome.events], notice: outcome.notice ?? step.notice };
      }
      await this.finish(session, step, caller.actor, now);
      return offerReplyOf(step.state, step.notice);
    });
  }

  /** Books the chosen slot (idempotent per session and occurrence, so a retried step books once). */
  private async bookChosen(
    caller: CallSlotCaller,
    state: Extract<OfferSessionState, { status: 'Booking' }>,
    now: string,
  ): Promise<BookingSucceeded | BookingFailed> {
    const booking = offerBookingOf(state);
    try {
      const { booking: booked } = await this.bookings.book({
        tenantId: caller.tenantId,
        callSlotId: booking.callSlotId,
        startIso: booking.startIso,
        callbackNumber: booking.callbackNumber,
        callerCli: booking.callerCli,
        source: booking.source,
        idempotencyKey: booking.idempotencyKey,
        offerSessionId: booking.offerSessionId,
        callId: booking.callId,
        actor: caller.actor,
      });
      return { type: 'BookingSucceeded', now, bookingId: booked.bookingId };
    } catch (error) {
      if (!(error instanceof DomainError) || !SLOT_GONE.has(error.code)) throw error;
      return { type: 'BookingFailed', now, code: error.code as BookingFailed['code'], available: await this.candidatesAfter(caller.tenantId, state, now) };
    }
  }

  /** Free slots up to the session's offer horizon (the state machine skips those not after the current one). */
  private async candidatesAfter(tenantId: string, state: OfferSessionState, now: string): Promise<Iterable<OfferCandidate>> {
    const callSlot = await this.callSlots.active(tenantId, state.ctx.callSlotId);
    return this.availability.candidates(tenantId, callSlot, now, state.ctx.horizonEndIso);
  }

  /** Reports the step's events, then stores the session: a failed append leaves the session as it was. */
  private async finish(session: StoredOfferSession, step: OfferStep, actor: string, now: string): Promise<void> {
    const revision = await this.recorder.append(session.tenantId, step.state.ctx.sessionId, step.events, session.revision, actor);
    await this.sessions.save({ tenantId: session.tenantId, state: step.state, revision }, Date.parse(now));
  }
}
