// Seed 003, call slots: nobody answers, so the flow offers a callback; the caller hears the time slots
// one by one, declines two, repeats one, chooses the third, and types a callback number because the CLI
// is withheld. Another caller takes the next slot with their own number: that callback fires at the
// slot's start (BullMQ, in-process precise timer) and the router answers the dial plan. A call slot
// whose time slots are all full is not offered at all.
import { randomUUID } from 'node:crypto';
import { ensureAgent, type AgentView } from './client/platform-client';
import { until } from './client/api-client';
import { currentStep, decisionOf, progress, publishFlow, route, stepOf, traceCodes, type CallProgressReply } from './client/routing';
import { NUMBERS, newStory, type Story } from './harness/story';

type Slot = { startIso: string; offerNumber: number; localStart: string };
type OfferReply =
  | { status: 'not-offered'; sessionId: string }
  | { status: 'offering'; sessionId: string; slot: Slot; menu: { choose: string; repeat: string; decline: string } }
  | { status: 'awaiting-number'; sessionId: string; slot: Slot; numberRequired: boolean; confirmKey: string }
  | { status: 'booked'; sessionId: string; bookingId: string; slot: Slot; callbackNumber: string }
  | { status: 'ended'; sessionId: string; reason: string };
type Booking = { bookingId: string; startIso: string; callbackNumber: string; callerCli: string | null; source: string; status: string };
type CallbackView = {
  status: string;
  dueAt: string | null;
  firedAt: string | null;
  attempts: { attempt: number; legs: ({ kind: 'agent'; targets: { kind: string; extension?: string; agentId: string | null }[] } | { kind: 'customer'; number: string })[] }[];
};

const SUPPORT_LINE = NUMBERS.line;
const TINY_LINE = '+441134960002';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Five-minute time slots (the shortest) starting at the first whole minute at least `marginMs` from now, in UTC. */
function nearTimeSlots(count: number, marginMs: number): { weekday: string; start: string; lengthMinutes: number; capacity: number; startIso: string }[] {
  const slots = [];
  let start = Math.ceil((Date.now() + marginMs) / 60_000) * 60_000;
  while (slots.length < count) {
    const d = new Date(start);
    const minuteOfDay = d.getUTCHours() * 60 + d.getUTCMinutes();
    if (minuteOfDay > 24 * 60 - 5) {
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1); // would cross midnight: next day 00:00
      continue;
    }
    const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    slots.push({ weekday: WEEKDAYS[d.getUTCDay()], start: hhmm, lengthMinutes: 5, capacity: 3, startIso: d.toISOString() });
    start += 5 * 60_000;
  }
  return slots;
}

describe('call slots (seed 003)', () => {
  let story: Story;
  let cleo: AgentView;
  let slots: ReturnType<typeof nearTimeSlots>;
  let earlyBooking: Booking;

  /**
   * The IVR only talks to the router: keys go to `POST /v1/calls/{callId}/events` as dtmf, the router
   * passes them to callback-slots' offer dialogue and answers with its next prompt (`offer`).
   */
  const pressKeys = async (callId: string, digits: string): Promise<{ reply: CallProgressReply; offer: OfferReply }> => {
    const reply = await progress(story.admin, callId, { kind: 'dtmf', digits });
    const offer = (reply as { offer?: OfferReply }).offer;
    if (!offer) throw new Error(`no offer prompt in the router's reply to ${digits}: ${JSON.stringify(reply)}`);
    return { reply, offer };
  };

  /** A call nobody answers: the router moves it to the callback offer and answers with the first prompt. */
  const unansweredCall = async (cli: string | null) => {
    const callId = `e2e-${randomUUID()}`;
    const plan = await route(story.admin, { number: SUPPORT_LINE, cli, callId });
    const ringing = currentStep(plan);
    expect(ringing).toMatchObject({ kind: 'ring' });
    const next = await progress(story.admin, callId, { kind: 'no-answer', stepId: ringing.id });
    if (next.outcome !== 'continue') throw new Error(`expected the offer, got ${JSON.stringify(next)}`);
    const offer = (next as { offer?: OfferReply }).offer;
    if (!offer) throw new Error(`no offer prompt with the offer step: ${JSON.stringify(next)}`);
    // The route decision planned the offer already (and traced why it is offerable).
    return { callId, offerStep: stepOf(next.decision), routeTrace: traceCodes(decisionOf(plan)), offer };
  };

  beforeAll(async () => {
    story = await newStory({ needs: ['callback-slots', 'call-router'], features: ['callSlots'] });
    const { admin } = story;
    // The first slot starts within about a minute: enough time to book it, short enough to wait for it.
    slots = nearTimeSlots(4, 30_000);
    ({ agent: cleo } = await ensureAgent(admin, { name: 'Cleo Callbacks', extension: '2001' }));

    await admin.slots.post('/v1/call-slots', {
      callSlotId: 'support',
      name: 'Support callbacks',
      zone: 'Etc/UTC',
      timeSlots: slots.map(({ startIso: _s, ...slot }) => slot),
    });
    // The other call slot has one time slot in the next six days, with one place.
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000);
    await admin.slots.post('/v1/call-slots', {
      callSlotId: 'tiny',
      name: 'Tiny callbacks',
      zone: 'Etc/UTC',
      timeSlots: [{ weekday: WEEKDAYS[inTwoDays.getUTCDay()], start: '10:00', lengthMinutes: 60, capacity: 1 }],
    });

    for (const [number, callSlotId] of [
      [SUPPORT_LINE, 'support'],
      [TINY_LINE, 'tiny'],
    ] as const) {
      await publishFlow(admin, {
        number,
        name: `Support (${callSlotId})`,
        start: 'queue',
        nodes: {
          queue: { type: 'ringAgent', agentId: cleo.agentId, ringSeconds: 20, onNoAnswer: 'offer' },
          offer: { type: 'offerCallback', callSlotId, fallback: 'box' },
          box: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'support' } },
        },
      });
    }
    await until('the router offers callbacks on both lines', async () => {
      for (const number of [SUPPORT_LINE, TINY_LINE]) {
        const decision = decisionOf(await route(admin, { number, cli: NUMBERS.caller }));
        if (!traceCodes(decision).includes('callback.offerable')) return false;
      }
      return true;
    });

    // Booked first, so its callback is due while the other stories run: a caller who gives up waiting
    // takes the first slot offered, with the number they are calling from (the confirm key alone).
    const { callId, offerStep, offer } = await unansweredCall(NUMBERS.caller);
    expect(offerStep).toMatchObject({ kind: 'offerCallback', callSlotId: 'support', callerCli: NUMBERS.caller });
    if (offer.status !== 'offering') throw new Error(`expected an offer, got ${JSON.stringify(offer)}`);
    expect(offer.slot.startIso).toBe(slots[0].startIso);
    const chosen = await pressKeys(callId, offer.menu.choose);
    expect(chosen.offer).toMatchObject({ status: 'awaiting-number', numberRequired: false, confirmKey: '#' });
    const booked = await pressKeys(callId, '#');
    if (booked.offer.status !== 'booked') throw new Error(`expected a booking, got ${JSON.stringify(booked.offer)}`);
    expect(booked.offer.callbackNumber).toBe(NUMBERS.caller);
    earlyBooking = await admin.slots.get<Booking>(`/v1/bookings/${booked.offer.bookingId}`);
  }, 60_000);

  it('withheld CLI: declines twice, repeats once, chooses the third slot and types a callback number', async () => {
    const { callId, offerStep, routeTrace, offer: first } = await unansweredCall(null);
    expect(routeTrace).toContain('callback.offerable');
    expect(offerStep).toMatchObject({ kind: 'offerCallback', callSlotId: 'support', callerCli: null });
    if (first.status !== 'offering') throw new Error(`expected an offer, got ${JSON.stringify(first)}`);
    expect(first.slot).toMatchObject({ startIso: slots[0].startIso, offerNumber: 1 });

    const second = await pressKeys(callId, first.menu.decline);
    expect(second.reply).toMatchObject({ outcome: 'passThrough', service: 'callback-slots', callSlotId: 'support' });
    expect(second.offer).toMatchObject({ status: 'offering', slot: { startIso: slots[1].startIso, offerNumber: 2 } });
    const third = await pressKeys(callId, first.menu.decline);
    expect(third.offer).toMatchObject({ status: 'offering', slot: { startIso: slots[2].startIso, offerNumber: 3 } });
    const repeated = await pressKeys(callId, first.menu.repeat);
    expect(repeated.offer).toMatchObject({ status: 'offering', slot: { startIso: slots[2].startIso, offerNumber: 3 } });

    const chosen = await pressKeys(callId, first.menu.choose);
    // The CLI is withheld: the caller must type a number.
    expect(chosen.offer).toMatchObject({ status: 'awaiting-number', numberRequired: true, slot: { startIso: slots[2].startIso } });
    const booked = await pressKeys(callId, '07911123456#');
    if (booked.offer.status !== 'booked') throw new Error(`expected a booking, got ${JSON.stringify(booked.offer)}`);
    expect(booked.offer).toMatchObject({ callbackNumber: '+447911123456', slot: { startIso: slots[2].startIso } });
    // The dialogue is over: the call ends as "callback booked".
    const ended = booked.reply;
    if (ended.outcome === 'continue') expect(stepOf(ended.decision)).toMatchObject({ kind: 'hangup', reason: 'callbackBooked' });
    else expect(ended).toMatchObject({ outcome: 'ended', callOutcome: 'callbackBooked' });

    const booking = await story.admin.slots.get<Booking>(`/v1/bookings/${booked.offer.bookingId}`);
    expect(booking).toMatchObject({ status: 'booked', startIso: slots[2].startIso, callbackNumber: '+447911123456', callerCli: null, source: 'ivr' });
    // The callback is scheduled for the slot's start.
    const callback = await until('the callback is scheduled', async () => {
      const view = await story.admin.slots.get<CallbackView>(`/v1/callbacks/${booking.bookingId}`);
      return view.dueAt ? view : null;
    });
    expect(callback).toMatchObject({ status: 'scheduled', dueAt: slots[2].startIso, firedAt: null });
  });

  it('a call slot whose time slots are all full is not offered', async () => {
    const [occurrence] = await until('the tiny call slot has an occurrence', async () => {
      const from = new Date().toISOString().slice(0, 10);
      const to = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
      const calendar = await story.admin.slots.get<{ days: { occurrences: { startIso: string; free: number }[] }[] }>('/v1/call-slots/tiny/calendar', { from, to });
      const found = calendar.days.flatMap((d) => d.occurrences);
      return found.length ? found : null;
    });
    expect(occurrence.free).toBe(1);
    // A campaign books the last place.
    await story.admin.slots.post('/v1/bookings', { callSlotId: 'tiny', startIso: occurrence.startIso, callbackNumber: '01234 567890', source: 'api' });

    // No free place within the offer window: the IVR is told not to offer (once the booking is counted).
    await until('the full call slot is not offered', async () => {
      const offer = await story.admin.slots.post<OfferReply>('/v1/offers', { callSlotId: 'tiny', callId: `e2e-${randomUUID()}`, callerCli: NUMBERS.caller });
      // (A session opened before the booking counted just expires with its TTL.)
      return offer.status === 'not-offered';
    });

    // The router's replica learns the booking: the flow takes the fallback instead of offering.
    const decision = await until('the router sees the full call slot', async () => {
      const d = decisionOf(await route(story.admin, { number: TINY_LINE, cli: NUMBERS.caller }));
      const ring = d.steps[0];
      if (ring.kind !== 'ring') return null;
      const after = stepOf(d, ring.on.noAnswer);
      return after.kind === 'voicemail' ? d : null;
    });
    expect(traceCodes(decision)).toContain('callback.notOfferable');
  });

  it('the callback fires at its time and the router answers the dial plan (agent first, then the customer)', async () => {
    const callback = await until(
      'the callback fires',
      async () => {
        const view = await story.admin.slots.get<CallbackView>(`/v1/callbacks/${earlyBooking.bookingId}`);
        return view.attempts.length > 0 ? view : null;
      },
      // Due at the first whole minute at least 30 s after the setup started, plus the time to fire.
      Date.parse(slots[0].startIso) - Date.now() + 30_000,
      250,
    );
    expect(callback.firedAt).not.toBeNull();
    expect(Date.parse(callback.firedAt!)).toBeGreaterThanOrEqual(Date.parse(slots[0].startIso)); // never early
    expect(callback.status).toBe('dialling');
    const [attempt] = callback.attempts;
    expect(attempt.legs[0]).toMatchObject({ kind: 'agent', targets: [expect.objectContaining({ kind: 'extension', extension: '2001', agentId: cleo.agentId })] });
    expect(attempt.legs[1]).toMatchObject({ kind: 'customer', number: NUMBERS.caller });

    // The dialer connects them: the callback is done.
    const done = await story.admin.slots.post<CallbackView>(`/v1/callbacks/${earlyBooking.bookingId}/outcomes`, { attempt: 1, outcome: 'answered' });
    expect(done.status).toBe('completed');
  }, 120_000);
});
