// Seed 000, rotating incoming call schedule: two weekly templates that alternate week by week from an
// anchor week ("choose which first"), a call at the same wall-clock time in consecutive weeks routed
// differently, and the 24/7 switch that overrides the rotation until it is switched back.
import { ensureAgent } from './client/platform-client';
import { currentStep, decisionOf, dialled, publishFlow, route, traceCodes, type RoutePlan } from './client/routing';
import { until } from './client/api-client';
import { at, NUMBERS, newStory, WEEK_1_MONDAY, WEEK_2_MONDAY, type Story } from './harness/story';

type IsOpen = { open: boolean; decidedBy: { kind: string; templateId?: string }; week?: { index: number; templateId: string } };

describe('rotating schedule (seed 000)', () => {
  let story: Story;
  const week1Monday10 = at(WEEK_1_MONDAY, '10:00');
  const week2Monday10 = at(WEEK_2_MONDAY, '10:00');
  const call = (when: string): Promise<RoutePlan> => route(story.admin, { number: NUMBERS.line, cli: NUMBERS.caller, at: when });
  const rings = async (when: string) => dialled(currentStep(await call(when)));

  beforeAll(async () => {
    story = await newStory({ needs: ['schedule', 'call-router'] });
    const { admin } = story;
    const { agent } = await ensureAgent(admin, { name: 'Rita Reception', extension: '2001' });

    await admin.schedule.post('/v1/schedules', { scheduleId: 'main', name: 'Main line', timezone: 'Europe/London' });
    await admin.schedule.post('/v1/schedules/main/templates', {
      templateId: 'week-a',
      name: 'Schedule 1',
      ranges: [{ day: 'mon', start: '09:00', end: '17:00' }],
    });
    await admin.schedule.post('/v1/schedules/main/templates', {
      templateId: 'week-b',
      name: 'Schedule 2',
      ranges: [{ day: 'mon', start: '13:00', end: '17:00' }],
    });
    // "Choose which first": Schedule 1 in the anchor week, Schedule 2 the week after, and so on.
    await admin.schedule.put('/v1/schedules/main/rotation', { anchorDate: WEEK_1_MONDAY, firstTemplateId: 'week-a' });

    await publishFlow(admin, {
      number: NUMBERS.line,
      name: 'Main line',
      start: 'hours',
      nodes: {
        hours: { type: 'schedule', scheduleId: 'main', branches: { open: 'reception', closed: 'closed-box' } },
        reception: { type: 'ringAgent', agentId: agent.agentId, onNoAnswer: 'closed-box' },
        'closed-box': { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'reception' } },
      },
    });
    // The router learns flow, agent and schedule from JetStream: wait until it routes week 1 as open.
    await until('the router routes with the rotation', async () => (await rings(week1Monday10)).includes('ext:2001'));
  }, 60_000);

  it('the schedule service puts the two Mondays in different rotation weeks', async () => {
    const week1 = await story.admin.schedule.get<IsOpen>('/v1/schedules/main/open', { at: week1Monday10 });
    const week2 = await story.admin.schedule.get<IsOpen>('/v1/schedules/main/open', { at: week2Monday10 });
    expect(week1).toMatchObject({ open: true, week: { index: 0, templateId: 'week-a' }, decidedBy: { kind: 'rule', templateId: 'week-a' } });
    expect(week2).toMatchObject({ open: false, week: { index: 1, templateId: 'week-b' }, decidedBy: { kind: 'no-rule', templateId: 'week-b' } });
  });

  it('a call at 10:00 on Monday rings reception in week 1 (Schedule 1) and goes to voicemail in week 2 (Schedule 2)', async () => {
    const week1 = decisionOf(await call(week1Monday10));
    expect(traceCodes(week1)).toContain('schedule.open');
    expect(dialled(week1.steps[0])).toEqual(['ext:2001']);

    const week2 = decisionOf(await call(week2Monday10));
    expect(traceCodes(week2)).toContain('schedule.closed');
    expect(dialled(week2.steps[0])).toEqual(['voicemail:group:reception']);
  });

  it('in the afternoon both weeks are open (each template has its own hours)', async () => {
    expect(await rings(at(WEEK_1_MONDAY, '14:00'))).toEqual(['ext:2001']);
    expect(await rings(at(WEEK_2_MONDAY, '14:00'))).toEqual(['ext:2001']);
  });

  it('switching to 24/7 overrides the rotation, and switching back restores it', async () => {
    await story.admin.schedule.put('/v1/schedules/main/mode', { mode: '24/7' });
    await until('24/7 reaches the router', async () => (await rings(week2Monday10)).includes('ext:2001'));
    // Round the clock: a Sunday night call rings too.
    expect(await rings(at('2030-01-20', '03:00'))).toEqual(['ext:2001']);
    expect((await story.admin.schedule.get<IsOpen>('/v1/schedules/main/open', { at: week2Monday10 })).decidedBy.kind).toBe('24/7');

    await story.admin.schedule.put('/v1/schedules/main/mode', { mode: 'custom' });
    await until('custom mode reaches the router', async () => (await rings(week2Monday10)).includes('voicemail:group:reception'));
    expect(await rings(week1Monday10)).toEqual(['ext:2001']);
    expect(await rings(at('2030-01-20', '03:00'))).toEqual(['voicemail:group:reception']);
  });
});
