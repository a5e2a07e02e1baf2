// Seed 001, per-extension diverts: busy to another extension, no answer after the ring time to an
// outside number typed the way the seed writes it (441234567890), forward always without ringing, and
// a change that applies to the very next call (the hosted product takes up to 24 hours).
import { randomUUID } from 'node:crypto';
import { ensureAgent } from './client/platform-client';
import { until } from './client/api-client';
import { currentStep, decisionOf, dialled, progress, publishFlow, route, stepOf, traceCodes, type RoutePlan } from './client/routing';
import { NUMBERS, newStory, type Story } from './harness/story';

type DivertRulesInput = Record<string, { target: Record<string, string>; ringSeconds?: number }>;

describe('diverts (seed 001)', () => {
  let story: Story;
  const dana = { name: 'Dana Desk', extension: '2001' };
  const eli = { name: 'Eli Colleague', extension: '2002' };
  const finn = { name: 'Finn Holiday Cover', extension: '2003' };

  const dryRun = (): Promise<RoutePlan> => route(story.admin, { number: NUMBERS.line, cli: NUMBERS.caller });
  const realCall = (): Promise<RoutePlan & { callId: string }> => {
    const callId = `e2e-${randomUUID()}`;
    return route(story.admin, { number: NUMBERS.line, cli: NUMBERS.caller, callId }).then((plan) => ({ ...plan, callId }));
  };
  /** Replaces all of Dana's diverts, then waits until the router plans with them. */
  const setDanaDiverts = async (rules: DivertRulesInput, routerShows: (plan: RoutePlan) => boolean): Promise<void> => {
    await story.admin.divert.put(`/v1/extensions/${dana.extension}/diverts`, { rules, reason: 'e2e' });
    await until('the divert change reaches the router', async () => routerShows(await dryRun()));
  };
  const reportDevice = (extension: string, activity: 'idle' | 'onCall') =>
    story.admin.directory.put(`/v1/devices/${extension}/state`, { registration: 'registered', activity, observedAt: new Date().toISOString() });

  beforeAll(async () => {
    story = await newStory({ needs: ['divert', 'call-router'] });
    const { agent } = await ensureAgent(story.admin, dana);
    await ensureAgent(story.admin, eli);
    await ensureAgent(story.admin, finn);
    await publishFlow(story.admin, {
      number: NUMBERS.line,
      name: 'Dana direct line',
      start: 'dana',
      nodes: {
        dana: { type: 'ringAgent', agentId: agent.agentId, onNoAnswer: 'box' },
        box: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'front-desk' } },
      },
    });
    await until('the router rings Dana', async () => dialled(currentStep(await dryRun())).includes('ext:2001'));
    // The divert service learns extensions from agent-directory: wait until it knows all three.
    await until('divert knows the extensions', async () => {
      for (const { extension } of [dana, eli, finn]) await story.admin.divert.get(`/v1/extensions/${extension}/diverts/effective`);
      return true;
    });
  }, 60_000);

  it('busy: a call to a busy extension rings the divert target instead', async () => {
    await setDanaDiverts({ busy: { target: { kind: 'extension', extension: eli.extension } } }, (plan) => {
      const first = decisionOf(plan).steps[0];
      return first.kind === 'ring' && dialled(stepOf(decisionOf(plan), first.on.busy)).includes('ext:2002');
    });

    // The phone rings; the SIP edge reports busy: the call moves on to Eli.
    const call = await realCall();
    const ringing = currentStep(call);
    expect(dialled(ringing)).toEqual(['ext:2001']);
    const next = await progress(story.admin, call.callId, { kind: 'busy', stepId: ringing.id });
    expect(next.outcome).toBe('continue');
    if (next.outcome !== 'continue') return;
    expect(dialled(stepOf(next.decision))).toEqual(['ext:2002']);

    // Known busy up front (the SIP edge reported Dana on a call): the plan rings Eli straight away.
    await reportDevice(dana.extension, 'onCall');
    try {
      await until('the device state reaches the router', async () => traceCodes(decisionOf(await dryRun())).includes('device.onCall'));
      const decision = decisionOf(await dryRun());
      expect(dialled(decision.steps[0])).toEqual(['ext:2002']);
      expect(traceCodes(decision)).toEqual(expect.arrayContaining(['device.onCall', 'divert.busy']));
    } finally {
      await reportDevice(dana.extension, 'idle');
      await until('idle reaches the router', async () => !traceCodes(decisionOf(await dryRun())).includes('device.onCall'));
    }
  });

  it('no answer: after the divert ring time the call goes to an outside number', async () => {
    await setDanaDiverts({ noAnswer: { target: { kind: 'number', number: '441234567890' }, ringSeconds: 20 } }, (plan) => {
      const first = decisionOf(plan).steps[0];
      return first.kind === 'ring' && first.ringSeconds === 20;
    });
    const call = await realCall();
    const ringing = currentStep(call);
    expect(ringing).toMatchObject({ kind: 'ring', ringSeconds: 20 });
    expect(dialled(ringing)).toEqual(['ext:2001']);

    const next = await progress(story.admin, call.callId, { kind: 'no-answer', stepId: ringing.id });
    expect(next.outcome).toBe('continue');
    if (next.outcome !== 'continue') return;
    const forward = stepOf(next.decision);
    expect(forward).toMatchObject({ kind: 'forward', e164: NUMBERS.outside, forwardedBy: dana.extension });
  });

  it('forward always: the extension does not ring at all', async () => {
    await setDanaDiverts({ always: { target: { kind: 'extension', extension: finn.extension } } }, (plan) =>
      dialled(decisionOf(plan).steps[0]).includes('ext:2003'),
    );
    const decision = decisionOf(await dryRun());
    expect(traceCodes(decision)).toContain('divert.always');
    const rung = decision.steps.flatMap(dialled);
    expect(rung).toContain('ext:2003');
    expect(rung).not.toContain('ext:2001');
  });

  it('a change is effective on the next call', async () => {
    await setDanaDiverts({ always: { target: { kind: 'voicemail' } } }, (plan) => dialled(decisionOf(plan).steps[0]).includes('voicemail:2001'));
    expect(dialled(currentStep(await realCall()))).toEqual(['voicemail:2001']);

    // Diverts off again: the next call rings Dana's phone.
    await story.admin.divert.delete(`/v1/extensions/${dana.extension}/diverts/always`);
    await until('the cleared divert reaches the router', async () => dialled(currentStep(await dryRun())).includes('ext:2001'));
    expect(dialled(currentStep(await realCall()))).toEqual(['ext:2001']);
  });
});
