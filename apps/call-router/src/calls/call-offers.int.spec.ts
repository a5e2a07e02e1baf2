// The DTMF callback-offer dialogue through the router on the real PostgreSQL and NATS: the router starts
// callback-slots' dialogue when a call reaches an offerCallback step, passes keys and the typed number
// through, and moves the call on when the dialogue ends (booked -> hang up). callback-slots itself is a
// scripted stand-in behind the OfferDialogue port (its NATS client is the production adapter).
import { randomUUID } from 'node:crypto';
import { CallbackDispatchSubjects, type CallbackDialPlanReply, type CallOfferResponse, type CallProgressReply, type OfferReply, type OfferedSlot } from '@cc/contracts';
import { rpcRequest } from '@cc/platform';
import { eventually, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, startRouterTestApp, TenantEvents, type RouterTestApp } from '../../test/call-router-test-app';
import { agent, agentIdOf, callSlot, describeSteps, device } from '../domain/routing.fixture';
import type { CallView } from './call-view.service';
import type { OfferDialogue } from './offer-dialogue';

jest.setTimeout(60_000);

const NUMBER = '+442071838500';
const AT = '2026-11-23T10:00:00Z'; // Monday; the call slot has a free time slot on Tuesday

const slot = (offerNumber: number): OfferedSlot => {
  const hour = String(8 + offerNumber).padStart(2, '0');
  return {
    callSlotId: 'support-uk',
    startIso: `2026-11-24T${hour}:00:00.000Z`,
    endIso: `2026-11-24T${hour}:30:00.000Z`,
    zone: 'Europe/London',
    localDate: '2026-11-24',
    weekday: 'tue',
    localStart: `${hour}:00`,
    localEnd: `${hour}:30`,
    offerNumber,
  };
};

/** callback-slots' dialogue, scripted: decline (3) offers the next slot, choose (1) asks for a number, `#` books. */
class ScriptedOfferDialogue implements OfferDialogue {
  readonly calls: string[] = [];
  private offered = new Map<string, number>();

  async start(_tenant: string, request: { callId: string; callerCli: string | null }): Promise<OfferReply> {
    const sessionId = randomUUID();
    this.calls.push(`start ${request.callerCli}`);
    this.offered.set(sessionId, 1);
    return this.offering(sessionId);
  }
  async dtmf(_tenant: string, request: { sessionId: string; key: string }): Promise<OfferReply> {
    this.calls.push(`dtmf ${request.key}`);
    const n = this.offered.get(request.sessionId)!;
    if (request.key === '3') {
      this.offered.set(request.sessionId, n + 1);
      return this.offering(request.sessionId);
    }
    if (request.key === '1') {
      return { sessionId: request.sessionId, status: 'awaiting-number', slot: slot(n), numberRequired: false, confirmKey: '#', repromptsLeft: 3, notice: null, expiresAt: '2026-11-23T10:05:00.000Z' };
    }
    return this.offering(request.sessionId);
  }
  async enterNumber(_tenant: string, request: { sessionId: string; digits: string }): Promise<OfferReply> {
    this.calls.push(`number "${request.digits}"`);
    return { sessionId: request.sessionId, status: 'booked', bookingId: '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10', slot: slot(this.offered.get(request.sessionId)!), callbackNumber: '+447700900123' };
  }
  async abandon(_tenant: string, request: { sessionId: string }): Promise<OfferReply> {
    this.calls.push('abandon');
    return { sessionId: request.sessionId, status: 'ended', reason: 'abandoned', notice: null };
  }
  private offering(sessionId: string): OfferReply {
    return { sessionId, status: 'offering', slot: slot(this.offered.get(sessionId)!), menu: { choose: '1', repeat: '2', decline: '3' }, notice: null, expiresAt: '2026-11-23T10:05:00.000Z' };
  }
}

describe('callback offer dialogue', () => {
  const dialogue = new ScriptedOfferDialogue();
  let app: RouterTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startRouterTestApp({ offerDialogue: dialogue });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    dialogue.calls.length = 0;
    admin = await httpAs(app, tenant, 'ADMIN');
    const events = new TenantEvents(app.nc, tenant);
    await events.agentRegistered(agent('2001'));
    await events.deviceChanged(device('2001', 'registered'));
    await events.callSlotCreated(callSlot());
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const publish = async (start: 'welcome' | 'offer') => {
    const flow = {
      number: NUMBER,
      name: 'Callbacks',
      start,
      nodes: {
        welcome: {
          type: 'menu',
          prompt: { kind: 'tts', text: 'Press 1 for a callback.', language: 'en-GB' },
          options: { '1': 'offer' },
          timeoutSeconds: 5,
          invalidRetries: 0,
          default: 'offer',
        },
        offer: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'vm', onDeclined: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2001') } },
      },
    };
    if (start === 'offer') delete (flow.nodes as Partial<typeof flow.nodes>).welcome;
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow })).status).toBe(200);
    // The call slot has arrived in the replicas when the offer is planned (not the fallback).
    await eventually(async () => {
      const plan = (await admin.post<{ outcome: string; decision?: { steps: never[] } }>('/v1/route', { number: NUMBER, cli: null, dryRun: true, at: AT })).body;
      const steps = plan.decision ? describeSteps(plan.decision.steps) : [];
      return start === 'offer' ? steps[0] === 's1 offer support-uk' : steps[0] === 's1 menu welcome';
    });
  };

  it('starts the dialogue when the call reaches the offer, passes keys and the number, and hangs up once booked', async () => {
    await publish('welcome');
    const callId = `offer-${randomUUID()}`;
    await admin.post('/v1/route', { callId, number: NUMBER, cli: '+447700900123', at: AT });
    const events = `/v1/calls/${encodeURIComponent(callId)}/events`;
    type Reply = Extract<CallProgressReply, { outcome: 'continue' | 'passThrough' }>;

    const entered = (await admin.post<Reply>(events, { kind: 'dtmf', digits: '1' })).body;
    expect(entered).toMatchObject({ outcome: 'continue', decision: { currentStepId: 's2', steps: [{ kind: 'offerCallback', callerCli: '+447700900123' }] } });
    expect(entered.offer).toMatchObject({ status: 'offering', slot: { offerNumber: 1 } });

    const declined = (await admin.post<Reply>(events, { kind: 'dtmf', digits: '3' })).body;
    expect(declined).toMatchObject({ outcome: 'passThrough', service: 'callback-slots', offer: { status: 'offering', slot: { offerNumber: 2 } } });
    const chosen = (await admin.post<Reply>(events, { kind: 'dtmf', digits: '1' })).body;
    expect(chosen).toMatchObject({ outcome: 'passThrough', offer: { status: 'awaiting-number', confirmKey: '#' } });
    const booked = (await admin.post<Reply>(events, { kind: 'dtmf', digits: '#' })).body;
    expect(booked).toMatchObject({ outcome: 'continue', offer: { status: 'booked' }, decision: { steps: [{ kind: 'hangup', reason: 'callbackBooked' }] } });
    expect(dialogue.calls).toEqual(['start +447700900123', 'dtmf 3', 'dtmf 1', 'number ""']);

    const ended = (await admin.post<CallProgressReply>(events, { kind: 'hangup' })).body;
    expect(ended).toMatchObject({ outcome: 'ended', callOutcome: 'callbackBooked' });
    expect((await admin.get<CallView>(`/v1/calls/${encodeURIComponent(callId)}`)).body).toMatchObject({ status: 'ended', outcome: 'callbackBooked' });
  });

  it('names who takes the call slot\'s callbacks when callback-slots asks (call-router.callback-plan)', async () => {
    await publish('welcome');
    const ask = (callSlotId: string) =>
      rpcRequest<CallbackDialPlanReply>(app.nc, CallbackDispatchSubjects.dialPlan, {
        tenantId: tenant,
        bookingId: randomUUID(),
        callSlotId,
        campaignId: null,
        attempt: 1,
        callbackNumber: '+447700900123',
        callerCli: null,
        dialOrder: 'agent-first',
        at: '2026-11-24T09:00:00.000Z',
      });
    // This flow offers callbacks from a menu, so no ring node is known to take them. (Any router instance
    // may answer over NATS: each has the flow within milliseconds, hence `eventually`.)
    const noTeam = await eventually(async () => {
      const reply = await ask('support-uk');
      return reply.outcome === 'no-agent' && /no ring node leads/.test(reply.reason) ? reply : null;
    });
    expect(noTeam.outcome).toBe('no-agent');
    expect(await ask('unknown-slot')).toMatchObject({ outcome: 'no-agent', reason: expect.stringMatching(/no published call flow offers/) });
    const team = {
      number: NUMBER,
      name: 'Support',
      start: 'ring',
      nodes: {
        ring: { type: 'ringAgent', agentId: agentIdOf('2001'), ringSeconds: 25, onNoAnswer: 'offer' },
        offer: { type: 'offerCallback', callSlotId: 'support-uk', fallback: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agentIdOf('2001') } },
      },
    };
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow: team })).status).toBe(200);
    const planned = await eventually(async () => {
      const reply = await ask('support-uk');
      return reply.outcome === 'planned' ? reply : null;
    });
    expect(planned).toEqual({
      outcome: 'planned',
      agent: { targets: [{ kind: 'extension', extension: '2001', agentId: agentIdOf('2001') }], ringSeconds: 25 },
      customerRingSeconds: 30,
    });
  });

  it('gives the first prompt of a call routed straight to the offer, and abandons the dialogue on hang-up', async () => {
    await publish('offer');
    const callId = `offer-${randomUUID()}`;
    const routed = await admin.post<{ decision: { currentStepId: string } }>('/v1/route', { callId, number: NUMBER, cli: null, at: AT });
    expect(routed.body.decision.currentStepId).toBe('s1');
    const first = await admin.get<CallOfferResponse>(`/v1/calls/${encodeURIComponent(callId)}/offer`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ offer: { status: 'offering', slot: { offerNumber: 1 } }, reply: null });
    const again = await admin.get<CallOfferResponse>(`/v1/calls/${encodeURIComponent(callId)}/offer`);
    expect(again.body.offer.sessionId).toBe(first.body.offer.sessionId);

    const ended = await admin.post<CallProgressReply>(`/v1/calls/${encodeURIComponent(callId)}/events`, { kind: 'hangup' });
    expect(ended.body).toMatchObject({ outcome: 'ended', callOutcome: 'abandoned' });
    expect(dialogue.calls).toEqual(['start null', 'abandon']);
  });
});
