// `npm run demo`: a walk through the four seed stories on the running services (started here if they
// are not), with a fresh demo company. Every routing decision is printed step by step with the router's
// own trace of why, so a newcomer sees what the product does. It ends with a callback firing.
import { randomUUID } from 'node:crypto';
import { ApiError, until } from '../../libs/e2e/src/client/api-client';
import { callLogs, decisionOf, progress, publishFlow, route, stepOf, type CallProgressReply, type RoutePlan } from '../../libs/e2e/src/client/routing';
import { ensureAgent } from '../../libs/e2e/src/client/platform-client';
import { DEMO_ZONE, mondayOf, seedDemo, type DemoTenant } from '../dev/seed-demo';
import { bold, chapter, dim, green, local, magenta, namesOf, note, say, scene, showDecision, showPlan, yellow, type Names } from './narrate';
import { useOrStartServices } from './services';

const CALLER = '+441134960999';

type IsOpen = { open: boolean; decidedBy: { kind: string; templateName?: string | null }; week?: { index: number; templateId: string } };
type OfferReply =
  | { status: 'not-offered'; sessionId: string }
  | { status: 'offering'; sessionId: string; slot: OfferedSlot; menu: { choose: string; repeat: string; decline: string }; notice: { message: string } | null }
  | { status: 'awaiting-number'; sessionId: string; slot: OfferedSlot; numberRequired: boolean; confirmKey: string }
  | { status: 'booked'; sessionId: string; bookingId: string; slot: OfferedSlot; callbackNumber: string }
  | { status: 'ended'; sessionId: string; reason: string };
type OfferedSlot = { startIso: string; localDate: string; weekday: string; localStart: string; localEnd: string; offerNumber: number };
type CallbackView = {
  status: string;
  dueAt: string | null;
  firedAt: string | null;
  attempts: {
    attempt: number;
    legs: ({ kind: 'agent'; targets: { kind: string; extension?: string; e164?: string; agentId: string | null }[]; ringSeconds: number } | { kind: 'customer'; number: string; ringSeconds: number })[];
  }[];
};

/** The UTC instant of a local wall-clock time in `zone` (outside DST changes, which the demo avoids). */
function instant(date: string, time: string, zone = DEMO_ZONE): string {
  const guess = Date.parse(`${date}T${time}:00.000Z`);
  const offsetName = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(guess)).find((p) => p.type === 'timeZoneName')!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetName);
  const offsetMin = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(guess - offsetMin * 60_000).toISOString();
}
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const plusSeconds = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one chapter; a failure is shown and the demo goes on with the next one (and exits with 1). */
async function chapterGuard<T>(chapterRun: () => Promise<T>): Promise<T | undefined> {
  try {
    return await chapterRun();
  } catch (error) {
    process.exitCode = 1;
    say(`    ${yellow('this part failed:')} ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** How long until the router plans differently after a change (the seed's hosted product: up to 24 hours). */
async function timeUntilRouterShows(what: string, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  await until(what, probe, 15_000, 5);
  return Date.now() - started;
}

async function main(): Promise<void> {
  say(bold('Call-control platform: a walk through the seed stories'));
  say(dim('Every decision below is made by the running call-router from its live replicas of agents, schedules, diverts and call slots.'));
  const services = await useOrStartServices((line) => say(dim(line)));
  try {
    const tenantId = `demo-${Date.now().toString(36)}`;
    chapter('A demo company', [
      `A fresh tenant "${tenantId}" is set up through the public APIs (what \`npm start\` does once for "demo"):`,
      'a manager with two reportees, a rotating office schedule, a divert, a call slot for callbacks, and call flows.',
    ]);
    const demo = await seedDemo({ tenantId, urls: services.urls, log: (line) => note(dim(line)) });
    const { maya, sam, alex } = demo.agents;
    const names = namesOf([maya, sam, alex]);
    await until('the router knows the demo flows', async () => (await route(demo.session, { number: demo.number, cli: CALLER })).outcome === 'routed', 120_000);

    const weekOf = mondayOf(new Date(), DEMO_ZONE);
    const mondays = [addDays(weekOf, 7), addDays(weekOf, 14)];
    await chapterGuard(() => scheduleStory(demo, names, mondays));
    const calls = await chapterGuard(() => agentStory(demo, names, mondays[0]));
    await chapterGuard(() => divertStory(demo, names, mondays[0]));
    if (calls) await chapterGuard(() => callLogStory(demo, names, mondays[0], calls));
    await chapterGuard(() => callbackStory(demo, names));
    chapter('That was it', [
      `Look around: token for the tenant: ${bold(`node dist/tools/dev/token.js --tenant ${tenantId} --role ADMIN`)}`,
      'APIs and their OpenAPI docs: http://127.0.0.1:3101/docs (agents) … :3105/docs (router).',
    ]);
  } finally {
    await services.stop();
  }
}

// ------------------------------------------------------------------------------------ seed 000

async function scheduleStory(demo: DemoTenant, names: Names, mondays: string[]): Promise<void> {
  chapter('1. A rotating schedule (seed 000)', [
    'The office runs two weekly schedules that alternate: Schedule 1 (08:00-16:00) and Schedule 2 (12:00-20:00),',
    'starting with Schedule 1 this week. The main line asks the schedule: open → a menu, closed → offer a callback.',
  ]);
  const { session } = demo;
  const plans: Record<string, RoutePlan> = {};
  for (const monday of mondays) {
    const at = instant(monday, '10:00');
    const open = await session.schedule.get<IsOpen>(`/v1/schedules/${demo.scheduleId}/open`, { at });
    scene(`A call to the main line on ${local(at, DEMO_ZONE)} (rotation week ${open.week?.index ?? '?'}: ${open.week?.templateId === 'week-a' ? 'Schedule 1' : 'Schedule 2'}, ${open.open ? 'open' : 'closed'})`);
    plans[monday] = await route(session, { number: demo.number, cli: CALLER, at });
    showPlan(plans[monday], names);
  }
  const closedMonday = mondays.find((m) => decisionOf(plans[m]).steps[0]?.kind !== 'menu') ?? mondays[1];
  const closedAt = instant(closedMonday, '10:00');

  scene('The manager switches the schedule to 24/7 (it overrides the rotation without deleting it)');
  await session.schedule.put(`/v1/schedules/${demo.scheduleId}/mode`, { mode: '24/7' });
  const ms = await timeUntilRouterShows('24/7 reaches the router', async () => decisionOf(await route(session, { number: demo.number, cli: CALLER, at: closedAt })).steps[0]?.kind === 'menu');
  note(`${green(`live after ${ms} ms`)}: the same call on ${local(closedAt, DEMO_ZONE)} now reaches the menu:`);
  showPlan(await route(session, { number: demo.number, cli: CALLER, at: closedAt }), names, { trace: true });

  scene('…and back to the rotating schedule');
  await session.schedule.put(`/v1/schedules/${demo.scheduleId}/mode`, { mode: 'custom' });
  await timeUntilRouterShows('custom reaches the router', async () => decisionOf(await route(session, { number: demo.number, cli: CALLER, at: closedAt })).steps[0]?.kind !== 'menu');
  note(`the call on ${local(closedAt, DEMO_ZONE)} is offered a callback again.`);
}

// ------------------------------------------------------------------------------------ seed 002

async function agentStory(demo: DemoTenant, names: Names, monday: string): Promise<{ sam: string; alex: string }> {
  const { session } = demo;
  const { sam, alex } = demo.agents;
  chapter('2. Agents: ring preferences and working hours (seed 002)', [
    `${sam.name} (ext ${sam.extension}) prefers "extension, then mobile after 15 s"; ${alex.name} (ext ${alex.extension}) "extension only".`,
    'Both work 09:00-12:00 and 13:00-17:00 (Europe/London). Outside those hours their after-hours policy applies:',
    `${sam.name}: voicemail; ${alex.name}: forward to the on-call service 0113 496 0500.`,
  ]);

  const samCall = `demo-${randomUUID()}`;
  const at = instant(monday, '10:00');
  scene(`A call to ${sam.name}'s direct line, ${local(at, DEMO_ZONE)}`);
  const plan = await route(session, { number: demo.directLines.sam, cli: CALLER, callId: samCall, at });
  showPlan(plan, names);
  const ringing = decisionOf(plan).currentStepId;
  note(`${dim('SIP edge:')} no answer on the extension after 15 s`);
  const next = await progress(session, samCall, { kind: 'no-answer', stepId: ringing, at: plusSeconds(at, 15) });
  showReply(next, names);
  if (next.outcome === 'continue') {
    note(`${dim('SIP edge:')} ${sam.name} answers on the mobile (pressing 1), talks for two minutes`);
    await progress(session, samCall, { kind: 'answered', stepId: next.decision.currentStepId, at: plusSeconds(at, 22) });
    await progress(session, samCall, { kind: 'hangup', at: plusSeconds(at, 142) });
  }

  const lunch = instant(monday, '12:30');
  scene(`The same line during the lunch break, ${local(lunch, DEMO_ZONE)}`);
  showPlan(await route(session, { number: demo.directLines.sam, cli: CALLER, at: lunch }), names);

  const evening = instant(monday, '18:00');
  scene(`${alex.name}'s direct line in the evening, ${local(evening, DEMO_ZONE)}`);
  showPlan(await route(session, { number: demo.directLines.alex, cli: CALLER, at: evening }), names);

  // A call Alex answers, for the call-log chapter.
  const alexCall = `demo-${randomUUID()}`;
  const alexAt = instant(monday, '11:00');
  const alexPlan = await route(session, { number: demo.directLines.alex, cli: CALLER, callId: alexCall, at: alexAt });
  await progress(session, alexCall, { kind: 'answered', stepId: decisionOf(alexPlan).currentStepId, at: plusSeconds(alexAt, 6) });
  await progress(session, alexCall, { kind: 'hangup', at: plusSeconds(alexAt, 66) });
  return { sam: samCall, alex: alexCall };
}

// ------------------------------------------------------------------------------------ seed 001

async function divertStory(demo: DemoTenant, names: Names, monday: string): Promise<void> {
  const { session } = demo;
  const { maya, sam, alex } = demo.agents;
  const at = instant(monday, '10:30');
  const callAlex = () => route(session, { number: demo.directLines.alex, cli: CALLER, at });
  const callSam = () => route(session, { number: demo.directLines.sam, cli: CALLER, at });
  chapter('3. Diverts (seed 001)', [
    'Per extension: forward always, on no answer (after a ring time), on busy, on unreachable; to voicemail,',
    'another extension or an outside number. The hosted product takes up to 24 hours to apply a change: here, watch.',
  ]);

  scene(`${alex.name} is on a call (the SIP edge reports it) and his busy divert goes to ${sam.name}`);
  const sipEdge = await session.as('SERVICE', { sub: 'service:sip-edge' });
  await sipEdge.directory.put(`/v1/devices/${alex.extension}/state`, { registration: 'registered', activity: 'onCall', observedAt: new Date().toISOString() });
  await until('the device state reaches the router', async () => decisionOf(await callAlex()).trace.some((t) => t.code === 'device.onCall'));
  showPlan(await callAlex(), names);
  await sipEdge.directory.put(`/v1/devices/${alex.extension}/state`, { registration: 'registered', activity: 'idle', observedAt: new Date().toISOString() });

  scene(`${sam.name} sets "on no answer, after 20 s, divert to 441234567890" (typed like that)`);
  await session.divert.put(`/v1/extensions/${sam.extension}/diverts/noAnswer`, { target: { kind: 'number', number: '441234567890' }, ringSeconds: 20 });
  let ms = await timeUntilRouterShows('the no-answer divert reaches the router', async () =>
    decisionOf(await callSam()).steps.some((s) => s.kind === 'forward'),
  );
  note(green(`live after ${ms} ms:`));
  showPlan(await callSam(), names);

  scene(`${alex.name} goes on holiday: "forward always" to ${maya.name} (ext ${maya.extension}); his phone does not ring at all`);
  await session.divert.put(`/v1/extensions/${alex.extension}/diverts/always`, { target: { kind: 'extension', extension: maya.extension }, reason: 'holiday' });
  ms = await timeUntilRouterShows('the always divert reaches the router', async () => decisionOf(await callAlex()).trace.some((t) => t.code === 'divert.always'));
  note(green(`live after ${ms} ms:`));
  showPlan(await callAlex(), names);

  scene(`${alex.name} is back: the divert is cleared, and the very next call rings him again`);
  await session.divert.delete(`/v1/extensions/${alex.extension}/diverts/always`);
  ms = await timeUntilRouterShows('the cleared divert reaches the router', async () => !decisionOf(await callAlex()).trace.some((t) => t.code === 'divert.always'));
  note(green(`live after ${ms} ms:`));
  showPlan(await callAlex(), names, { trace: false });
}

// ------------------------------------------------------------------------------------ seed 002: call logs

async function callLogStory(demo: DemoTenant, names: Names, monday: string, calls: { sam: string; alex: string }): Promise<void> {
  const { maya, sam, alex } = demo.agents;
  chapter('4. Who sees which calls (seed 002)', [
    `${maya.name} is the reporting manager of ${sam.name} and ${alex.name}: she sees their calls; each agent sees only their own.`,
  ]);
  const range = { from: instant(monday, '00:00'), to: instant(addDays(monday, 1), '00:00') };
  const asMaya = await demo.session.as('MANAGER', { agentId: maya.agentId, sub: `maya@${demo.tenantId}`, privileges: ['agents:read', 'callLogs:read', 'performance:read'] });
  const asAlex = await demo.session.as('AGENT', { agentId: alex.agentId, sub: `alex@${demo.tenantId}`, privileges: ['agents:read', 'callLogs:read'] });
  const page = await until('the calls are in the call log', async () => {
    const p = await callLogs(asMaya, range);
    const ids = p.items.map((c) => c.callId);
    return ids.includes(calls.sam) && ids.includes(calls.alex) ? p : null;
  });
  const listCalls = (items: typeof page.items) => {
    for (const c of items) note(`${c.callId.slice(0, 13)}…  to ${c.number}  ${c.outcome ?? c.status}${c.answeredBy ? `, answered by ${names.byAgent.get(c.answeredBy) ?? c.answeredBy}` : ''}`);
  };
  scene(`${maya.name} (MANAGER) opens the call log for ${monday}`);
  listCalls(page.items);
  scene(`${alex.name} (AGENT) opens the call log`);
  listCalls((await callLogs(asAlex, range)).items);
  scene(`${alex.name} asks for ${sam.name}'s calls`);
  try {
    await callLogs(asAlex, { ...range, agentId: sam.agentId });
    note(yellow('unexpectedly allowed'));
  } catch (error) {
    note(`${yellow('refused')}: ${error instanceof ApiError ? `${error.status} ${error.problem.title ?? error.code}` : String(error)}`);
  }
}

// ------------------------------------------------------------------------------------ seed 003

async function callbackStory(demo: DemoTenant, names: Names): Promise<void> {
  const { session } = demo;
  chapter('5. Callbacks in call slots (seed 003)', [
    'When the office is closed the main line offers a callback: free time slots are read out one by one',
    '(1 choose, 2 repeat, 3 next). Each slot takes at most 3 callbacks; a full slot is never offered.',
  ]);
  scene('A fire alarm: the manager closes the office now (emergency override "closed", beats every rule)');
  await session.schedule.put(`/v1/schedules/${demo.scheduleId}/emergency`, { state: 'closed', reason: 'Fire alarm' });
  await until('the emergency reaches the router', async () => decisionOf(await route(session, { number: demo.number, cli: CALLER })).steps[0]?.kind === 'offerCallback');
  try {
    await offerDialogue(demo, names);
  } finally {
    await session.schedule.delete(`/v1/schedules/${demo.scheduleId}/emergency`);
  }
  await callbackFires(demo, names);
}

/** A caller with a withheld number goes through the offer: declines twice, repeats, chooses, types a number. */
async function offerDialogue(demo: DemoTenant, names: Names): Promise<void> {
  const { session } = demo;
  const callId = `demo-${randomUUID()}`;
  scene(`A caller with a withheld number rings the main line, now (${local(new Date().toISOString(), DEMO_ZONE)})`);
  const plan = await route(session, { number: demo.number, cli: null, callId });
  showPlan(plan, names);
  const offerStep = stepOf(decisionOf(plan));
  if (offerStep.kind !== 'offerCallback') {
    note(yellow(`(no callback offered: ${offerStep.kind})`));
    return;
  }

  const ivr = (text: string) => note(`${magenta('IVR:')} ${text}`);
  const caller = (text: string) => note(`${bold('caller:')} ${text}`);
  const slotWords = (slot: OfferedSlot) =>
    `${new Intl.DateTimeFormat('en-GB', { timeZone: DEMO_ZONE, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(slot.startIso))} at ${slot.localStart}`;
  // The IVR talks to the router only: it asks for the offer's first prompt, then sends the caller's keys as
  // call progress; the router runs the dialogue with callback-slots and answers with the next prompt.
  const first = await session.router.get<{ offer: OfferReply }>(`/v1/calls/${encodeURIComponent(callId)}/offer`);
  let offer: OfferReply = first.offer;
  let last: CallProgressReply | null = null;
  const press = async (digits: string, meaning: string): Promise<void> => {
    caller(`presses ${digits} (${meaning})`);
    last = await progress(session, callId, { kind: 'dtmf', digits });
    const next = (last as { offer?: OfferReply }).offer;
    if (!next) throw new Error(`no prompt from the router: ${JSON.stringify(last)}`);
    offer = next;
  };
  for (const [key, meaning] of [
    ['3', 'another time'],
    ['3', 'another time'],
    ['2', 'say it again'],
    ['1', 'this one'],
  ] as const) {
    if (offer.status !== 'offering') break;
    ivr(`"We can call you back on ${slotWords(offer.slot)}. Press 1 to choose it, 2 to hear it again, 3 for another time." ${dim(`(slot ${offer.slot.offerNumber})`)}`);
    await press(key, meaning);
  }
  if (offer.status === 'awaiting-number') {
    ivr(`"Your number is withheld: please type the number we should call, then ${offer.confirmKey}."`);
    await press(`07911123456${offer.confirmKey}`, 'a mobile number, then the confirm key');
  }
  if (offer.status === 'booked') {
    const booked = offer;
    ivr(`"Thank you. We will call you on ${slotWords(booked.slot)}." ${dim(`(booking ${booked.bookingId}, callback number ${booked.callbackNumber})`)}`);
    if (last) showReply(last, names);
    const scheduled = await until('the callback is scheduled', async () => {
      const view = await session.slots.get<CallbackView>(`/v1/callbacks/${booked.bookingId}`);
      return view.dueAt ? view : null;
    });
    note(`callback scheduled (BullMQ) for ${local(scheduled.dueAt!, DEMO_ZONE)}`);
  } else {
    note(yellow(`the dialogue ended: ${JSON.stringify(offer)}`));
  }
}

/** A call slot with five-minute slots from the next minute on: a caller takes the first, and it fires. */
async function callbackFires(demo: DemoTenant, names: Names): Promise<void> {
  const { session } = demo;
  scene('So as not to wait for that slot: an "express" line with a call slot whose first slot starts within a minute');
  note('Robin (ext 2009, on duty around the clock) answers it; when Robin does not answer, callers are offered a callback,');
  note('and Robin\'s team is who the router dials back (the ring node that leads to the offer).');
  const { agent: robin } = await ensureAgent(session, { name: 'Robin Reyes', extension: '2009' });
  names.byAgent.set(robin.agentId, robin.name);
  names.byExtension.set(robin.extension, robin.name);
  const first = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
  const parts = (ms: number) => {
    const f = new Intl.DateTimeFormat('en-GB', { timeZone: DEMO_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
    const get = (t: string) => f.find((p) => p.type === t)!.value;
    return { weekday: get('weekday').toLowerCase().slice(0, 3), start: `${get('hour')}:${get('minute')}` };
  };
  const timeSlots = [0, 5, 10]
    .map((m) => first + m * 60_000)
    .map((ms) => ({ ...parts(ms), lengthMinutes: 5, capacity: 3 }))
    .filter((s) => s.start < '23:55');
  await session.slots.post('/v1/call-slots', { callSlotId: 'express', name: 'Express callbacks', zone: DEMO_ZONE, timeSlots });
  const expressLine = '+441134960009';
  await publishFlow(session, {
    number: expressLine,
    name: 'Express line',
    start: 'robin',
    nodes: {
      robin: { type: 'ringAgent', agentId: robin.agentId, ringSeconds: 20, onNoAnswer: 'offer' },
      offer: { type: 'offerCallback', callSlotId: 'express', fallback: 'voicemail' },
      voicemail: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'demo-main' } },
    },
  });
  await until('the router knows the express line', async () => {
    const p = await route(session, { number: expressLine, cli: CALLER });
    return p.outcome === 'routed' && decisionOf(p).trace.some((t) => t.code === 'callback.offerable');
  });
  const callId = `demo-${randomUUID()}`;
  const plan = await route(session, { number: expressLine, cli: CALLER, callId });
  note(`${dim('SIP edge:')} Robin's phone rings 20 s, nobody answers`);
  const offered = await progress(session, callId, { kind: 'no-answer', stepId: decisionOf(plan).currentStepId });
  const offer = (offered as { offer?: OfferReply }).offer;
  if (offer?.status !== 'offering') {
    note(yellow(`not offered: ${JSON.stringify(offered)}`));
    return;
  }
  note(`${magenta('IVR:')} "We can call you back today at ${offer.slot.localStart}. Press 1 to choose it…"  ${bold('caller:')} presses 1, then # (use my number ${CALLER})`);
  await progress(session, callId, { kind: 'dtmf', digits: offer.menu.choose });
  const reply = await progress(session, callId, { kind: 'dtmf', digits: '#' });
  const booked = (reply as { offer?: OfferReply }).offer;
  if (booked?.status !== 'booked') {
    note(yellow(`not booked: ${JSON.stringify(reply)}`));
    return;
  }
  const due = Date.parse(booked.slot.startIso);
  note(`booked ${booked.bookingId}; due ${local(booked.slot.startIso, DEMO_ZONE)}. Waiting for it to fire…`);
  let view: CallbackView | null = null;
  let lastShown = 0;
  while (Date.now() < due + 60_000) {
    view = await session.slots.get<CallbackView>(`/v1/callbacks/${booked.bookingId}`);
    if (view.attempts.length > 0) break;
    const left = Math.max(0, Math.round((due - Date.now()) / 1000));
    if (lastShown === 0 || lastShown - left >= 10) {
      note(dim(`  … ${left} s`));
      lastShown = left || 1;
    }
    await sleep(left > 3 ? 1000 : 100);
  }
  if (!view || view.attempts.length === 0) {
    note(yellow(`the callback has not fired (status ${view?.status ?? 'unknown'}): see tmp/demo/callback-slots.log and call-router.log`));
    return;
  }
  const lateMs = Date.parse(view.firedAt!) - due;
  note(green(`FIRED at ${view.firedAt} (${lateMs} ms after the slot start).`) + ' The router answered the dial plan:');
  for (const leg of view.attempts[0].legs) {
    if (leg.kind === 'agent') {
      const targets = leg.targets.map((t) => (t.kind === 'extension' ? `extension ${t.extension}` : t.e164) + (t.agentId ? ` (${names.byAgent.get(t.agentId) ?? t.agentId})` : '')).join(' + ');
      note(`  1. ring the agent side: ${targets} for ${leg.ringSeconds} s`);
    } else {
      note(`  2. then the customer: ${leg.number} for ${leg.ringSeconds} s`);
    }
  }
  const done = await session.slots.post<CallbackView>(`/v1/callbacks/${booked.bookingId}/outcomes`, { attempt: view.attempts[0].attempt, outcome: 'answered' });
  note(`${dim('dialer:')} answered → the callback is ${green(done.status)}.`);
}

function showReply(reply: CallProgressReply, names: Names): void {
  switch (reply.outcome) {
    case 'continue':
      note(dim('router: next'));
      showDecision(reply.decision, names);
      break;
    case 'connected':
      note(`router: connected (${reply.legId ?? reply.stepId})`);
      break;
    case 'passThrough':
      note(`router: keys go to ${reply.service}`);
      break;
    case 'ended':
      note(`router: call ended: ${reply.callOutcome}`);
      break;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
