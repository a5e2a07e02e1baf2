// `npm start` seeds the demo tenant after every start (tools/dev/seed-demo.ts): the first run creates the
// company, every later run finds it and changes nothing, and the main line routes as the flow says.
import { currentStep, decisionOf, dialled, route } from './client/routing';
import { until } from './client/api-client';
import { requireServices, SERVICES, stackInfo } from './harness/stack';
import { uniqueTenantId } from './harness/story';
// tools/ is no Nx project: the test runs the seed script exactly as `npm start` does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { seedDemo } from '../../../tools/dev/seed-demo';

describe('the demo tenant seed', () => {
  it('creates the demo company once and is a no-op when run again', async () => {
    const stack = stackInfo();
    await requireServices(stack, ...SERVICES);
    const tenantId = uniqueTenantId();
    const firstRun: string[] = [];
    const demo = await seedDemo({ tenantId, urls: stack.urls, log: (line) => firstRun.push(line) });
    expect(firstRun.filter((line) => line.endsWith('already there'))).toEqual([]);
    expect(demo.agents.sam).toMatchObject({ extension: '2002', managerId: demo.agents.maya.agentId, mobile: '+447911123002' });

    const secondRun: string[] = [];
    const again = await seedDemo({ tenantId, urls: stack.urls, log: (line) => secondRun.push(line) });
    expect(secondRun.filter((line) => line.endsWith(': created'))).toEqual([]);
    expect(again.agents.maya.agentId).toBe(demo.agents.maya.agentId);

    // Monday 10:00 in the rotation's first week (Schedule 1, 08:00-16:00): open, so the menu answers.
    const week0Monday = await demo.session.schedule.get<{ schedule: { rotation: { anchorDate: string } } }>(`/v1/schedules/${demo.scheduleId}`);
    const at = `${week0Monday.schedule.rotation.anchorDate}T10:00:00.000Z`;
    const plan = await until('the router routes the demo line', async () => {
      const p = await route(demo.session, { number: demo.number, cli: '+441134960999', at });
      return p.outcome === 'routed' ? p : null;
    });
    expect(dialled(currentStep(plan))).toEqual(['menu:welcome']);
    expect(decisionOf(plan).trace.map((t) => t.code)).toContain('schedule.open');
  });
});
