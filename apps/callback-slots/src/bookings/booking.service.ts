// The booking use-cases of callback-slots (API, NATS, the IVR offer and the campaign submitter all book
// through here): one load-decide-append per occurrence stream, the capacity invariant kept by the stream's
// expected revision, idempotency keys indexed across occurrences, and the reschedule saga.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  canonicalUtcInstant,
  DomainError,
  toTimeSlotStreamId,
  type BookCallbackResponse,
  type BookingRef,
  type BookingSource,
  type BookingView,
  type CallSlotProfile,
  type OccurrenceView,
  type RescheduleBookingResponse,
} from '@cc/contracts';
import { CLOCK, CommandExecutor, Metrics, StateCache, type Clock } from '@cc/platform';
import { BlacklistReader } from '../blacklist/blacklist-reader';
import { AvailabilityService } from '../call-slots/availability.service';
import { CallSlotCatalog } from '../call-slots/call-slot-catalog';
import { TenantDirectory } from '../access/tenant-directory';
import { assertVisible } from '../access/call-slot-profile';
import { callbackNumberVerdict, type CallbackNumberVerdict } from '../domain/callback-number';
import { callbackSlotsError } from '../domain/callback-slots-error';
import { nextRescheduleStep, rescheduleBookCommand, rescheduleCancelCommand, rescheduleCompensationCommand } from '../domain/reschedule.saga';
import {
  existingBookingFor,
  timeSlotDecider,
  type BookCallback,
  type CancelBooking,
  type OccurrenceSnapshot,
  type TimeSlotCommand,
  type TimeSlotState,
} from '../domain/time-slot.decider';
import { BookingLocator } from './booking-locator';
import { BookingIdempotencyIndex } from './booking-idempotency.index';
import { bookingViewOfBooked, bookingViewsOf } from './booking-view';
import { KeyedSerializer } from './keyed-serializer';
import { PerStateMemo } from './per-state-memo';

/** Who the booking is for, and what to book. */
export type BookInput = {
  tenantId: string;
  callSlotId: string;
  /** Start of the occurrence, any ISO offset (`2026-11-23T09:00:00Z`); must be the start of one of the call slot's time slots. */
  startIso: string;
  /** As typed (`07911 123456`, `447911123456`, `+44 …`): normalised with the tenant's default country, checked against the blacklist. */
  callbackNumber: string;
  /** The CLI of the call the booking came from; null when withheld, undefined when not from a call. */
  callerCli?: string | null;
  source: BookingSource;
  /** Required for source `campaign`. */
  campaignId?: string | null;
  /** Client key (API, campaign): the same key again returns the first booking, in whichever occurrence it was made. */
  idempotencyKey?: string | null;
  /** IVR only: the offer dialogue and call that booked. */
  offerSessionId?: string | null;
  callId?: string | null;
  /** For the event envelope (`user:…`, `service:campaigns`). */
  actor: string;
  causationId?: string | null;
  /** The caller's call-slot profile (HTTP); a call slot outside it is CALL_SLOT_NOT_FOUND. Default: all. */
  profile?: CallSlotProfile;
};

export type CancelInput = {
  tenantId: string;
  bookingId: string;
  note?: string | null;
  actor: string;
  causationId?: string | null;
  profile?: CallSlotProfile;
};

export type RescheduleInput = {
  tenantId: string;
  bookingId: string;
  /** Target call slot; default: the booking's own. */
  callSlotId?: string;
  /** Start of the target occurrence, any ISO offset. */
  startIso: string;
  actor: string;
  causationId?: string | null;
  profile?: CallSlotProfile;
};

export type ChangeCapacityInput = {
  tenantId: string;
  callSlotId: string;
  startIso: string;
  /** 0..CAPACITY_MAX, or null: back to the time slot's capacity. */
  capacity: number | null;
  actor: string;
  profile?: CallSlotProfile;
};

export type FindEarliestFreeInput = {
  tenantId: string;
  callSlotId: string;
  /** Occurrences starting strictly after max(fromIso, now) ... */
  fromIso: string;
  /** ... and before this instant. */
  toIso: string;
};

/** Refusals that may rest on a cached call slot or blacklist read: checked again on exact reads before answering. */
const RECHECKED_REFUSALS: ReadonlySet<string> = new Set([
  'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND',
  'CALLBACK_SLOTS.CALL_SLOT_DELETED',
  'CALLBACK_SLOTS.UNKNOWN_OCCURRENCE',
  'CALLBACK_SLOTS.OCCURRENCE_CLOSED',
  'CALLBACK_SLOTS.SLOT_FULL',
  'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED',
]);

/** Re-decisions after a concurrent append by ANOTHER process (this one serialises its own writers per stream). */
const CONFLICT_RETRIES = 25;

@Injectable()
export class BookingService {
  /** Folded occurrence states: a booking costs one round trip (the append) while this process owns the stream. */
  private readonly timeSlots = new StateCache(20_000);
  private readonly perStream = new KeyedSerializer();
  /** Number verdicts cost CPU (libphonenumber): remembered per blacklist state. */
  private readonly verdicts = new PerStateMemo<CallbackNumberVerdict>();

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly callSlots: CallSlotCatalog,
    private readonly blacklists: BlacklistReader,
    private readonly directory: TenantDirectory,
    private readonly locator: BookingLocator,
    private readonly idempotency: BookingIdempotencyIndex,
    private readonly availability: AvailabilityService,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Books one place in an occurrence. Refusals (DomainError): CALL_SLOT_NOT_FOUND / CALL_SLOT_DELETED,
   * UNKNOWN_OCCURRENCE, INVALID_CALLBACK_NUMBER / CALLBACK_NUMBER_NOT_ALLOWED / CALLBACK_NUMBER_BLACKLISTED,
   * SLOT_IN_PAST, OCCURRENCE_CLOSED, SLOT_FULL (details `{ capacity, booked }`), IDEMPOTENCY_KEY_REUSED.
   * `created: false` when the idempotency key (or booking) was seen before: nothing new was booked.
   */
  async book(input: BookInput): Promise<BookCallbackResponse> {
    const outcomes = this.metrics.counter('callback_slots_booking_requests_total', 'Booking requests by source and outcome (booked, replayed or the refusal code)', [
      'source',
      'outcome',
    ]);
    try {
      const result = await this.bookOnce(input, false).catch((error: unknown) => {
        // Accepting may rest on a call slot / blacklist read a moment old; refusing never does.
        if (error instanceof DomainError && RECHECKED_REFUSALS.has(error.code)) return this.bookOnce(input, true);
        throw error;
      });
      outcomes.labels(input.source, result.created ? 'booked' : 'replayed').inc();
      return result;
    } catch (error) {
      outcomes.labels(input.source, error instanceof DomainError ? error.code : 'error').inc();
      throw error;
    }
  }

  private async bookOnce(input: BookInput, exact: boolean): Promise<BookCallbackResponse> {
    assertVisible(input.profile, input.callSlotId);
    const startIso = instantOf(input.startIso, 'startIso');
    const [callSlot, blacklist, country] = await Promise.all([
      this.callSlots.active(input.tenantId, input.callSlotId, { exact }),
      this.blacklists.state(input.tenantId, { exact }),
      this.directory.defaultCountry(input.tenantId),
    ]);
    const occurrence = this.callSlots.occurrenceAt(callSlot, startIso);
    const verdict = this.verdicts.get(blacklist, `${country} ${input.callbackNumber}`, () => callbackNumberVerdict(input.callbackNumber, country, blacklist));
    if (!verdict.ok) {
      throw new DomainError(verdict.code, verdict.code === 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED' ? 'unprocessable' : 'validation', verdict.message, [
        { path: 'callbackNumber', message: verdict.message },
      ]);
    }
    const command: BookCallback = {
      type: 'BookCallback',
      now: this.clock.now().toISOString(),
      bookingId: randomUUID(),
      occurrence: snapshotOf(occurrence),
      callbackNumber: verdict.e164,
      callerCli: input.callerCli ?? null,
      source: input.source,
      campaignId: input.campaignId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      offerSessionId: input.offerSessionId ?? null,
      callId: input.callId ?? null,
      rescheduledFrom: null,
    };
    const meta = { tenantId: input.tenantId, actor: input.actor, causationId: input.causationId ?? null };
    // IVR keys (`offer:{session}`) are per occurrence by design: the same session books the next slot
    // after a taken one. Client keys must hold across occurrences: the index does that.
    if (command.idempotencyKey === null || input.source === 'ivr') return this.bookInStream(command, meta);
    return this.idempotency.withKey(
      input.tenantId,
      command.idempotencyKey,
      { bookingId: command.bookingId, callSlotId: occurrence.callSlotId, startIso: occurrence.startIso },
      {
        earlier: (ref) => this.answerForEarlierKey(input.tenantId, ref, command),
        book: () => this.bookInStream(command, meta),
      },
    );
  }

  /** Cancels a live booking (reason `requested`); cancelling it again with that reason changes nothing. */
  async cancel(input: CancelInput): Promise<BookingView> {
    const ref = await this.locator.locate(input.tenantId, input.bookingId, input.profile);
    const command: CancelBooking = {
      type: 'CancelBooking',
      bookingId: ref.bookingId,
      occurrence: { callSlotId: ref.callSlotId, startIso: ref.startIso },
      reason: 'requested',
      rescheduledTo: null,
      note: input.note ?? null,
    };
    await this.execute(input.tenantId, ref, command, { actor: input.actor, causationId: input.causationId ?? null });
    return this.view(input.tenantId, ref);
  }

  /**
   * Moves a booking to another occurrence: book the new one first (idempotency key `reschedule:{old}`),
   * then cancel the old one pointing at it. If the new occurrence is full, started or closed, the old
   * booking is untouched and the refusal is thrown. A retried request finishes what a crash left.
   */
  async reschedule(input: RescheduleInput): Promise<RescheduleBookingResponse> {
    const oldRef = await this.locator.locate(input.tenantId, input.bookingId, input.profile);
    const targetSlotId = input.callSlotId ?? oldRef.callSlotId;
    assertVisible(input.profile, targetSlotId);
    const startIso = instantOf(input.startIso, 'startIso');
    const meta = { tenantId: input.tenantId, actor: input.actor, causationId: input.causationId ?? null };

    const [oldStream, callSlot] = await Promise.all([
      this.executor.load(streamOf(input.tenantId, oldRef), timeSlotDecider),
      this.callSlots.active(input.tenantId, targetSlotId, { exact: true }),
    ]);
    const record = oldStream.state.status === 'Open' ? oldStream.state.bookings.get(oldRef.bookingId) : undefined;
    if (!record) throw callbackSlotsError('BOOKING_NOT_FOUND', `no booking ${oldRef.bookingId}`, [{ path: 'bookingId', message: 'unknown booking' }]);
    const target = snapshotOf(this.callSlots.occurrenceAt(callSlot, startIso));

    // A retry of a reschedule that already completed answers with its result.
    if (record.status === 'cancelled' && record.cancelReason === 'rescheduled' && record.rescheduledTo !== null) {
      const moved = record.rescheduledTo;
      if (moved.callSlotId === target.callSlotId && moved.startIso === target.startIso) {
        return { booking: await this.view(input.tenantId, moved), previous: await this.view(input.tenantId, oldRef) };
      }
    }

    const book = rescheduleBookCommand({ now: this.clock.now().toISOString(), old: { ref: oldRef, record }, target, newBookingId: randomUUID() });
    const booked = await this.bookInStream(book, meta);
    const moved: BookingRef = { bookingId: booked.booking.bookingId, callSlotId: target.callSlotId, startIso: target.startIso };
    try {
      await this.execute(input.tenantId, oldRef, rescheduleCancelCommand(oldRef, moved), meta);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CALLBACK_SLOTS.BOOKING_NOT_ACTIVE') {
        // Cancelled by someone else in between: the new half must not survive it.
        await this.execute(input.tenantId, moved, rescheduleCompensationCommand(moved), meta);
      }
      throw error;
    }
    return { booking: await this.view(input.tenantId, moved), previous: await this.view(input.tenantId, oldRef) };
  }

  /**
   * Finishes (cancels the old half) or compensates (cancels the new half) one reschedule interrupted
   * between its two steps; `moved` is the new booking, `old` what its `rescheduledFrom` points at.
   * Returns what was done. Used by the RescheduleReconciler; safe to run while the request still runs.
   */
  async completeReschedule(tenantId: string, moved: BookingRef, old: BookingRef, actor: string): Promise<'done' | 'cancel-old' | 'compensate'> {
    const oldStream = await this.executor.load(streamOf(tenantId, old), timeSlotDecider);
    const step = nextRescheduleStep(moved, old, oldStream.state);
    if (step.kind === 'done') return 'done';
    try {
      await this.execute(tenantId, step.kind === 'cancel-old' ? old : moved, step.command, { actor, causationId: null });
    } catch (error) {
      // The old booking was cancelled otherwise between our read and our write: compensate instead.
      if (step.kind === 'cancel-old' && error instanceof DomainError && error.code === 'CALLBACK_SLOTS.BOOKING_NOT_ACTIVE') {
        return this.completeReschedule(tenantId, moved, old, actor);
      }
      throw error;
    }
    return step.kind;
  }

  /**
   * Sets (number) or clears (null) one occurrence's own capacity. Lowering it below the live bookings
   * keeps every one of them and only refuses new ones. Answers with the occurrence's load from its stream.
   */
  async changeOccurrenceCapacity(input: ChangeCapacityInput): Promise<OccurrenceView> {
    assertVisible(input.profile, input.callSlotId);
    const callSlot = await this.callSlots.active(input.tenantId, input.callSlotId, { exact: true });
    const occurrence = this.callSlots.occurrenceAt(callSlot, instantOf(input.startIso, 'startIso'));
    const result = await this.execute(
      input.tenantId,
      occurrence,
      {
        type: 'ChangeOccurrenceCapacity',
        now: this.clock.now().toISOString(),
        occurrence: { callSlotId: occurrence.callSlotId, startIso: occurrence.startIso, endIso: occurrence.endIso },
        capacity: input.capacity,
      },
      { actor: input.actor, causationId: null },
    );
    const override = result.state.status === 'Open' ? result.state.capacityOverride : null;
    const booked = result.state.status === 'Open' ? result.state.live : 0;
    const capacity = override ?? occurrence.capacity;
    return {
      startIso: occurrence.startIso,
      endIso: occurrence.endIso,
      localDate: occurrence.localDate,
      weekday: occurrence.weekday,
      localStart: occurrence.localStart,
      localEnd: occurrence.localEnd,
      capacity,
      capacityOverridden: override !== null,
      booked,
      free: occurrence.closed ? 0 : Math.max(0, capacity - booked),
      closed: occurrence.closed,
    };
  }

  /** The first occurrence with a free place starting after max(fromIso, now) and before toIso (projection loads), or null. */
  findEarliestFree(input: FindEarliestFreeInput): Promise<OccurrenceView | null> {
    return this.availability.earliestFree(input.tenantId, input.callSlotId, instantOf(input.fromIso, 'from'), instantOf(input.toIso, 'to'));
  }

  /** A booking as its occurrence stream holds it (exact, not the projection). */
  async get(tenantId: string, bookingId: string, profile?: CallSlotProfile): Promise<BookingView> {
    return this.view(tenantId, await this.locator.locate(tenantId, bookingId, profile));
  }

  // ---------------------------------------------------------------- internals

  private async bookInStream(command: BookCallback, meta: Meta): Promise<BookCallbackResponse> {
    const ref = { bookingId: command.bookingId, callSlotId: command.occurrence.callSlotId, startIso: command.occurrence.startIso };
    const result = await this.execute(meta.tenantId, ref, command, meta);
    const [booked] = result.events;
    if (booked) {
      this.locator.remember(meta.tenantId, ref);
      return { booking: bookingViewOfBooked(booked.data as Parameters<typeof bookingViewOfBooked>[0], booked.occurredAt), created: true };
    }
    const earlier = existingBookingFor(command, result.state);
    if (!earlier) throw new Error(`BookCallback ${command.bookingId} appended nothing and matched no earlier booking`);
    return { booking: await this.view(meta.tenantId, { ...ref, bookingId: earlier.bookingId }), created: false };
  }

  /** The idempotency index found an earlier booking for the key (maybe in another occurrence). */
  private async answerForEarlierKey(tenantId: string, ref: BookingRef, command: BookCallback): Promise<BookCallbackResponse | null> {
    const stream = await this.executor.load(streamOf(tenantId, ref), timeSlotDecider);
    const record = stream.state.status === 'Open' ? stream.state.bookings.get(ref.bookingId) : undefined;
    if (!record) return null; // reserved by an attempt that never booked: the index hands the key over
    const same =
      record.callbackNumber === command.callbackNumber && record.source === command.source && record.campaignId === command.campaignId;
    const sameOccurrence = ref.callSlotId === command.occurrence.callSlotId && ref.startIso === command.occurrence.startIso;
    if (!same || !sameOccurrence) {
      throw callbackSlotsError(
        'IDEMPOTENCY_KEY_REUSED',
        `idempotency key "${command.idempotencyKey}" was used for booking ${ref.bookingId} at ${ref.callSlotId} ${ref.startIso}`,
        [{ path: 'idempotencyKey', message: `already used for booking ${ref.bookingId} with different content` }],
        { bookingId: ref.bookingId },
      );
    }
    return { booking: await this.view(tenantId, ref), created: false };
  }

  /** One command on one occurrence stream; this process runs one command per stream at a time. */
  private execute(tenantId: string, ref: Pick<BookingRef, 'callSlotId' | 'startIso'>, command: TimeSlotCommand, meta: Omit<Meta, 'tenantId'>) {
    const streamId = streamOf(tenantId, ref);
    return this.perStream.run(streamId, () =>
      this.executor.execute<TimeSlotState, TimeSlotCommand, Parameters<typeof timeSlotDecider.evolve>[1]>({
        streamId,
        decider: timeSlotDecider,
        command,
        tenantId,
        actor: meta.actor,
        causationId: meta.causationId,
        cache: this.timeSlots,
        retries: CONFLICT_RETRIES,
      }),
    );
  }

  private async view(tenantId: string, ref: BookingRef): Promise<BookingView> {
    const stream = await this.executor.load(streamOf(tenantId, ref), timeSlotDecider);
    const view = bookingViewsOf(stream.events).get(ref.bookingId);
    if (!view) throw callbackSlotsError('BOOKING_NOT_FOUND', `no booking ${ref.bookingId}`, [{ path: 'bookingId', message: 'unknown booking' }]);
    return view;
  }
}

type Meta = { tenantId: string; actor: string; causationId: string | null };

const streamOf = (tenantId: string, ref: Pick<BookingRef, 'callSlotId' | 'startIso'>): string =>
  toTimeSlotStreamId(tenantId, ref.callSlotId, ref.startIso);

const snapshotOf = (o: { callSlotId: string; startIso: string; endIso: string; capacity: number; closed: boolean }): OccurrenceSnapshot => ({
  callSlotId: o.callSlotId,
  startIso: o.startIso,
  endIso: o.endIso,
  capacity: o.capacity,
  closed: o.closed,
});

/** The UTC form of an ISO instant with offset, or a 400 naming the field. */
function instantOf(iso: string, path: string): string {
  try {
    return canonicalUtcInstant(iso);
  } catch {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path, message: 'an ISO 8601 instant with offset, e.g. 2026-11-23T09:00:00Z' },
    ]);
  }
}
