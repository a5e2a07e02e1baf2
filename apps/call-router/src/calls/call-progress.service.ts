// Call progress as a use-case: load the call's stream, fold it, decide the progress event (domain's
// `advance` with the flow version the call started with), append the routing events with the stream's
// expected revision (two events racing on one call: the second is decided again on the first's result).
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CALL_ROUTER_ERRORS,
  DomainError,
  toCallStreamId,
  type CallProgress,
  type CallOfferResponse,
  type CallProgressReply,
  type EventEnvelope,
  type OfferReply,
} from '@cc/contracts';
import { ExpectedRevisionConflict, type EventStore, type RecordedEvent } from '@cc/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '@cc/platform';
import { currentStep, decideProgress, foldCall, type CallRecord, type RecordedCallEvent } from '../domain/call.decider';
import { RoutingReplicas } from '../domain/replicas';
import { ReplicaSync } from '../replicas/replica-sync';
import { CallRecorder } from '../routing/call-recorder';
import { CallOffers, isFinished, type OfferStep } from './call-offers';

export type ProgressContext = {
  readonly correlationId: string;
  readonly actor: string | null;
  /** The reporter's id of this event (the SIP edge's md5): the same id twice is applied once. */
  readonly causationId?: string | null;
};

export type ProgressResult =
  | { readonly duplicate: true; readonly reply: null }
  | { readonly duplicate: false; readonly reply: CallProgressReply };

/** Offers chained by "declined" edges that are started within one request (each may find nothing to offer). */
const MAX_CHAINED_OFFERS = 3;
/** Re-decisions after a concurrent write on the same call before giving up with a conflict. */
const MAX_ATTEMPTS = 5;
/**
 * A call routed by another instance a moment ago may not be stored yet (its record is appended behind the
 * routing answer): an unknown call is looked up again this many times, this far apart, before UNKNOWN_CALL.
 */
const UNKNOWN_CALL_RETRY_DELAYS_MS = [25, 75, 150] as const;

@Injectable()
export class CallProgressService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly replicas: RoutingReplicas,
    private readonly recorder: CallRecorder,
    private readonly sync: ReplicaSync,
    private readonly offers: CallOffers,
  ) {}

  async progress(progress: CallProgress, context: ProgressContext, offerDepth = 0): Promise<ProgressResult> {
    this.sync.assertReady();
    const streamId = toCallStreamId(progress.tenantId, progress.callId);
    await this.recorder.whenRecorded(streamId);
    const at = progress.at === undefined ? this.clock.now() : new Date(progress.at);
    for (let attempt = 1; ; attempt++) {
      const { record, revision } = await this.load(streamId);
      const decision = decideProgress(record, progress, this.replicas, at, context.causationId ?? null);
      if (decision.duplicate) return { duplicate: true, reply: null };
      if (decision.events.length === 0) return this.followOffer(progress, context, record, decision.reply, offerDepth);
      const occurredAt = at.toISOString();
      const envelopes: EventEnvelope[] = decision.events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        version: 1,
        tenantId: progress.tenantId,
        occurredAt,
        correlationId: context.correlationId,
        causationId: context.causationId ?? null,
        actor: context.actor,
        data: event.data,
      }));
      try {
        await this.store.append(streamId, envelopes, revision);
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict) || attempt >= MAX_ATTEMPTS) {
          if (error instanceof ExpectedRevisionConflict) {
            throw new DomainError('CONCURRENCY.CONFLICT', 'conflict', `call ${progress.callId} changed concurrently; send the event again`);
          }
          throw error;
        }
        continue;
      }
      return this.followOffer(progress, context, record, decision.reply, offerDepth);
    }
  }

  /**
   * callback-slots' current answer for a call at an offerCallback step (the IVR's first prompt when the
   * call was routed straight to the offer); when nothing can be offered after all, the call moves on.
   */
  async offer(tenantId: string, callId: string, context: ProgressContext): Promise<CallOfferResponse> {
    this.sync.assertReady();
    const streamId = toCallStreamId(tenantId, callId);
    await this.recorder.whenRecorded(streamId);
    const { record } = await this.load(streamId);
    const step = offerStepOf(record, callId);
    const offer = await this.offers.current({ tenantId, callId, streamId, step });
    if (!isFinished(offer)) return { offer, reply: null };
    const ended = await this.offerEnded(tenantId, callId, offer, context, 1);
    return { offer, reply: ended.reply };
  }

  /** What an applied decision means for the offer dialogue: pass keys, start it, or end it with the call. */
  private async followOffer(
    progress: CallProgress,
    context: ProgressContext,
    before: CallRecord,
    reply: CallProgressReply,
    depth: number,
  ): Promise<ProgressResult> {
    const { tenantId, callId } = progress;
    const streamId = toCallStreamId(tenantId, callId);
    switch (reply.outcome) {
      case 'passThrough': {
        if (progress.kind !== 'dtmf') return { duplicate: false, reply };
        const offer = await this.offers.keys({ tenantId, callId, streamId, step: offerStepOf(before, callId) }, progress.digits);
        if (!isFinished(offer)) return { duplicate: false, reply: { ...reply, offer } };
        return this.offerEnded(tenantId, callId, offer, context, depth + 1);
      }
      case 'continue': {
        const entered = currentStep({ callId, steps: reply.decision.steps, currentStepId: reply.decision.currentStepId });
        // An offer whose "declined" leads to another offer that cannot be offered either: stop starting them.
        if (entered.kind !== 'offerCallback' || depth >= MAX_CHAINED_OFFERS) return { duplicate: false, reply };
        const offer = await this.offers.current({ tenantId, callId, streamId, step: entered });
        if (!isFinished(offer)) return { duplicate: false, reply: { ...reply, offer } };
        return this.offerEnded(tenantId, callId, offer, context, depth + 1);
      }
      case 'ended': {
        if (before.status === 'tracked' && before.call.status === 'routing') {
          const step = currentStep(before.call);
          if (step.kind === 'offerCallback') await this.offers.abandon({ tenantId, callId, streamId, step });
        }
        return { duplicate: false, reply };
      }
      case 'connected':
        return { duplicate: false, reply };
      default: {
        const _exhaustive: never = reply;
        return _exhaustive;
      }
    }
  }

  /** The dialogue finished (booked, declined, nothing offered): the call continues at the step's next node. */
  private async offerEnded(tenantId: string, callId: string, offer: OfferReply, context: ProgressContext, depth: number): Promise<ProgressResult> {
    const booked = offer.status === 'booked';
    const result = await this.progress(
      { tenantId, callId, kind: 'callback-offer-ended', outcome: booked ? 'booked' : 'declined', bookingId: booked ? offer.bookingId : null },
      { ...context, causationId: null },
      depth,
    );
    if (result.duplicate || result.reply.outcome !== 'continue' || result.reply.offer !== undefined) return result;
    return { duplicate: false, reply: { ...result.reply, offer } };
  }

  /** The call's folded record and its stream revision (-1: no stream), looking again briefly if unknown. */
  async load(streamId: string): Promise<{ record: CallRecord; revision: number }> {
    let recorded = await this.store.readStream(streamId);
    for (const delayMs of UNKNOWN_CALL_RETRY_DELAYS_MS) {
      if (recorded.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      recorded = await this.store.readStream(streamId);
    }
    return { record: foldCall(recorded.map(toCallEvent)), revision: recorded.length === 0 ? -1 : recorded[recorded.length - 1]!.revision };
  }
}

/** Our own stored routing events (written by this service after validation): no re-validation here. */
const toCallEvent = (event: RecordedEvent): RecordedCallEvent =>
  ({ type: event.type, data: event.data, tenantId: event.tenantId, occurredAt: event.occurredAt, causationId: event.causationId }) as RecordedCallEvent;

/** The offerCallback step a call is at; UNEXPECTED_PROGRESS when it is elsewhere. */
function offerStepOf(record: CallRecord, callId: string): OfferStep {
  if (record.status === 'tracked' && record.call.status === 'routing') {
    const step = currentStep(record.call);
    if (step.kind === 'offerCallback') return step;
    const { code, kind } = CALL_ROUTER_ERRORS.UNEXPECTED_PROGRESS;
    throw new DomainError(code, kind, `call ${callId} is at step ${step.id} (${step.kind}), not at a callback offer`, [], {
      currentStepId: step.id,
      stepKind: step.kind,
    });
  }
  const { code, kind } = record.status === 'none' || record.status === 'received' ? CALL_ROUTER_ERRORS.UNKNOWN_CALL : CALL_ROUTER_ERRORS.CALL_ENDED;
  throw new DomainError(code, kind, `call ${callId} is not at a callback offer`, [{ path: 'callId', message: 'no offer in progress' }]);
}
