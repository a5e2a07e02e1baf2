// Seed 002, agents: the incoming-call preference "extension, then mobile after a timeout", working hours
// as several ranges a day (09:00-12:00 and 13:00-17:00 with a lunch break) and the after-hours policy
// outside them, and reporting managers who see their reportees' calls while agents see only their own.
import { randomUUID } from 'node:crypto';
import { ensureAgent, type AgentView, type WorkingRange } from './client/platform-client';
import { isApiError, until } from './client/api-client';
import { callLogs, currentStep, decisionOf, dialled, progress, publishFlow, route, stepOf, traceCodes } from './client/routing';
import { at, NUMBERS, newStory, WEEK_1_MONDAY, type Story } from './harness/story';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const splitShift: WorkingRange[] = WEEKDAYS.flatMap((day) => [
  { day, start: '09:00', end: '12:00' },
  { day, start: '13:00', end: '17:00' },
]);
const SAM_LINE = NUMBERS.line;
const ALEX_LINE = '+441134960001';

describe('agents, working hours and reporting lines (seed 002)', () => {
  let story: Story;
  let maya: AgentView;
  let sam: AgentView;
  let alex: AgentView;

  const dryRun = (number: string, when: string) => route(story.admin, { number, cli: NUMBERS.caller, at: when });

  beforeAll(async () => {
    story = await newStory({ needs: ['call-router'] });
    const { admin } = story;
    ({ agent: maya } = await ensureAgent(admin, { name: 'Maya Manager', extension: '2001', role: 'MANAGER', mobile: NUMBERS.mobile(1) }));
    ({ agent: sam } = await ensureAgent(admin, {
      name: 'Sam Sales',
      extension: '2002',
      mobile: '07911 123002', // typed the British way; stored as E.164
      managerId: maya.agentId,
      ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 15 },
      workingHours: { mode: 'weekly', timezone: 'Europe/London', ranges: splitShift },
      afterHours: { kind: 'voicemail' },
    }));
    ({ agent: alex } = await ensureAgent(admin, {
      name: 'Alex Support',
      extension: '2003',
      managerId: maya.agentId,
      workingHours: { mode: 'weekly', timezone: 'Europe/London', ranges: splitShift },
      afterHours: { kind: 'forwardNumber', number: '01234 567890' },
    }));
    for (const [number, agent] of [
      [SAM_LINE, sam],
      [ALEX_LINE, alex],
    ] as const) {
      await publishFlow(admin, {
        number,
        name: `${agent.name} direct`,
        start: 'agent',
        nodes: {
          agent: { type: 'ringAgent', agentId: agent.agentId, onNoAnswer: 'box' },
          box: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agent.agentId } },
        },
      });
    }
    await until('the router knows both lines and agents', async () =>
      dialled(currentStep(await dryRun(SAM_LINE, at(WEEK_1_MONDAY, '10:00')))).includes('ext:2002') &&
      dialled(currentStep(await dryRun(ALEX_LINE, at(WEEK_1_MONDAY, '10:00')))).includes('ext:2003'),
    );
  }, 60_000);

  it('the mobile was stored in E.164 and the reporting line is set', () => {
    expect(sam).toMatchObject({ mobile: NUMBERS.mobile(2), managerId: maya.agentId, ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 15 } });
  });

  it('extension then mobile: the extension rings alone for 15 s, then the mobile rings', async () => {
    const decision = decisionOf(await dryRun(SAM_LINE, at(WEEK_1_MONDAY, '10:00')));
    const extensionStep = decision.steps[0];
    expect(extensionStep).toMatchObject({ kind: 'ring', ringSeconds: 15 });
    expect(dialled(extensionStep)).toEqual(['ext:2002']);
    expect(traceCodes(decision)).toEqual(expect.arrayContaining(['agent.withinHours', 'agent.ringPreference']));
    if (extensionStep.kind !== 'ring') return;
    expect(dialled(stepOf(decision, extensionStep.on.noAnswer))).toEqual([`mobile:${NUMBERS.mobile(2)}`]);

    // A real call: the SIP edge reports no answer on the extension, the router moves on to the mobile.
    const callId = `e2e-${randomUUID()}`;
    const when = at(WEEK_1_MONDAY, '10:05');
    const plan = await route(story.admin, { number: SAM_LINE, cli: NUMBERS.caller, callId, at: when });
    const ringing = currentStep(plan);
    const next = await progress(story.admin, callId, { kind: 'no-answer', stepId: ringing.id, at: at(WEEK_1_MONDAY, '10:05:15') });
    expect(next.outcome).toBe('continue');
    if (next.outcome !== 'continue') return;
    const mobileStep = stepOf(next.decision);
    expect(mobileStep).toMatchObject({ kind: 'ring' });
    expect(dialled(mobileStep)).toEqual([`mobile:${NUMBERS.mobile(2)}`]);
  });

  it('outside working hours (the lunch break, the evening) the after-hours policy applies', async () => {
    const lunch = decisionOf(await dryRun(SAM_LINE, at(WEEK_1_MONDAY, '12:30')));
    expect(traceCodes(lunch)).toEqual(expect.arrayContaining(['agent.outsideHours', 'agent.afterHours']));
    expect(dialled(lunch.steps[0])).toEqual(['voicemail:2002']);

    const afternoon = decisionOf(await dryRun(SAM_LINE, at(WEEK_1_MONDAY, '13:30')));
    expect(dialled(afternoon.steps[0])).toEqual(['ext:2002']);

    const evening = decisionOf(await dryRun(ALEX_LINE, at(WEEK_1_MONDAY, '18:00')));
    expect(traceCodes(evening)).toContain('agent.afterHours');
    expect(evening.steps[0]).toMatchObject({ kind: 'forward', e164: NUMBERS.outside, forwardedBy: '2003' });

    const saturday = decisionOf(await dryRun(ALEX_LINE, at('2030-01-12', '10:00')));
    expect(saturday.steps[0]).toMatchObject({ kind: 'forward', e164: NUMBERS.outside });
  });

  it("a manager sees the reportees' calls; an agent sees only their own", async () => {
    // One call to each reportee, answered, on the Monday of week 1.
    const calls: Record<string, string> = {};
    for (const [number, agent, minute] of [
      [SAM_LINE, sam, '11:00'],
      [ALEX_LINE, alex, '11:10'],
    ] as const) {
      const callId = `e2e-${randomUUID()}`;
      calls[agent.agentId] = callId;
      const plan = await route(story.admin, { number, cli: NUMBERS.caller, callId, at: at(WEEK_1_MONDAY, minute) });
      const ringing = currentStep(plan);
      await progress(story.admin, callId, { kind: 'answered', stepId: ringing.id, at: at(WEEK_1_MONDAY, `${minute}:05`) });
      await progress(story.admin, callId, { kind: 'hangup', at: at(WEEK_1_MONDAY, `${minute}:45`) });
    }
    const range = { from: at(WEEK_1_MONDAY, '00:00'), to: at('2030-01-08', '00:00') };
    // Tokens as a login of each role gets them (the role's default privileges include callLogs:read).
    const asManager = await story.admin.as('MANAGER', { agentId: maya.agentId, sub: `maya@${story.tenantId}`, privileges: ['agents:read', 'callLogs:read', 'performance:read'] });
    const asAlex = await story.admin.as('AGENT', { agentId: alex.agentId, sub: `alex@${story.tenantId}`, privileges: ['agents:read', 'callLogs:read'] });

    const managerSees = await until('both calls in the manager\'s call log', async () => {
      const page = await callLogs(asManager, range);
      const ids = page.items.map((c) => c.callId);
      return ids.includes(calls[sam.agentId]) && ids.includes(calls[alex.agentId]) ? page : null;
    });
    expect(managerSees.items.find((c) => c.callId === calls[sam.agentId])).toMatchObject({ answeredBy: sam.agentId });
    // Filtered to Sam: Sam's calls (the earlier test's no-answer call too), never Alex's.
    const samsCalls = (await callLogs(asManager, { ...range, agentId: sam.agentId })).items.map((c) => c.callId);
    expect(samsCalls).toContain(calls[sam.agentId]);
    expect(samsCalls).not.toContain(calls[alex.agentId]);

    const alexSees = await callLogs(asAlex, range);
    expect(alexSees.items.map((c) => c.callId)).toEqual([calls[alex.agentId]]);
    const refused = await callLogs(asAlex, { ...range, agentId: sam.agentId }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isApiError(refused, 403)).toBe(true);
  });
});
