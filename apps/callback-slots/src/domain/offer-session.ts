// The IVR callback offer (seed 003) as a pure state machine: one time slot at a time, choose / repeat /
// decline by DTMF, then a callback number; the adapter stores the state, books, and reports the events.
//
// Adapter duties: keep the state in Redis (it is plain JSON) with the TTL from `ctx.expiresAt`; a missing
// key is CALLBACK_SLOTS.OFFER_SESSION_EXPIRED too. On `Booking`, book `offerBookingOf(state)` and feed
// BookingSucceeded / BookingFailed before replying. Append each step's events to
// `offersession-{tenant}-{sessionId}`. Pass `available` as `availableOccurrences(…, now, ctx.horizonEndIso)`.
import type {
  CallSlotSettings,
  CliStatus,
  CountryCode,
  DtmfKeyMap,
  OfferedSlot,
  OfferEndReason,
  OfferNotice,
  OfferReply,
  OfferSessionEvent,
} from '@cc/contracts';
import type { Weekday } from '@cc/scheduling';
import { daysAhead } from './availability';
import type { BlacklistState } from './blacklist.decider';
import { callbackSlotsError } from './callback-slots-error';
import { callbackNumberVerdict } from './callback-number';
import type { BookCallback } from './time-slot.decider';

// ---------------------------------------------------------------- state

/**
 * A time slot that could be offered, as `availableOccurrences` yields it. The adapter passes them
 * start-ascending; the machine reads only as far as it needs, skips any that start before `now` or
 * the last one offered, or that have no free place, and stops at the offer horizon.
 */
export type OfferCandidate = {
  readonly startIso: string;
  readonly endIso: string;
  readonly localDate: string;
  readonly weekday: Weekday;
  readonly localStart: string;
  readonly localEnd: string;
  readonly free: number;
};

/** What every state carries; plain JSON so the adapter can store it as is. */
export type OfferContext = {
  readonly sessionId: string;
  readonly callSlotId: string;
  readonly callId: string;
  readonly zone: string;
  readonly callerCli: string | null;
  readonly cliStatus: CliStatus;
  /** The CLI in E.164 when `cliStatus` is `usable`. */
  readonly cliNumber: string | null;
  readonly defaultCountry: CountryCode;
  readonly keys: DtmfKeyMap;
  readonly offerLimit: number;
  readonly maxNumberReprompts: number;
  readonly ttlSeconds: number;
  /** Offered at all only if a free slot starts before this (start + offerWindowDays). */
  readonly windowEndIso: string;
  /** Slots are offered up to here (start + offerHorizonDays). */
  readonly horizonEndIso: string;
  /** Different slots offered so far. */
  readonly offeredCount: number;
  /** Callback numbers refused so far. */
  readonly numberRejections: number;
  /** Kept once settled: if the chosen slot is taken meanwhile, the next choice books without asking again. */
  readonly callbackNumber: { readonly e164: string; readonly source: 'keypad' | 'cli' } | null;
  readonly expiresAt: string;
};

export type OfferSessionState =
  | { readonly status: 'Offering'; readonly ctx: OfferContext; readonly slot: OfferedSlot }
  | { readonly status: 'AwaitingNumber'; readonly ctx: OfferContext; readonly slot: OfferedSlot }
  /** The adapter must now book `slot` for `callbackNumber` and report BookingSucceeded / BookingFailed. */
  | { readonly status: 'Booking'; readonly ctx: OfferContext; readonly slot: OfferedSlot; readonly callbackNumber: string }
  | { readonly status: 'Booked'; readonly ctx: OfferContext; readonly slot: OfferedSlot; readonly bookingId: string; readonly callbackNumber: string }
  | { readonly status: 'Ended'; readonly ctx: OfferContext; readonly reason: Exclude<OfferEndReason, 'booked'> };

export type OfferStatus = OfferSessionState['status'];

// ---------------------------------------------------------------- commands

export type StartOffer = {
  type: 'StartOffer';
  now: string;
  sessionId: string;
  callId: string;
  /** null: withheld. */
  callerCli: string | null;
  callSlot: { callSlotId: string; zone: string; settings: CallSlotSettings };
  /** The tenant's default country: reads national numbers (`07911 123456`). */
  defaultCountry: CountryCode;
  blacklist: BlacklistState;
  available: Iterable<OfferCandidate>;
};

export type PressKey = { type: 'PressKey'; now: string; key: string; available: Iterable<OfferCandidate> };
/** Digits typed before the confirm key; empty: "call me on the number I am calling from". */
export type EnterCallbackNumber = { type: 'EnterCallbackNumber'; now: string; digits: string; blacklist: BlacklistState };
export type BookingSucceeded = { type: 'BookingSucceeded'; now: string; bookingId: string };
/** The booking was refused because the slot is no longer bookable; other errors are not the caller's to hear. */
export type BookingFailed = {
  type: 'BookingFailed';
  now: string;
  code: 'CALLBACK_SLOTS.SLOT_FULL' | 'CALLBACK_SLOTS.SLOT_IN_PAST' | 'CALLBACK_SLOTS.OCCURRENCE_CLOSED';
  available: Iterable<OfferCandidate>;
};
/** The caller hung up. */
export type AbandonOffer = { type: 'AbandonOffer'; now: string };
/** The session's TTL passed (a sweeper reports it; the only step accepted after expiry). */
export type ExpireOffer = { type: 'ExpireOffer'; now: string };

export type OfferCommand = PressKey | EnterCallbackNumber | BookingSucceeded | BookingFailed | AbandonOffer | ExpireOffer;

export type OfferStep = {
  readonly state: OfferSessionState;
  /** For reporting, in order; empty only when the step changed nothing (an expiry after the end). */
  readonly events: OfferSessionEvent[];
  /** Why the IVR hears what it hears (invalid key, slot taken meanwhile, number refused), or null. */
  readonly notice: OfferNotice | null;
};

// ---------------------------------------------------------------- start

/**
 * Starts a session at `now`: offers the first free slot when one starts within the offer window
 * (seed: six days), otherwise ends at once as `not-offered`.
 */
export function startOffer(command: StartOffer): OfferStep {
  const { callSlot, now } = command;
  const { settings } = callSlot;
  const cli = cliOf(command);
  const ctx: OfferContext = {
    sessionId: command.sessionId,
    callSlotId: callSlot.callSlotId,
    callId: command.callId,
    zone: callSlot.zone,
    callerCli: command.callerCli,
    cliStatus: cli.status,
    cliNumber: cli.e164,
    defaultCountry: command.defaultCountry,
    keys: settings.dtmfKeys,
    offerLimit: settings.offerLimit,
    maxNumberReprompts: settings.maxNumberReprompts,
    ttlSeconds: settings.offerSessionTtlSeconds,
    windowEndIso: daysAhead(now, callSlot.zone, settings.offerWindowDays),
    horizonEndIso: daysAhead(now, callSlot.zone, settings.offerHorizonDays),
    offeredCount: 0,
    numberRejections: 0,
    callbackNumber: null,
    expiresAt: expiry(now, settings.offerSessionTtlSeconds),
  };
  const events: OfferSessionEvent[] = [
    {
      type: 'OfferStarted',
      data: { ...ids(ctx), callId: ctx.callId, callerCli: ctx.callerCli, cliStatus: ctx.cliStatus, expiresAt: ctx.expiresAt },
    },
  ];
  const first = nextCandidate(command.available, null, now, ctx.horizonEndIso);
  if (first === null || Date.parse(first.startIso) >= Date.parse(ctx.windowEndIso)) {
    return end(ctx, 'not-offered', events, null);
  }
  return offer(ctx, first, events, null);
}

// ---------------------------------------------------------------- steps

export function stepOffer(state: OfferSessionState, command: OfferCommand): OfferStep {
  if (state.status === 'Booked' || state.status === 'Ended') {
    if (command.type === 'ExpireOffer') return { state, events: [], notice: null }; // a sweeper racing the end
    throw callbackSlotsError('OFFER_SESSION_ENDED', `offer session ${state.ctx.sessionId} has ended`, [], {
      status: state.status,
      reason: state.status === 'Ended' ? state.reason : 'booked',
    });
  }
  const expired = Date.parse(command.now) >= Date.parse(state.ctx.expiresAt);
  if (command.type === 'ExpireOffer') {
    if (!expired || state.status === 'Booking') throw unexpected(state, command);
    return end(state.ctx, 'expired', [], null);
  }
  if (expired) {
    throw callbackSlotsError('OFFER_SESSION_EXPIRED', `offer session ${state.ctx.sessionId} expired at ${state.ctx.expiresAt}`);
  }
  // Every accepted step renews the TTL (the adapter sets the Redis key's TTL from `expiresAt`).
  const ctx: OfferContext = { ...state.ctx, expiresAt: expiry(command.now, state.ctx.ttlSeconds) };

  switch (command.type) {
    case 'PressKey':
      if (state.status === 'Offering') return pressWhileOffering({ ...state, ctx }, command);
      if (state.status === 'AwaitingNumber') {
        // The confirm key alone = "use the number I am calling from"; digits come with EnterCallbackNumber.
        if (command.key === ctx.keys.confirm) return settleNumber({ ...state, ctx }, '', null);
        return {
          state: { ...state, ctx },
          events: [{ type: 'OfferRepeated', data: { ...ids(ctx), startIso: state.slot.startIso, trigger: 'invalid-key', key: command.key } }],
          notice: notice('CALLBACK_SLOTS.INVALID_KEY', `key "${command.key}" does not work here; type the number, then ${ctx.keys.confirm}`),
        };
      }
      throw unexpected(state, command);
    case 'EnterCallbackNumber':
      if (state.status !== 'AwaitingNumber') throw unexpected(state, command);
      return settleNumber({ ...state, ctx }, command.digits, command.blacklist);
    case 'BookingSucceeded':
      if (state.status !== 'Booking') throw unexpected(state, command);
      return {
        state: { status: 'Booked', ctx, slot: state.slot, bookingId: command.bookingId, callbackNumber: state.callbackNumber },
        events: [{ type: 'OfferEnded', data: { ...ids(ctx), reason: 'booked', bookingId: command.bookingId, offeredCount: ctx.offeredCount } }],
        notice: null,
      };
    case 'BookingFailed': {
      if (state.status !== 'Booking') throw unexpected(state, command);
      const events: OfferSessionEvent[] = [
        { type: 'ChosenSlotUnavailable', data: { ...ids(ctx), startIso: state.slot.startIso, code: command.code } },
      ];
      const taken = notice(command.code, `the ${state.slot.localStart} slot on ${state.slot.localDate} was just taken; offering the next one`);
      return offerNextOrEnd(ctx, state.slot.startIso, command.now, command.available, events, 'no-slots-left', taken);
    }
    case 'AbandonOffer':
      // While booking, the booking's outcome decides how the session ends; the adapter finishes it first.
      if (state.status === 'Booking') throw unexpected(state, command);
      return end(ctx, 'abandoned', [], null);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function pressWhileOffering(state: Extract<OfferSessionState, { status: 'Offering' }>, command: PressKey): OfferStep {
  const { ctx, slot } = state;
  const at = { ...ids(ctx), startIso: slot.startIso };
  switch (command.key) {
    case ctx.keys.choose: {
      const events: OfferSessionEvent[] = [{ type: 'OfferChosen', data: { ...at, endIso: slot.endIso } }];
      if (ctx.callbackNumber !== null) {
        // The number was settled for a slot taken meanwhile: book straight away.
        return { state: { status: 'Booking', ctx, slot, callbackNumber: ctx.callbackNumber.e164 }, events, notice: null };
      }
      return { state: { status: 'AwaitingNumber', ctx, slot }, events, notice: null };
    }
    case ctx.keys.repeat:
      return { state, events: [{ type: 'OfferRepeated', data: { ...at, trigger: 'repeat-key', key: command.key } }], notice: null };
    case ctx.keys.decline:
      return offerNextOrEnd(ctx, slot.startIso, command.now, command.available, [{ type: 'OfferDeclined', data: at }], 'declined-all', null);
    default:
      return {
        state,
        events: [{ type: 'OfferRepeated', data: { ...at, trigger: 'invalid-key', key: command.key } }],
        notice: notice(
          'CALLBACK_SLOTS.INVALID_KEY',
          `key "${command.key}" is not on the menu (${ctx.keys.choose} choose, ${ctx.keys.repeat} repeat, ${ctx.keys.decline} next)`,
        ),
      };
  }
}

/** `blacklist` null: the caller accepted their own CLI, which was checked at the start. */
function settleNumber(state: Extract<OfferSessionState, { status: 'AwaitingNumber' }>, digits: string, blacklist: BlacklistState | null): OfferStep {
  const { ctx, slot } = state;
  if (digits === '') {
    if (ctx.cliStatus === 'usable' && ctx.cliNumber !== null) return settled(ctx, slot, ctx.cliNumber, 'cli');
    return rejectNumber(state, 'required', notice('CALLBACK_SLOTS.CALLBACK_NUMBER_REQUIRED', requiredMessage(ctx.cliStatus)));
  }
  const verdict = callbackNumberVerdict(digits, ctx.defaultCountry, blacklist ?? { status: 'Empty' });
  if (!verdict.ok) return rejectNumber(state, verdict.reason, notice(verdict.code, verdict.message));
  return settled(ctx, slot, verdict.e164, 'keypad');
}

function settled(ctx: OfferContext, slot: OfferedSlot, e164: string, source: 'keypad' | 'cli'): OfferStep {
  const next: OfferContext = { ...ctx, callbackNumber: { e164, source } };
  return {
    state: { status: 'Booking', ctx: next, slot, callbackNumber: e164 },
    events: [{ type: 'CallbackNumberEntered', data: { ...ids(ctx), callbackNumber: e164, source } }],
    notice: null,
  };
}

/** Asks again while re-prompts are left (`maxNumberReprompts`, default 3); the one after that ends the offer. */
function rejectNumber(
  state: Extract<OfferSessionState, { status: 'AwaitingNumber' }>,
  reason: 'invalid' | 'not-allowed' | 'blacklisted' | 'required',
  why: OfferNotice,
): OfferStep {
  const ctx: OfferContext = { ...state.ctx, numberRejections: state.ctx.numberRejections + 1 };
  const repromptsLeft = Math.max(0, ctx.maxNumberReprompts - ctx.numberRejections);
  const events: OfferSessionEvent[] = [
    { type: 'CallbackNumberRejected', data: { ...ids(ctx), reason, attempt: ctx.numberRejections, repromptsLeft } },
  ];
  if (ctx.numberRejections > ctx.maxNumberReprompts) return end(ctx, 'invalid-number', events, why);
  return { state: { ...state, ctx }, events, notice: why };
}

/** After a decline or a taken slot: the offer limit, then the next free slot after `afterIso`, else `whenNoneLeft`. */
function offerNextOrEnd(
  ctx: OfferContext,
  afterIso: string,
  now: string,
  available: Iterable<OfferCandidate>,
  events: OfferSessionEvent[],
  whenNoneLeft: 'declined-all' | 'no-slots-left',
  why: OfferNotice | null,
): OfferStep {
  if (ctx.offeredCount >= ctx.offerLimit) return end(ctx, 'limit-reached', events, why);
  const next = nextCandidate(available, afterIso, now, ctx.horizonEndIso);
  if (next === null) return end(ctx, whenNoneLeft, events, why);
  return offer(ctx, next, events, why);
}

function offer(ctx: OfferContext, candidate: OfferCandidate, events: OfferSessionEvent[], why: OfferNotice | null): OfferStep {
  const next: OfferContext = { ...ctx, offeredCount: ctx.offeredCount + 1 };
  const slot: OfferedSlot = {
    callSlotId: ctx.callSlotId,
    startIso: candidate.startIso,
    endIso: candidate.endIso,
    zone: ctx.zone,
    localDate: candidate.localDate,
    weekday: candidate.weekday,
    localStart: candidate.localStart,
    localEnd: candidate.localEnd,
    offerNumber: next.offeredCount,
  };
  return {
    state: { status: 'Offering', ctx: next, slot },
    events: [
      ...events,
      { type: 'SlotOffered', data: { ...ids(ctx), startIso: slot.startIso, endIso: slot.endIso, offerNumber: slot.offerNumber } },
    ],
    notice: why,
  };
}

function end(ctx: OfferContext, reason: Exclude<OfferEndReason, 'booked'>, events: OfferSessionEvent[], why: OfferNotice | null): OfferStep {
  return {
    state: { status: 'Ended', ctx, reason },
    events: [...events, { type: 'OfferEnded', data: { ...ids(ctx), reason, bookingId: null, offeredCount: ctx.offeredCount } }],
    notice: why,
  };
}

/**
 * The first candidate starting after both `now` and `afterIso` with a free place, or null when
 * none starts before the horizon. Reads the iterable lazily and stops at the horizon.
 */
function nextCandidate(available: Iterable<OfferCandidate>, afterIso: string | null, now: string, horizonEndIso: string): OfferCandidate | null {
  const floor = Math.max(Date.parse(now), afterIso === null ? Number.NEGATIVE_INFINITY : Date.parse(afterIso));
  const horizon = Date.parse(horizonEndIso);
  for (const candidate of available) {
    const start = Date.parse(candidate.startIso);
    if (start <= floor) continue;
    if (start >= horizon) return null;
    if (candidate.free > 0) return candidate;
  }
  return null;
}

// ---------------------------------------------------------------- replies

/** The NATS reply for a state (and the step's notice). A `Booking` state is never answered: book first. */
export function offerReplyOf(state: OfferSessionState, why: OfferNotice | null): OfferReply {
  const { ctx } = state;
  switch (state.status) {
    case 'Offering':
      return {
        sessionId: ctx.sessionId,
        status: 'offering',
        slot: state.slot,
        menu: { choose: ctx.keys.choose, repeat: ctx.keys.repeat, decline: ctx.keys.decline },
        notice: why,
        expiresAt: ctx.expiresAt,
      };
    case 'AwaitingNumber':
      return {
        sessionId: ctx.sessionId,
        status: 'awaiting-number',
        slot: state.slot,
        numberRequired: ctx.cliStatus !== 'usable',
        confirmKey: ctx.keys.confirm,
        repromptsLeft: Math.max(0, ctx.maxNumberReprompts - ctx.numberRejections),
        notice: why,
        expiresAt: ctx.expiresAt,
      };
    case 'Booking':
      throw new Error(`offer session ${ctx.sessionId} is booking: report BookingSucceeded or BookingFailed before replying`);
    case 'Booked':
      return { sessionId: ctx.sessionId, status: 'booked', bookingId: state.bookingId, slot: state.slot, callbackNumber: state.callbackNumber };
    case 'Ended':
      return state.reason === 'not-offered'
        ? { sessionId: ctx.sessionId, status: 'not-offered' }
        : { sessionId: ctx.sessionId, status: 'ended', reason: state.reason, notice: why };
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

/**
 * The idempotency key the adapter books with for a session: a retried step (or a crash between
 * booking and storing the session) books once. Keys are per occurrence stream, so the same key
 * books the next slot after a taken one.
 */
export const offerBookingIdempotencyKey = (sessionId: string): string => `offer:${sessionId}`;

/**
 * What the adapter books for a session in `Booking` (with a fresh booking id and the occurrence read
 * from the call slot): a BookCallback without `type`, `now`, `bookingId` and `occurrence`.
 */
export function offerBookingOf(state: Extract<OfferSessionState, { status: 'Booking' }>) {
  const { ctx, slot } = state;
  return {
    callSlotId: slot.callSlotId,
    startIso: slot.startIso,
    callbackNumber: state.callbackNumber,
    callerCli: ctx.callerCli,
    source: 'ivr' as const,
    campaignId: null,
    idempotencyKey: offerBookingIdempotencyKey(ctx.sessionId),
    offerSessionId: ctx.sessionId,
    callId: ctx.callId,
    rescheduledFrom: null,
  } satisfies Omit<BookCallback, 'type' | 'now' | 'bookingId' | 'occurrence'> & { callSlotId: string; startIso: string };
}

// ---------------------------------------------------------------- helpers

function cliOf(command: StartOffer): { status: CliStatus; e164: string | null } {
  if (command.callerCli === null) return { status: 'withheld', e164: null };
  const verdict = callbackNumberVerdict(command.callerCli, command.defaultCountry, command.blacklist);
  if (verdict.ok) return { status: 'usable', e164: verdict.e164 };
  return { status: verdict.reason === 'blacklisted' ? 'blacklisted' : 'invalid', e164: null };
}

function requiredMessage(status: CliStatus): string {
  switch (status) {
    case 'withheld':
      return 'the caller withheld their number: a callback number must be entered';
    case 'blacklisted':
      return 'the caller\'s number cannot be called back: another number must be entered';
    case 'invalid':
      return 'the caller\'s number is not a dialable number: a callback number must be entered';
    case 'usable':
      return 'a callback number must be entered';
    default: {
      const _exhaustive: never = status;
      return _exhaustive;
    }
  }
}

const ids = (ctx: OfferContext) => ({ sessionId: ctx.sessionId, callSlotId: ctx.callSlotId });
const expiry = (now: string, ttlSeconds: number): string => new Date(Date.parse(now) + ttlSeconds * 1000).toISOString();
const notice = (code: string, message: string): OfferNotice => ({ code, message });

function unexpected(state: OfferSessionState, command: OfferCommand) {
  return callbackSlotsError('UNEXPECTED_OFFER_STEP', `${command.type} does not fit offer session ${state.ctx.sessionId} in state ${state.status}`, [], {
    status: state.status,
  });
}
