// Specification of the IVR callback offer (seed 003): offered only with a free slot within six days,
// one slot at a time (choose / repeat / decline), up to seven days or the offer limit, a callback
// number required when the CLI is withheld or blacklisted, bad numbers re-prompted, sessions expiring.
import {
  DEFAULT_CALL_SLOT_SETTINGS,
  DomainError,
  OfferReplySchema,
  type CallSlotSettings,
  type OfferSessionEvent,
  type TimeSlot,
} from '@cc/contracts';
import { availableOccurrences, type OccurrenceLoads } from './availability';
import { initialBlacklistState, blacklistDecider, type BlacklistState } from './blacklist.decider';
import {
  offerBookingIdempotencyKey,
  offerBookingOf,
  offerReplyOf,
  startOffer,
  stepOffer,
  type OfferCandidate,
  type OfferCommand,
  type OfferSessionState,
  type OfferStep,
} from './offer-session';
import type { CallSlotSchedule } from './occurrences';

const NOW = '2026-11-20T10:00:00.000Z'; // Friday; the window ends Thu 26th 10:00Z, the horizon Fri 27th 10:00Z
const SESSION = '7d4f8a4e-7a0c-4a0e-9a57-0c7a4b3b6e11';
const BOOKING = '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10';
const timeSlots: TimeSlot[] = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).flatMap((weekday) => [
  { weekday, start: '09:00', lengthMinutes: 60, capacity: 1 },
  { weekday, start: '14:00', lengthMinutes: 60, capacity: 1 },
]);
const schedule: CallSlotSchedule = { definition: { callSlotId: 'support-uk', zone: 'Europe/London', timeSlots }, closedDates: new Set() };
const HORIZON = '2026-11-27T10:00:00.000Z';
/** The free occurrences from `now` to the horizon, as the adapter passes them. */
const available = (loads: OccurrenceLoads = new Map(), now = NOW) => availableOccurrences(schedule, loads, now, HORIZON);
const fullUntil = (untilIso: string): OccurrenceLoads =>
  new Map([...availableOccurrences(schedule, new Map(), NOW, untilIso)].map((o) => [o.startIso, { booked: 1, capacityOverride: null }]));

const blacklist = (...values: string[]): BlacklistState =>
  values.reduce<BlacklistState>(
    (state, value) => blacklistDecider.decide({ type: 'AddBlacklistEntry', kind: value.length > 8 ? 'number' : 'prefix', value, note: null }, state).reduce(blacklistDecider.evolve, state),
    initialBlacklistState(),
  );

function start(over: { callerCli?: string | null; settings?: Partial<CallSlotSettings>; loads?: OccurrenceLoads; blacklist?: BlacklistState; candidates?: Iterable<OfferCandidate> } = {}): OfferStep {
  return startOffer({
    type: 'StartOffer',
    now: NOW,
    sessionId: SESSION,
    callId: 'call-1',
    callerCli: over.callerCli === undefined ? '+441234567890' : over.callerCli,
    callSlot: { callSlotId: 'support-uk', zone: 'Europe/London', settings: { ...DEFAULT_CALL_SLOT_SETTINGS, ...over.settings } },
    defaultCountry: 'GB',
    blacklist: over.blacklist ?? initialBlacklistState(),
    available: over.candidates ?? available(over.loads),
  });
}
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();
const key = (k: string, now = at(1), loads?: OccurrenceLoads): OfferCommand => ({ type: 'PressKey', now, key: k, available: available(loads, now) });
const digits = (d: string, now = at(1), list: BlacklistState = initialBlacklistState()): OfferCommand => ({ type: 'EnterCallbackNumber', now, digits: d, blacklist: list });
const booked = (now = at(1)): OfferCommand => ({ type: 'BookingSucceeded', now, bookingId: BOOKING });
const full = (now = at(1), loads?: OccurrenceLoads): OfferCommand => ({ type: 'BookingFailed', now, code: 'CALLBACK_SLOTS.SLOT_FULL', available: available(loads, now) });

/** Runs the steps in order from a start, collecting every event. */
function play(first: OfferStep, ...commands: OfferCommand[]): OfferStep & { all: OfferSessionEvent[] } {
  let step = first;
  const all = [...first.events];
  for (const command of commands) {
    step = stepOffer(step.state, command);
    all.push(...step.events);
  }
  return { ...step, all };
}
const types = (events: OfferSessionEvent[]) => events.map((e) => e.type);
const offeredStarts = (events: OfferSessionEvent[]) => events.flatMap((e) => (e.type === 'SlotOffered' ? [e.data.startIso] : []));
const slotOf = (state: OfferSessionState) => ('slot' in state ? state.slot.startIso : null);
function refusal(state: OfferSessionState, command: OfferCommand): DomainError {
  try {
    stepOffer(state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('offer session', () => {
  describe('start: offered only with a free time slot within the next six days', () => {
    it('offers the next available time slot first', () => {
      const step = start();
      expect(step.state.status).toBe('Offering');
      expect(types(step.events)).toEqual(['OfferStarted', 'SlotOffered']);
      expect(offerReplyOf(step.state, step.notice)).toEqual({
        sessionId: SESSION,
        status: 'offering',
        slot: {
          callSlotId: 'support-uk',
          startIso: '2026-11-20T14:00:00.000Z',
          endIso: '2026-11-20T15:00:00.000Z',
          zone: 'Europe/London',
          localDate: '2026-11-20',
          weekday: 'fri',
          localStart: '14:00',
          localEnd: '15:00',
          offerNumber: 1,
        },
        menu: { choose: '1', repeat: '2', decline: '3' },
        notice: null,
        expiresAt: '2026-11-20T10:05:00.000Z',
      });
    });

    it('skips full time slots to the first free one', () => {
      expect(slotOf(start({ loads: fullUntil('2026-11-23T00:00:00.000Z') }).state)).toBe('2026-11-23T09:00:00.000Z');
    });

    it('offers when the first free slot starts just inside the six days (Thu 26th 09:00)', () => {
      expect(slotOf(start({ loads: fullUntil('2026-11-26T09:00:00.000Z') }).state)).toBe('2026-11-26T09:00:00.000Z');
    });

    it('does not offer callbacks when the first free slot starts after the six days, although it is within seven', () => {
      const step = start({ loads: fullUntil('2026-11-26T10:00:00.000Z') }); // Thu 26th 14:00 is free
      expect(types(step.events)).toEqual(['OfferStarted', 'OfferEnded']);
      expect(step.events[1]).toMatchObject({ data: { reason: 'not-offered', bookingId: null, offeredCount: 0 } });
      expect(offerReplyOf(step.state, step.notice)).toEqual({ sessionId: SESSION, status: 'not-offered' });
    });

    it('does not offer callbacks when nothing is free at all', () => {
      expect(start({ candidates: [] }).state).toMatchObject({ status: 'Ended', reason: 'not-offered' });
    });

    it('pulls only the first candidate from the lazy list', () => {
      let pulled = 0;
      const counting = (function* () {
        for (const c of available()) {
          pulled++;
          yield c;
        }
      })();
      start({ candidates: counting });
      expect(pulled).toBe(1);
    });
  });

  describe('Offering: choose / repeat / decline', () => {
    it('repeat announces the same slot again', () => {
      const step = play(start(), key('2'));
      expect(step.state.status).toBe('Offering');
      expect(slotOf(step.state)).toBe('2026-11-20T14:00:00.000Z');
      expect(step.events).toEqual([
        { type: 'OfferRepeated', data: { sessionId: SESSION, callSlotId: 'support-uk', startIso: '2026-11-20T14:00:00.000Z', trigger: 'repeat-key', key: '2' } },
      ]);
    });

    it('decline offers the next available slot', () => {
      const step = play(start(), key('3'), key('3'));
      expect(types(step.all)).toEqual(['OfferStarted', 'SlotOffered', 'OfferDeclined', 'SlotOffered', 'OfferDeclined', 'SlotOffered']);
      expect(offeredStarts(step.all)).toEqual(['2026-11-20T14:00:00.000Z', '2026-11-21T09:00:00.000Z', '2026-11-21T14:00:00.000Z']);
      expect(offerReplyOf(step.state, step.notice)).toMatchObject({ slot: { offerNumber: 3 } });
    });

    it('decline skips a slot that was taken since it was last looked at', () => {
      const taken: OccurrenceLoads = new Map([['2026-11-21T09:00:00.000Z', { booked: 1, capacityOverride: null }]]);
      expect(slotOf(play(start(), key('3', at(1), taken)).state)).toBe('2026-11-21T14:00:00.000Z');
    });

    it('choose asks for the callback number', () => {
      const step = play(start(), key('1'));
      expect(step.events).toEqual([
        {
          type: 'OfferChosen',
          data: { sessionId: SESSION, callSlotId: 'support-uk', startIso: '2026-11-20T14:00:00.000Z', endIso: '2026-11-20T15:00:00.000Z' },
        },
      ]);
      expect(offerReplyOf(step.state, step.notice)).toMatchObject({ status: 'awaiting-number', numberRequired: false, confirmKey: '#', repromptsLeft: 3 });
    });

    it('a key not on the menu is answered with INVALID_KEY and the same slot again', () => {
      const step = play(start(), key('9'));
      expect(step.notice).toMatchObject({ code: 'CALLBACK_SLOTS.INVALID_KEY' });
      expect(step.events).toEqual([expect.objectContaining({ type: 'OfferRepeated', data: expect.objectContaining({ trigger: 'invalid-key', key: '9' }) })]);
      expect(offerReplyOf(step.state, step.notice)).toMatchObject({ status: 'offering', slot: { offerNumber: 1, startIso: '2026-11-20T14:00:00.000Z' } });
    });

    it('uses the call slot’s own keys: with choose on 5, "1" is not on the menu', () => {
      const custom = start({ settings: { dtmfKeys: { choose: '5', repeat: '6', decline: '7', confirm: '#' } } });
      expect(play(custom, key('1')).notice).toMatchObject({ code: 'CALLBACK_SLOTS.INVALID_KEY' });
      expect(play(custom, key('5')).state.status).toBe('AwaitingNumber');
      expect(offerReplyOf(custom.state, null)).toMatchObject({ menu: { choose: '5', repeat: '6', decline: '7' } });
    });
  });

  describe('offering stops after seven days or the offer limit', () => {
    it('offers every free slot up to seven days, then ends as declined-all (no callback)', () => {
      const declines = Array.from({ length: 14 }, (_, i) => key('3', at(i + 1)));
      const step = play(start({ settings: { offerLimit: 100 } }), ...declines);
      const offered = offeredStarts(step.all);
      expect(offered).toHaveLength(14);
      expect(offered.at(-1)).toBe('2026-11-27T09:00:00.000Z'); // Fri 27th 14:00 is past the seven days
      expect(step.state).toMatchObject({ status: 'Ended', reason: 'declined-all' });
      expect(step.events.at(-1)).toMatchObject({ type: 'OfferEnded', data: { reason: 'declined-all', bookingId: null, offeredCount: 14 } });
      expect(offerReplyOf(step.state, step.notice)).toEqual({ sessionId: SESSION, status: 'ended', reason: 'declined-all', notice: null });
    });

    it('ends as limit-reached once the offer limit of slots was offered and declined', () => {
      const step = play(start({ settings: { offerLimit: 3 } }), key('3'), key('3'), key('3'));
      expect(offeredStarts(step.all)).toHaveLength(3);
      expect(step.state).toMatchObject({ status: 'Ended', reason: 'limit-reached' });
    });

    it('repeats and invalid keys do not count towards the limit', () => {
      const step = play(start({ settings: { offerLimit: 2 } }), key('2'), key('9'), key('3'));
      expect(step.state.status).toBe('Offering');
      expect(offerReplyOf(step.state, null)).toMatchObject({ slot: { offerNumber: 2 } });
    });
  });

  describe('AwaitingNumber: the callback number', () => {
    it('the confirm key alone accepts a usable CLI, then the slot is booked', () => {
      const step = play(start(), key('1'), key('#'));
      expect(step.state).toMatchObject({ status: 'Booking', callbackNumber: '+441234567890' });
      expect(step.events).toEqual([expect.objectContaining({ type: 'CallbackNumberEntered', data: expect.objectContaining({ callbackNumber: '+441234567890', source: 'cli' }) })]);
      const done = play(step, booked());
      expect(done.events).toEqual([
        { type: 'OfferEnded', data: { sessionId: SESSION, callSlotId: 'support-uk', reason: 'booked', bookingId: BOOKING, offeredCount: 1 } },
      ]);
      expect(offerReplyOf(done.state, done.notice)).toMatchObject({ status: 'booked', bookingId: BOOKING, callbackNumber: '+441234567890' });
    });

    it('another number may be given although the CLI is usable; national digits are read with the default country', () => {
      const step = play(start(), key('1'), digits('07911123456'));
      expect(step.state).toMatchObject({ status: 'Booking', callbackNumber: '+447911123456' });
      expect(step.events[0]).toMatchObject({ data: { source: 'keypad' } });
    });

    it('accepts the seed’s international form without "+" (441234567890)', () => {
      expect(play(start({ callerCli: null }), key('1'), digits('441234567890')).state).toMatchObject({ callbackNumber: '+441234567890' });
    });

    describe('withheld CLI', () => {
      it('the number is required: the reply says so, and the confirm key alone is refused', () => {
        const chosen = play(start({ callerCli: null }), key('1'));
        expect(chosen.all[0]).toMatchObject({ type: 'OfferStarted', data: { callerCli: null, cliStatus: 'withheld' } });
        expect(offerReplyOf(chosen.state, null)).toMatchObject({ numberRequired: true });
        const step = play(chosen, key('#'));
        expect(step.notice).toMatchObject({ code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_REQUIRED' });
        expect(step.events).toEqual([expect.objectContaining({ type: 'CallbackNumberRejected', data: expect.objectContaining({ reason: 'required', attempt: 1, repromptsLeft: 2 }) })]);
        expect(play(chosen, digits('')).state.status).toBe('AwaitingNumber');
      });

      it('a typed number is booked', () => {
        expect(play(start({ callerCli: null }), key('1'), digits('07911123456')).state).toMatchObject({ status: 'Booking', callbackNumber: '+447911123456' });
      });
    });

    describe('blacklisted CLI', () => {
      it('is still offered, but another number is required', () => {
        const chosen = play(start({ blacklist: blacklist('+441234567890') }), key('1'));
        expect(chosen.all[0]).toMatchObject({ data: { cliStatus: 'blacklisted' } });
        expect(offerReplyOf(chosen.state, null)).toMatchObject({ numberRequired: true });
        expect(play(chosen, key('#')).notice).toMatchObject({ code: 'CALLBACK_SLOTS.CALLBACK_NUMBER_REQUIRED' });
      });

      it('a CLI under a blacklisted prefix counts as blacklisted', () => {
        expect(start({ callerCli: '+447911123456', blacklist: blacklist('+447911') }).events[0]).toMatchObject({ data: { cliStatus: 'blacklisted' } });
      });

      it('a CLI that is not a dialable number (an internal extension) must be replaced too', () => {
        const chosen = play(start({ callerCli: '2001' }), key('1'));
        expect(chosen.all[0]).toMatchObject({ data: { cliStatus: 'invalid' } });
        expect(offerReplyOf(chosen.state, null)).toMatchObject({ numberRequired: true });
      });
    });

    it.each([
      ['not a number', '12', 'invalid', 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER'],
      ['a premium-rate number', '09065000000', 'not-allowed', 'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED'],
      ['a blacklisted number', '07911123456', 'blacklisted', 'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED'],
    ])('refuses %s and asks again', (_, typed, reason, code) => {
      const step = play(start(), key('1'), digits(typed, at(2), blacklist('+447911123456')));
      expect(step.state.status).toBe('AwaitingNumber');
      expect(step.notice).toMatchObject({ code });
      expect(step.events[0]).toMatchObject({ type: 'CallbackNumberRejected', data: { reason, attempt: 1, repromptsLeft: 2 } });
    });

    it('re-prompts an invalid number at most 3 times, then ends without booking', () => {
      const chosen = play(start({ callerCli: null }), key('1'));
      const thrice = play(chosen, digits('1'), digits('2'), digits('3'));
      expect(thrice.state.status).toBe('AwaitingNumber');
      expect(offerReplyOf(thrice.state, thrice.notice)).toMatchObject({ repromptsLeft: 0 });
      const fourth = play(thrice, digits('4'));
      expect(fourth.state).toMatchObject({ status: 'Ended', reason: 'invalid-number' });
      expect(types(fourth.events)).toEqual(['CallbackNumberRejected', 'OfferEnded']);
      expect(fourth.events[1]).toMatchObject({ data: { reason: 'invalid-number', bookingId: null } });
      expect(offerReplyOf(fourth.state, fourth.notice)).toMatchObject({ status: 'ended', reason: 'invalid-number', notice: { code: 'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER' } });
    });

    it('the number of re-prompts is a setting (0: the first invalid entry ends the offer)', () => {
      expect(play(start({ callerCli: null, settings: { maxNumberReprompts: 0 } }), key('1'), digits('1')).state).toMatchObject({ status: 'Ended', reason: 'invalid-number' });
    });

    it('a valid number after refused ones is accepted', () => {
      expect(play(start({ callerCli: null }), key('1'), digits('1'), digits('07911123456')).state.status).toBe('Booking');
    });

    it('a single key other than confirm is answered with INVALID_KEY and costs no attempt', () => {
      const step = play(start(), key('1'), key('5'));
      expect(step.notice).toMatchObject({ code: 'CALLBACK_SLOTS.INVALID_KEY' });
      expect(offerReplyOf(step.state, step.notice)).toMatchObject({ status: 'awaiting-number', repromptsLeft: 3 });
    });
  });

  describe('Booking: the chosen slot was taken meanwhile', () => {
    it('says so (SLOT_FULL) and offers the next available slot; choosing it books without asking the number again', () => {
      const taken = play(start(), key('1'), digits('07911123456'), full());
      expect(types(taken.events)).toEqual(['ChosenSlotUnavailable', 'SlotOffered']);
      expect(taken.notice).toMatchObject({ code: 'CALLBACK_SLOTS.SLOT_FULL' });
      expect(offerReplyOf(taken.state, taken.notice)).toMatchObject({ status: 'offering', slot: { startIso: '2026-11-21T09:00:00.000Z', offerNumber: 2 } });
      const again = play(taken, key('1'));
      expect(again.state).toMatchObject({ status: 'Booking', callbackNumber: '+447911123456', slot: { startIso: '2026-11-21T09:00:00.000Z' } });
    });

    it('ends as no-slots-left when nothing else is free', () => {
      const step = play(start(), key('1'), key('#'), { type: 'BookingFailed', now: at(2), code: 'CALLBACK_SLOTS.SLOT_FULL', available: [] });
      expect(step.state).toMatchObject({ status: 'Ended', reason: 'no-slots-left' });
      expect(offerReplyOf(step.state, step.notice)).toMatchObject({ status: 'ended', reason: 'no-slots-left', notice: { code: 'CALLBACK_SLOTS.SLOT_FULL' } });
    });

    it('refuses keys while the booking is being made (UNEXPECTED_OFFER_STEP), and has no reply of its own', () => {
      const booking = play(start(), key('1'), key('#'));
      expect(refusal(booking.state, key('1'))).toMatchObject({ code: 'CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP', kind: 'conflict' });
      expect(refusal(booking.state, { type: 'AbandonOffer', now: at(2) }).code).toBe('CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP');
      expect(() => offerReplyOf(booking.state, null)).toThrow(/BookingSucceeded or BookingFailed/);
    });

    it('tells the adapter what to book: source ivr, the session, the call, one idempotency key per session', () => {
      const booking = play(start(), key('1'), digits('07911123456')).state;
      expect(booking.status === 'Booking' && offerBookingOf(booking)).toEqual({
        callSlotId: 'support-uk',
        startIso: '2026-11-20T14:00:00.000Z',
        callbackNumber: '+447911123456',
        callerCli: '+441234567890',
        source: 'ivr',
        campaignId: null,
        idempotencyKey: offerBookingIdempotencyKey(SESSION),
        offerSessionId: SESSION,
        callId: 'call-1',
        rescheduledFrom: null,
      });
      expect(offerBookingIdempotencyKey(SESSION)).toBe(`offer:${SESSION}`);
    });
  });

  describe('expiry, hang-up and the end', () => {
    it('a step after the TTL is refused with OFFER_SESSION_EXPIRED (gone)', () => {
      const error = refusal(start().state, key('1', at(300)));
      expect([error.code, error.kind]).toEqual(['CALLBACK_SLOTS.OFFER_SESSION_EXPIRED', 'gone']);
    });

    it('every accepted step renews the TTL', () => {
      const step = play(start(), key('2', at(299)), key('2', at(598)));
      expect(step.state.ctx.expiresAt).toBe(at(898));
    });

    it('the sweeper ends an expired session as expired; not before it expired', () => {
      expect(refusal(start().state, { type: 'ExpireOffer', now: at(10) }).code).toBe('CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP');
      const step = play(start(), { type: 'ExpireOffer', now: at(300) });
      expect(step.events).toEqual([expect.objectContaining({ type: 'OfferEnded', data: expect.objectContaining({ reason: 'expired' }) })]);
    });

    it('a hang-up ends the session as abandoned', () => {
      const step = play(start(), key('1'), { type: 'AbandonOffer', now: at(5) });
      expect(step.state).toMatchObject({ status: 'Ended', reason: 'abandoned' });
      expect(offerReplyOf(step.state, null)).toMatchObject({ status: 'ended', reason: 'abandoned' });
    });

    it('refuses any step after the end with OFFER_SESSION_ENDED; a late expiry changes nothing', () => {
      const ended = play(start(), key('1'), key('#'), booked()).state;
      expect(refusal(ended, key('1', at(2)))).toMatchObject({ code: 'CALLBACK_SLOTS.OFFER_SESSION_ENDED', details: { reason: 'booked' } });
      expect(stepOffer(ended, { type: 'ExpireOffer', now: at(1000) }).events).toEqual([]);
    });
  });

  describe('the state', () => {
    it('survives a JSON round trip (it is kept in Redis between steps)', () => {
      const chosen = play(start({ callerCli: null }), key('3'), key('1'), digits('1'));
      const restored = JSON.parse(JSON.stringify(chosen.state)) as OfferSessionState;
      expect(restored).toEqual(chosen.state);
      expect(play({ state: restored, events: [], notice: null }, digits('07911123456')).state.status).toBe('Booking');
    });

    it('every reply matches the contract schema', () => {
      const states = [
        start(),
        start({ loads: fullUntil(HORIZON) }),
        play(start(), key('9')),
        play(start(), key('1'), digits('1')),
        play(start(), key('1'), key('#'), booked()),
        play(start(), { type: 'AbandonOffer', now: at(1) }),
      ];
      for (const step of states) expect(OfferReplySchema.safeParse(offerReplyOf(step.state, step.notice)).success).toBe(true);
    });
  });
});
