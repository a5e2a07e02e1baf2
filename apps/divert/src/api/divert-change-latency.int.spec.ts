// How fast a divert change reaches a NATS subscriber (the "live in under a second"; P5 measures
// it under load later). Measured and logged, not asserted: no timing thresholds in tests.
import { performance } from 'node:perf_hooks';
import { eventSubjectFilter, type DivertRuleSetData, type EventEnvelope } from '@cc/contracts';
import { nextMessage, uniqueTenant } from '@cc/testing';
import { cleanUpTenant, DirectoryFixture, httpAs, startDivertTestApp, type DivertTestApp } from '../../test/divert-test-app';

jest.setTimeout(120_000);

const CHANGES = 50;

describe('divert change to NATS subscriber', () => {
  let app: DivertTestApp;
  let tenant: string;

  beforeAll(async () => {
    app = await startDivertTestApp();
    tenant = uniqueTenant();
  });
  afterAll(async () => {
    if (app) await cleanUpTenant(app, tenant);
    await app?.stop();
  });

  it(`delivers every change made over HTTP to a subscriber of evt.divert.<tenant>.* (${CHANGES} changes, measured)`, async () => {
    await new DirectoryFixture(app.nc, tenant).registerAgents(app, '2001', '2002');
    const admin = await httpAs(app, tenant, 'ADMIN');
    // evt.divert.<tenant>.* : every divert event type of the tenant (the type is the last token).
    const subject = eventSubjectFilter('divert', tenant);
    const fromRequest: number[] = [];
    const fromResponse: number[] = [];

    for (let i = 0; i < CHANGES; i++) {
      const ringSeconds = 5 + i;
      const arrived = nextMessage<EventEnvelope<string, DivertRuleSetData>>(
        app.nc,
        subject,
        (event) => event.type === 'DivertRuleSet' && event.data.extension === '2001' && event.data.rules.noAnswer.ringSeconds === ringSeconds,
      );
      await app.nc.flush(); // the subscription is registered at the server before the change is made
      const started = performance.now();
      const res = await admin.put('/v1/extensions/2001/diverts/noAnswer', { target: { kind: 'extension', extension: '2002' }, ringSeconds });
      const answered = performance.now();
      expect(res.status).toBe(200);
      const event = await arrived.promise;
      const received = performance.now();
      expect(event.data.rules.noAnswer).toEqual({ target: { kind: 'extension', extension: '2002' }, validity: null, ringSeconds });
      fromRequest.push(received - started);
      fromResponse.push(received - answered);
    }

    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
      return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`;
    };
    console.log(
      `divert change -> NATS subscriber over ${CHANGES} sequential changes: ` +
        `from the HTTP request ${stats(fromRequest)}; after the HTTP response ${stats(fromResponse)}`,
    );
    expect(fromRequest).toHaveLength(CHANGES);
  });
});
