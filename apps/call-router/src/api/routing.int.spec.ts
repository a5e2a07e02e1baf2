// `route` end to end on the real PostgreSQL and NATS: replicas fed by the other services' JetStream events,
// real calls over NATS and HTTP (recorded), not-routable numbers, dry-run simulation at any time, and call
// progress through a menu and a no-answer fallback on the flow version the call started with.
import { CallRouterSubjects, type CallFlowDefinitionInput, type CallProgressReply, type Problem, type RoutePlan, type ScheduleDefinitionData } from '@cc/contracts';
import { rpcRequest } from '@cc/platform';
import { eventually, uniqueTenant, type HttpClient } from '@cc/testing';
import { randomUUID } from 'node:crypto';
import { cleanUpTenant, httpAs, startRouterTestApp, TenantEvents, type RouterTestApp } from '../../test/call-router-test-app';
import type { CallView } from '../calls/call-view.service';
import { agent, agentIdOf, describeSteps, device } from '../domain/routing.fixture';

jest.setTimeout(60_000);

const NUMBER = '+442071838200';
const A2001 = agentIdOf('2001');

type Routed = Extract<RoutePlan, { outcome: 'routed' }>;

/** Mon 09:00-17:00 in London; Monday 23 Nov 2026 is in GMT, so local = UTC. */
const officeHours = (tenantId: string): ScheduleDefinitionData => ({
  scheduleId: 'office-hours',
  tenantId,
  name: 'Office hours',
  timezone: 'Europe/London',
  mode: 'custom',
  templates: [{ templateId: 'week', name: 'Week', ranges: [{ day: 'mon', start: '09:00', end: '17:00' }] }],
  rotation: null,
  exceptions: [],
  emergency: null,
});

const menuFlow = (onOne: 'sales' | 'bye'): CallFlowDefinitionInput => ({
  number: NUMBER,
  name: 'Menu line',
  start: 'welcome',
  nodes: {
    welcome: {
      type: 'menu',
      prompt: { kind: 'tts', text: 'Press 1 for sales.', language: 'en-GB' },
      // Version 2 moves sales to key 2 (every node stays reachable).
      options: onOne === 'sales' ? { '1': 'sales' } : { '1': 'bye', '2': 'sales' },
      timeoutSeconds: 5,
      invalidRetries: 1,
      default: 'bye',
    },
    sales: { type: 'ringAgent', agentId: A2001, ringSeconds: 20, onNoAnswer: 'vm' },
    vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: A2001 } },
    bye: { type: 'hangup' },
  },
});

describe('route', () => {
  let app: RouterTestApp;
  let tenant: string;
  let admin: HttpClient;
  let events: TenantEvents;

  beforeAll(async () => {
    app = await startRouterTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    admin = await httpAs(app, tenant, 'ADMIN');
    events = new TenantEvents(app.nc, tenant);
    await events.agentRegistered(agent('2001'));
    await events.deviceChanged(device('2001', 'registered'));
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const publish = async (flow: CallFlowDefinitionInput) => {
    const res = await admin.put(`/v1/call-flows/${encodeURIComponent(flow.number)}`, { flow });
    expect(res.status).toBe(200);
  };
  const dryRun = async (at: string, number = NUMBER) => {
    const res = await admin.post<RoutePlan>('/v1/route', { number, cli: '+447700900123', dryRun: true, at });
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Until the replicas hold the agent and its device, a ring step would say "unknown". */
  const whenRoutedAs = (at: string, expected: string[], number = NUMBER) =>
    eventually(async () => {
      const plan = await dryRun(at, number);
      return plan.outcome === 'routed' && JSON.stringify(describeSteps(plan.decision.steps)) === JSON.stringify(expected) ? plan : null;
    });

  /**
   * A real call over NATS. Any router instance of the queue group may answer (other test files run theirs),
   * each with the tenant's events within milliseconds: a call that found the flow not yet there is retried
   * as a new call.
   */
  const routeOverNats = (request: { number: string; cli: string | null; at?: string }) =>
    eventually(async () => {
      const callId = `nats-${randomUUID()}@carrier.test`;
      const plan = await rpcRequest<RoutePlan>(app.nc, CallRouterSubjects.route, { tenantId: tenant, callId, ...request });
      return plan.outcome === 'routed' ? { callId, plan } : null;
    });

  it('routes a real call over NATS and records it; an unknown number is "not routable", not an error', async () => {
    await publish({
      number: NUMBER,
      name: 'Sales',
      start: 'sales',
      nodes: {
        sales: { type: 'ringAgent', agentId: A2001, onNoAnswer: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'agent', agentId: A2001 } },
      },
    });
    await whenRoutedAs('2026-11-23T10:00:00Z', ['s1 ring 2001 30s na=s2 b=s2 u=s2', 's2 vm 2001']);

    const { callId, plan } = await routeOverNats({ number: NUMBER, cli: '+447700900123' });
    expect(plan).toMatchObject({ outcome: 'routed', callId, flowVersion: 1, dryRun: false, decision: { currentStepId: 's1' } });
    expect(plan.decision.trace.map((t) => t.code)).toContain('flow.selected');
    const recorded = await eventually(async () => {
      const res = await admin.get<CallView>(`/v1/calls/${encodeURIComponent(callId)}`);
      return res.status === 200 ? res.body : null;
    });
    expect(recorded).toMatchObject({ status: 'routing', flowVersion: 1, currentStep: { id: 's1', kind: 'ring' } });

    const unknown = await rpcRequest<RoutePlan>(app.nc, CallRouterSubjects.route, { tenantId: tenant, callId: `x-${callId}`, number: '+442071838299', cli: null });
    expect(unknown).toMatchObject({ outcome: 'notRoutable', reason: 'unknownNumber', trace: [expect.objectContaining({ code: 'flow.notRoutable' })] });
    await expect(rpcRequest(app.nc, CallRouterSubjects.route, { tenantId: tenant, callId, number: NUMBER, cli: '07700 900123' })).rejects.toMatchObject({
      problem: { status: 400, code: 'VALIDATION.INVALID_INPUT', errors: [expect.objectContaining({ path: 'cli' })] },
    });
  });

  it('answers a retried route with the first plan, and refuses the same call id with other facts', async () => {
    await publish(menuFlow('sales'));
    await whenRoutedAs('2026-11-23T10:00:00Z', ['s1 menu welcome']);
    const callId = `retry-${randomUUID()}`;
    const first = await admin.post<Routed>('/v1/route', { callId, number: NUMBER, cli: null });
    const again = await admin.post<Routed>('/v1/route', { callId, number: NUMBER, cli: null });
    expect(again.body).toEqual(first.body);
    const other = await admin.post<Problem>('/v1/route', { callId, number: NUMBER, cli: '+447700900123' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CALL_ROUTER.CALL_EXISTS');
  });

  it('simulates a call at 08:59 and at 09:01 on Monday without recording either', async () => {
    await events.scheduleChanged('ScheduleCreated', officeHours(tenant));
    await publish({
      number: NUMBER,
      name: 'Office line',
      start: 'hours',
      nodes: {
        hours: { type: 'schedule', scheduleId: 'office-hours', branches: { open: 'sales', closed: 'closed-vm' } },
        sales: { type: 'ringAgent', agentId: A2001, onNoAnswer: 'closed-vm' },
        'closed-vm': { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'out-of-hours' } },
      },
    });
    await whenRoutedAs('2026-11-23T09:01:00Z', ['s1 ring 2001 30s na=s2 b=s2 u=s2', 's2 vm group:out-of-hours']);

    const before = await dryRun('2026-11-23T08:59:00Z');
    expect(before.outcome === 'routed' && describeSteps(before.decision.steps)).toEqual(['s1 vm group:out-of-hours']);
    expect(before.outcome === 'routed' && before.decision.trace.find((t) => t.code === 'schedule.closed')).toBeTruthy();
    const after = await dryRun('2026-11-23T09:01:00Z');
    expect(after.outcome === 'routed' && after.decision.trace.find((t) => t.code === 'schedule.open')).toBeTruthy();
    expect(after).toMatchObject({ dryRun: true, callId: null, at: '2026-11-23T09:01:00.000Z' });

    const simulatedCall = await admin.post<RoutePlan>('/v1/route', { callId: 'simulated-1', number: NUMBER, cli: null, dryRun: true, at: '2026-11-23T09:01:00Z' });
    expect(simulatedCall.body).toMatchObject({ callId: 'simulated-1', dryRun: true });
    expect((await admin.get<Problem>('/v1/calls/simulated-1')).body.code).toBe('CALL_ROUTER.UNKNOWN_CALL');
  });

  it('drives a call through a menu and a no-answer fallback on the flow version it started with', async () => {
    await publish(menuFlow('sales'));
    await whenRoutedAs('2026-11-23T10:00:00Z', ['s1 menu welcome']);
    const callId = `menu-${randomUUID()}`;
    const route = await admin.post<Routed>('/v1/route', { callId, number: NUMBER, cli: '+447700900123', at: '2026-11-23T10:00:00Z' });
    expect(route.body.decision.currentStepId).toBe('s1');

    // Version 2 sends key 1 to a hang-up; this call keeps version 1.
    await publish(menuFlow('bye'));
    const events$ = `/v1/calls/${encodeURIComponent(callId)}/events`;
    const invalid = await admin.post<CallProgressReply>(events$, { kind: 'dtmf', digits: '7', at: '2026-11-23T10:00:05Z' });
    expect(invalid.status).toBe(202);
    expect(invalid.body).toMatchObject({ outcome: 'continue', decision: { currentStepId: 's2', steps: [{ kind: 'menu', attempt: 1 }] } });

    const chosen = await admin.post<Extract<CallProgressReply, { outcome: 'continue' }>>(events$, { kind: 'dtmf', digits: '1', at: '2026-11-23T10:00:09Z' });
    expect(chosen.body.outcome).toBe('continue');
    expect(describeSteps(chosen.body.decision.steps)).toEqual(['s3 ring 2001 20s na=s4 b=s4 u=s4', 's4 vm 2001']);

    const stale = await admin.post<Problem>(events$, { kind: 'no-answer', stepId: 's1' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CALL_ROUTER.UNEXPECTED_PROGRESS');

    const noAnswer = await admin.post<CallProgressReply>(events$, { kind: 'no-answer', stepId: 's3', at: '2026-11-23T10:00:29Z' });
    expect(noAnswer.body).toMatchObject({ outcome: 'continue', decision: { currentStepId: 's4', steps: [{ kind: 'voicemail' }] } });
    const hangup = await admin.post<CallProgressReply>(events$, { kind: 'hangup', at: '2026-11-23T10:01:00Z' });
    expect(hangup.body).toEqual({ outcome: 'ended', callId, callOutcome: 'voicemail', durationSeconds: 60 });

    const view = await admin.get<CallView>(`/v1/calls/${encodeURIComponent(callId)}`);
    expect(view.body).toMatchObject({ status: 'ended', flowVersion: 1, outcome: 'voicemail', endedAt: '2026-11-23T10:01:00.000Z' });
    const late = await admin.post<Problem>(events$, { kind: 'hangup' });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('CALL_ROUTER.CALL_ENDED');
    const unknown = await admin.post<Problem>(`/v1/calls/never-routed/events`, { kind: 'hangup' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('CALL_ROUTER.UNKNOWN_CALL');
  });

  it('takes call progress over NATS', async () => {
    await publish(menuFlow('sales'));
    await whenRoutedAs('2026-11-23T10:00:00Z', ['s1 menu welcome']);
    const { callId } = await routeOverNats({ number: NUMBER, cli: null, at: '2026-11-23T10:00:00Z' });
    const reply = await rpcRequest<CallProgressReply>(app.nc, CallRouterSubjects.progress, { tenantId: tenant, callId, kind: 'dtmf', digits: '1' });
    expect(reply).toMatchObject({ outcome: 'continue', decision: { currentStepId: 's2' } });
    const answered = await rpcRequest<CallProgressReply>(app.nc, CallRouterSubjects.progress, { tenantId: tenant, callId, kind: 'answered', legId: 's2.1' });
    expect(answered).toEqual({ outcome: 'connected', callId, stepId: 's2', legId: 's2.1' });
    await expect(rpcRequest(app.nc, CallRouterSubjects.progress, { tenantId: tenant, callId, kind: 'dtmf', digits: '1' })).rejects.toMatchObject({
      problem: { status: 409, code: 'CALL_ROUTER.UNEXPECTED_PROGRESS' },
    });
  });
});
