// P5 in miniature: a divert or schedule change, published to JetStream as its service's relay does, changes
// the next routing decision. Measures change-to-effect (publish -> the first `route` that reflects it) and
// logs it; no timing assertion (tests never assert timings).
import { performance } from 'node:perf_hooks';
import { defaultDivertRules, type RoutePlan, type ScheduleDefinitionData } from '@cc/contracts';
import { eventually, uniqueTenant } from '@cc/testing';
import { cleanUpTenant, httpAs, startRouterTestApp, TenantEvents, type RouterTestApp } from '../../test/call-router-test-app';
import { agent, agentIdOf, describeSteps, device, diverts, ringThenVoicemailInput, toExtension } from '../domain/routing.fixture';
import { RoutingService } from '../routing/routing.service';

jest.setTimeout(120_000);

const CHANGES = 30;
const NUMBER = '+442071838300';
const AT = '2026-11-23T10:00:00Z'; // Monday, 10:00 in London (GMT)

const stats = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${values.length} changes)`;
};

describe('config change to routing effect', () => {
  let app: RouterTestApp;
  let tenant: string;
  let events: TenantEvents;

  beforeAll(async () => {
    app = await startRouterTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    events = new TenantEvents(app.nc, tenant);
    for (const extension of ['2001', '2002']) {
      await events.agentRegistered(agent(extension));
      await events.deviceChanged(device(extension, 'registered'));
    }
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  /** In-process dry runs in a tight loop: the first decision that shows the change ends the measurement. */
  const timeUntil = async (change: () => Promise<unknown>, shows: (steps: string[]) => boolean): Promise<number> => {
    const routing = app.app.get(RoutingService);
    const started = performance.now();
    await change();
    for (;;) {
      const plan = (await routing.route({ tenantId: tenant, number: NUMBER, cli: null, dryRun: true, at: AT }, { correlationId: 'p5', actor: null })) as RoutePlan;
      if (plan.outcome === 'routed' && shows(describeSteps(plan.decision.steps))) return performance.now() - started;
      if (performance.now() - started > 10_000) throw new Error('the change never reached routing');
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  it('a divert change reaches the next route (measured)', async () => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    const flow = ringThenVoicemailInput(NUMBER, 'Divert line', '2001', { kind: 'group', mailboxId: 'main' });
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow })).status).toBe(200);
    await eventually(async () => {
      const plan = (await admin.post<RoutePlan>('/v1/route', { number: NUMBER, cli: null, dryRun: true, at: AT })).body;
      return plan.outcome === 'routed' && describeSteps(plan.decision.steps)[0]!.startsWith('s1 ring 2001 ');
    });

    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const divertOn = i % 2 === 0;
      const rules = divertOn ? diverts({ always: toExtension('2002') }) : defaultDivertRules();
      latencies.push(
        await timeUntil(
          () => events.divertsReplaced('2001', rules),
          (steps) => steps[0]!.startsWith(divertOn ? 's1 ring 2002 ' : 's1 ring 2001 '),
        ),
      );
    }
    // The same effect through the public API: after the last change (off), 2001 rings again.
    const last = (await admin.post<RoutePlan>('/v1/route', { number: NUMBER, cli: null, dryRun: true, at: AT })).body;
    expect(last.outcome === 'routed' && describeSteps(last.decision.steps)[0]).toMatch(/^s1 ring 2001 /);
    console.log(`divert change -> routing decision: ${stats(latencies)}`);
    expect(latencies).toHaveLength(CHANGES);
  });

  it('a schedule change reaches the next route (measured)', async () => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    const schedule = (open: boolean): ScheduleDefinitionData => ({
      scheduleId: 'hours',
      tenantId: tenant,
      name: 'Hours',
      timezone: 'Europe/London',
      mode: 'custom',
      templates: [{ templateId: 'week', name: 'Week', ranges: open ? [{ day: 'mon', start: '09:00', end: '17:00' }] : [{ day: 'tue', start: '09:00', end: '17:00' }] }],
      rotation: null,
      exceptions: [],
      emergency: null,
    });
    await events.scheduleChanged('ScheduleCreated', schedule(false));
    const flow = {
      number: NUMBER,
      name: 'Schedule line',
      start: 'hours',
      nodes: {
        hours: { type: 'schedule', scheduleId: 'hours', branches: { open: 'ring', closed: 'vm' } },
        ring: { type: 'ringAgent', agentId: agentIdOf('2001'), onNoAnswer: 'vm' },
        vm: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'closed' } },
      },
    };
    expect((await admin.put(`/v1/call-flows/${encodeURIComponent(NUMBER)}`, { flow })).status).toBe(200);
    await eventually(async () => {
      const plan = (await admin.post<RoutePlan>('/v1/route', { number: NUMBER, cli: null, dryRun: true, at: AT })).body;
      return plan.outcome === 'routed' && describeSteps(plan.decision.steps)[0] === 's1 vm group:closed';
    });

    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const open = i % 2 === 0;
      latencies.push(
        await timeUntil(
          () => events.scheduleChanged('ScheduleTemplateRangesSet', schedule(open), { templateId: 'week', ranges: schedule(open).templates[0]!.ranges }),
          (steps) => (open ? steps[0]!.startsWith('s1 ring 2001 ') : steps[0] === 's1 vm group:closed'),
        ),
      );
    }
    console.log(`schedule change -> routing decision: ${stats(latencies)}`);
    expect(latencies).toHaveLength(CHANGES);
  });
});
