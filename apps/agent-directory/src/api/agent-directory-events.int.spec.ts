// Every change reaches JetStream as `evt.agent-directory.<tenant>.<type>`, carrying the whole agent (or
// tenant, login, device), so replicas never ask back. Also measures (does not assert) how long a change
// takes from the HTTP request to a NATS subscriber.
import { performance } from 'node:perf_hooks';
import {
  eventStreamName,
  eventSubject,
  eventSubjectFilter,
  parseAgentDirectoryEvent,
  type AgentResponse,
  type AgentView,
  type EventEnvelope,
} from '@cc/contracts';
import type { PublishedEvent } from '@cc/messaging';
import { nextMessage, uniqueTenant, type HttpClient } from '@cc/testing';
import { cleanUpTenant, httpAs, registerTenant, startDirectoryTestApp, type DirectoryTestApp } from '../../test/agent-directory-test-app';

jest.setTimeout(120_000);

type AgentEvent = PublishedEvent & EventEnvelope<string, { agent: AgentView; rosterRevision?: number; previousManagerId?: string | null }>;

describe('agent-directory events on JetStream', () => {
  let app: DirectoryTestApp;
  let tenant: string;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startDirectoryTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    tenant = uniqueTenant();
    await registerTenant(app, tenant);
    admin = await httpAs(app, tenant, 'ADMIN');
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  /** Subscribes (registered at the server) before the change, then makes it and waits for the event. */
  const expectEvent = async <T = AgentEvent>(type: string, match: (event: T) => boolean, act: () => Promise<unknown>): Promise<T> => {
    const arrived = nextMessage<T & { type: string }>(app.nc, `evt.agent-directory.${tenant}.>`, (event) => event.type === type && match(event));
    await app.nc.flush();
    await act();
    return arrived.promise;
  };

  it('publishes AgentRegistered with the whole agent, in the envelope, and stores it in JetStream', async () => {
    let created: AgentResponse | undefined;
    const event = await expectEvent('AgentRegistered', () => true, async () => {
      const res = await admin.post<AgentResponse>('/v1/agents', {
        name: 'Ada Lovelace',
        extension: '2001',
        mobile: '441234567890',
        ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 15 },
        workingHours: { mode: 'weekly', ranges: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '13:00', end: '17:00' }] },
        afterHours: { kind: 'voicemail' },
      });
      created = res.body;
    });
    expect(event).toMatchObject({
      type: 'AgentRegistered',
      version: 1,
      tenantId: tenant,
      actor: `admin@${tenant}.test`,
      streamId: `agent-${tenant}-${created!.agent.agentId}`,
      revision: 0,
      data: { agent: created!.agent, rosterRevision: 0 },
    });
    expect(event.data.agent).toMatchObject({ mobile: '+441234567890', workingHours: { timezone: 'Europe/London' } });
    // The data is what the contract says a consumer may parse (the router's replica does exactly this).
    expect(parseAgentDirectoryEvent(event)).toEqual({ type: 'AgentRegistered', data: event.data });
    // Stored in the service's JetStream stream, under its subject, with the event id for deduplication.
    const stored = await (await app.nc.jetstreamManager()).streams.getMessage(eventStreamName('agent-directory'), {
      last_by_subj: eventSubject('agent-directory', tenant, 'AgentRegistered'),
    });
    expect(stored.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored.json<PublishedEvent>()).toEqual(event);
  });

  it('publishes every change of an agent with its whole view: hours, ring preference, manager, removal', async () => {
    const boss = (await admin.post<AgentResponse>('/v1/agents', { name: 'Boss', extension: '2000', role: 'MANAGER' })).body.agent;
    const ada = (await admin.post<AgentResponse>('/v1/agents', { name: 'Ada', extension: '2001', mobile: '07911123456' })).body.agent;
    const ofAda = (event: AgentEvent) => event.data.agent.agentId === ada.agentId;

    const hours = await expectEvent('WorkingHoursSet', ofAda, () =>
      admin.put(`/v1/agents/${ada.agentId}/working-hours`, { workingHours: { mode: 'weekly', timezone: 'Europe/Paris', ranges: [{ day: 'tue', start: '22:00', end: '06:00' }] } }),
    );
    expect(hours.data.agent).toEqual({ ...ada, workingHours: { mode: 'weekly', timezone: 'Europe/Paris', ranges: [{ day: 'tue', start: '22:00', end: '06:00' }] } });

    const ring = await expectEvent('RingPreferenceChanged', ofAda, () => admin.put(`/v1/agents/${ada.agentId}/ring-preference`, { ringPreference: { kind: 'simultaneous' } }));
    expect(ring.data.agent).toMatchObject({ ringPreference: { kind: 'simultaneous' }, workingHours: { timezone: 'Europe/Paris' } });

    const managed = await expectEvent('ReportingManagerAssigned', ofAda, () => admin.put(`/v1/agents/${ada.agentId}/manager`, { managerId: boss.agentId }));
    expect(managed.data).toMatchObject({ agent: { managerId: boss.agentId, ringPreference: { kind: 'simultaneous' } }, previousManagerId: null, rosterRevision: expect.any(Number) });

    const moved = await expectEvent<AgentEvent & { data: { previousExtension: string } }>('AgentExtensionChanged', ofAda, () =>
      admin.put(`/v1/agents/${ada.agentId}/extension`, { extension: '2005' }),
    );
    expect(moved.data).toMatchObject({ agent: { extension: '2005', managerId: boss.agentId }, previousExtension: '2001' });

    const removed = await expectEvent('AgentRemoved', ofAda, () => admin.delete(`/v1/agents/${ada.agentId}`));
    expect(removed.data.agent).toMatchObject({ agentId: ada.agentId, status: 'removed', extension: '2005', managerId: null });
    expect(removed.revision).toBeGreaterThan(moved.revision);
  });

  it('publishes tenant, login and device events with their whole views', async () => {
    const settings = await expectEvent<PublishedEvent & { data: { tenant: { settings: { defaultCountry: string } } } }>('TenantSettingsChanged', () => true, () =>
      admin.patch('/v1/tenant/settings', { defaultCountry: 'IE' }),
    );
    expect(settings.data.tenant).toMatchObject({ tenantId: tenant, settings: { defaultCountry: 'IE' } });
    const login = await expectEvent<PublishedEvent & { data: { login: { loginId: string } } }>('LoginCreated', () => true, () =>
      admin.post('/v1/logins', { loginId: 'ada', role: 'AGENT' }),
    );
    expect(login.data.login).toMatchObject({ loginId: 'ada', role: 'AGENT', status: 'active' });
    const device = await expectEvent<PublishedEvent & { data: { device: { extension: string } }; streamId: string }>('DeviceStateChanged', () => true, () =>
      admin.put('/v1/devices/2001/state', { registration: 'registered', observedAt: '2026-11-23T09:00:00Z' }),
    );
    expect(device).toMatchObject({ streamId: `device-${tenant}-2001`, data: { device: { extension: '2001', registration: 'registered' }, changed: ['registration'] } });
  });

  it('delivers changes made over HTTP to a subscriber of evt.agent-directory.<tenant>.* (measured, 40 changes)', async () => {
    const ada = (await admin.post<AgentResponse>('/v1/agents', { name: 'Ada', extension: '2001' })).body.agent;
    const subject = eventSubjectFilter('agent-directory', tenant);
    const fromRequest: number[] = [];
    const fromResponse: number[] = [];
    for (let i = 0; i < 40; i++) {
      const name = `Ada ${i}`;
      const arrived = nextMessage<AgentEvent>(app.nc, subject, (event) => event.type === 'AgentProfileChanged' && event.data.agent.name === name);
      await app.nc.flush();
      const started = performance.now();
      const res = await admin.patch(`/v1/agents/${ada.agentId}`, { name });
      const answered = performance.now();
      expect(res.status).toBe(200);
      await arrived.promise;
      const received = performance.now();
      fromRequest.push(received - started);
      fromResponse.push(received - answered);
    }
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
      return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`;
    };
    console.log(`agent change -> NATS subscriber over 40 sequential changes: from the HTTP request ${stats(fromRequest)}; after the HTTP response ${stats(fromResponse)}`);
    expect(fromRequest).toHaveLength(40);
  });
});
