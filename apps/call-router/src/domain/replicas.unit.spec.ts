// Specification of the router's replicas: built from other services' events only, indexed by tenant and
// key, idempotent (older or repeated revisions are ignored) and isolated per tenant.
import {
  BlacklistEntryAddedEvent,
  CallbackBookedEvent,
  LoginCreatedEvent,
  TenantRegisteredEvent,
  exampleCallFlow,
  exampleScheduleDefinition,
  type AgentDirectoryEvent,
  type CallbackSlotsEvent,
  type CallFlowEvent,
  type DivertEvent,
  type ScheduleEvent,
} from '@cc/contracts';
import { callbackAvailability } from './callback-availability.query';
import { RETAINED_FLOW_VERSIONS, RoutingReplicas } from './replicas';
import { MONDAY_10, agent, agentIdOf, callSlot, device, diverts, toVoicemail } from './routing.fixture';

const T = 'acme';
const at = (revision: number, tenantId = T) => ({ tenantId, revision });
const registered = (a = agent('2001')): AgentDirectoryEvent => ({ type: 'AgentRegistered', data: { agent: a, rosterRevision: 1 } });
const booked = (bookingId: string, startIso: string): CallbackSlotsEvent => ({
  type: 'CallbackBooked',
  data: { ...CallbackBookedEvent.example, bookingId, callSlotId: 'support-uk', startIso, endIso: startIso },
});
const TUESDAY_9 = '2026-11-24T09:00:00.000Z';
const B1 = '5f1c3c9e-8f0e-4c53-9a53-3f6f1e0f2a10';
const B2 = '0d7b7f55-2f1a-4e0c-8f43-8f2f6c1b9a22';

describe('RoutingReplicas', () => {
  describe('agents and devices (agent-directory)', () => {
    it('an agent event carries the whole agent: it is found by id and by extension', () => {
      const replicas = new RoutingReplicas();
      expect(replicas.applyAgentDirectoryEvent(at(0), registered())).toBe('applied');
      expect(replicas.forTenant(T).agent(agentIdOf('2001'))).toEqual(agent('2001'));
      expect(replicas.forTenant(T).agentByExtension('2001')?.agentId).toBe(agentIdOf('2001'));
    });

    it('ignores a revision it already applied, or an older one (redelivery, replay)', () => {
      const replicas = new RoutingReplicas();
      replicas.applyAgentDirectoryEvent(at(3), { type: 'AgentDisabled', data: { agent: agent('2001', { status: 'disabled' }), reason: null } });
      expect(replicas.applyAgentDirectoryEvent(at(3), registered())).toBe('stale');
      expect(replicas.applyAgentDirectoryEvent(at(1), registered())).toBe('stale');
      expect(replicas.forTenant(T).agent(agentIdOf('2001'))?.status).toBe('disabled');
      expect(replicas.applyAgentDirectoryEvent(at(4), { type: 'AgentEnabled', data: { agent: agent('2001') } })).toBe('applied');
      expect(replicas.forTenant(T).agent(agentIdOf('2001'))?.status).toBe('active');
    });

    it('an extension move frees the old extension for whoever holds it next, whatever the arrival order', () => {
      const replicas = new RoutingReplicas();
      const a = agent('2001');
      const b = { ...agent('2002'), agentId: agentIdOf('2002'), extension: '2001' };
      replicas.applyAgentDirectoryEvent(at(0), registered(a));
      replicas.applyAgentDirectoryEvent(at(0), registered(b)); // B's registration overtook A's move
      replicas.applyAgentDirectoryEvent(at(1), { type: 'AgentExtensionChanged', data: { agent: { ...a, extension: '2005' }, previousExtension: '2001' } });
      const view = replicas.forTenant(T);
      expect(view.agentByExtension('2001')?.agentId).toBe(b.agentId);
      expect(view.agentByExtension('2005')?.agentId).toBe(a.agentId);
    });

    it('a removed agent stays readable (status removed) but holds no extension; a disabled one still does', () => {
      const replicas = new RoutingReplicas();
      replicas.applyAgentDirectoryEvent(at(0), registered(agent('2001')));
      replicas.applyAgentDirectoryEvent(at(0), registered(agent('2002')));
      replicas.applyAgentDirectoryEvent(at(1), { type: 'AgentRemoved', data: { agent: agent('2001', { status: 'removed' }), rosterRevision: 2 } });
      replicas.applyAgentDirectoryEvent(at(1), { type: 'AgentDisabled', data: { agent: agent('2002', { status: 'disabled' }), reason: 'leave' } });
      const view = replicas.forTenant(T);
      expect(view.agent(agentIdOf('2001'))?.status).toBe('removed');
      expect(view.agentByExtension('2001')).toBeUndefined();
      expect(view.agentByExtension('2002')?.status).toBe('disabled');
    });

    it('device state per extension', () => {
      const replicas = new RoutingReplicas();
      replicas.applyAgentDirectoryEvent(at(5), { type: 'DeviceStateChanged', data: { device: device('2001', 'registered', 'onCall'), changed: ['activity'] } });
      expect(replicas.applyAgentDirectoryEvent(at(4), { type: 'DeviceStateChanged', data: { device: device('2001', 'unregistered'), changed: ['registration'] } })).toBe('stale');
      expect(replicas.forTenant(T).device('2001')).toMatchObject({ registration: 'registered', activity: 'onCall' });
      expect(replicas.forTenant(T).device('2002')).toBeUndefined();
    });

    it('tenant, org, extension-claim and login events are not routing state', () => {
      const replicas = new RoutingReplicas();
      expect(replicas.applyAgentDirectoryEvent(at(0), { type: 'TenantRegistered', data: TenantRegisteredEvent.example } as AgentDirectoryEvent)).toBe('ignored');
      expect(replicas.applyAgentDirectoryEvent(at(0), { type: 'LoginCreated', data: LoginCreatedEvent.example } as AgentDirectoryEvent)).toBe('ignored');
    });
  });

  describe('diverts and schedules', () => {
    it('divert events carry all rules of the extension; a removed extension has none', () => {
      const replicas = new RoutingReplicas();
      const rules = diverts({ busy: toVoicemail });
      const set: DivertEvent = { type: 'DivertRuleSet', data: { extension: '2001', condition: 'busy', rules, reason: null } };
      expect(replicas.applyDivertEvent(at(0), set)).toBe('applied');
      expect(replicas.forTenant(T).divertRules('2001')).toEqual(rules);
      expect(replicas.applyDivertEvent(at(0), set)).toBe('stale');
      replicas.applyDivertEvent(at(1), { type: 'DivertExtensionRemoved', data: { extension: '2001', reason: null } });
      expect(replicas.forTenant(T).divertRules('2001')).toBeUndefined();
      expect(replicas.applyDivertEvent(at(0), set)).toBe('stale'); // a late copy does not bring the rules back
    });

    it('schedule events carry the whole schedule; ScheduleDeleted drops it', () => {
      const replicas = new RoutingReplicas();
      const created: ScheduleEvent = { type: 'ScheduleCreated', data: { schedule: exampleScheduleDefinition } };
      replicas.applyScheduleEvent(at(0), created);
      expect(replicas.forTenant(T).schedule('main-line')).toEqual(exampleScheduleDefinition);
      replicas.applyScheduleEvent(at(1), { type: 'ScheduleDeleted', data: { schedule: exampleScheduleDefinition } });
      expect(replicas.forTenant(T).schedule('main-line')).toBeUndefined();
      expect(replicas.applyScheduleEvent(at(0), created)).toBe('stale');
    });
  });

  describe('call flows', () => {
    const published = (version: number): CallFlowEvent => ({ type: 'CallFlowPublished', data: { number: exampleCallFlow.number, version, flow: { ...exampleCallFlow, name: `v${version}` } } });

    it('new calls get the latest version; calls in progress still find theirs', () => {
      const replicas = new RoutingReplicas();
      replicas.applyCallFlowEvent(at(0), published(1));
      replicas.applyCallFlowEvent(at(1), published(2));
      const view = replicas.forTenant(T);
      expect(view.callFlow(exampleCallFlow.number)).toMatchObject({ status: 'published', version: 2, flow: { name: 'v2' } });
      expect(view.callFlowVersion(exampleCallFlow.number, 1)?.name).toBe('v1');
    });

    it(`keeps the last ${RETAINED_FLOW_VERSIONS} versions`, () => {
      const replicas = new RoutingReplicas();
      for (let v = 1; v <= RETAINED_FLOW_VERSIONS + 2; v++) replicas.applyCallFlowEvent(at(v - 1), published(v));
      const view = replicas.forTenant(T);
      expect(view.callFlowVersion(exampleCallFlow.number, 2)).toBeUndefined();
      expect(view.callFlowVersion(exampleCallFlow.number, 3)?.name).toBe('v3');
    });

    it('a retired number is not routable for new calls; its versions stay for calls in progress; publishing revives it', () => {
      const replicas = new RoutingReplicas();
      replicas.applyCallFlowEvent(at(0), published(1));
      replicas.applyCallFlowEvent(at(1), { type: 'CallFlowRetired', data: { number: exampleCallFlow.number, version: 1, reason: null } });
      const view = replicas.forTenant(T);
      expect(view.callFlow(exampleCallFlow.number)).toEqual({ status: 'retired', version: 1 });
      expect(view.callFlowVersion(exampleCallFlow.number, 1)).toBeDefined();
      replicas.applyCallFlowEvent(at(2), published(2));
      expect(view.callFlow(exampleCallFlow.number)).toMatchObject({ status: 'published', version: 2 });
    });
  });

  describe('call slots (callback-slots)', () => {
    const created: CallbackSlotsEvent = { type: 'CallSlotCreated', data: callSlot() };

    it('bookings count per occurrence, idempotently; a cancellation frees the place; offerability follows', () => {
      const replicas = new RoutingReplicas();
      replicas.applyCallbackSlotsEvent(at(0), created);
      replicas.applyCallbackSlotsEvent(at(0), booked(B1, TUESDAY_9));
      expect(replicas.applyCallbackSlotsEvent(at(0), booked(B1, TUESDAY_9))).toBe('stale');
      replicas.applyCallbackSlotsEvent(at(1), booked(B2, TUESDAY_9));
      const view = replicas.forTenant(T);
      expect(view.callSlot('support-uk')?.bookedAt(TUESDAY_9)).toBe(2);
      expect(callbackAvailability(view.callSlot('support-uk'), MONDAY_10)).toMatchObject({ offerable: false, reason: 'noFreeTimeSlot' });
      replicas.applyCallbackSlotsEvent(at(2), {
        type: 'CallbackCancelled',
        data: { bookingId: B1, callSlotId: 'support-uk', startIso: TUESDAY_9, reason: 'requested', rescheduledTo: null, note: null },
      });
      expect(callbackAvailability(view.callSlot('support-uk'), MONDAY_10)).toMatchObject({ offerable: true, nextFreeStartIso: TUESDAY_9, free: 1 });
    });

    it('capacity overrides, closed dates and deletion reach the view', () => {
      const replicas = new RoutingReplicas();
      replicas.applyCallbackSlotsEvent(at(0), created);
      replicas.applyCallbackSlotsEvent(at(0), { type: 'OccurrenceCapacityChanged', data: { callSlotId: 'support-uk', startIso: TUESDAY_9, endIso: TUESDAY_9, capacity: 7 } });
      replicas.applyCallbackSlotsEvent(at(1), { type: 'OccurrenceClosed', data: { callSlotId: 'support-uk', date: '2026-12-25', reason: null } });
      replicas.applyCallbackSlotsEvent(at(2), { type: 'OccurrenceClosed', data: { callSlotId: 'support-uk', date: '2026-12-26', reason: null } });
      replicas.applyCallbackSlotsEvent(at(3), { type: 'OccurrenceReopened', data: { callSlotId: 'support-uk', date: '2026-12-26' } });
      const view = replicas.forTenant(T).callSlot('support-uk')!;
      expect(view.capacityOverrideAt(TUESDAY_9)).toBe(7);
      expect([...view.closedDates]).toEqual(['2026-12-25']);
      replicas.applyCallbackSlotsEvent(at(4), { type: 'CallSlotDeleted', data: { callSlotId: 'support-uk', reason: null } });
      expect(replicas.forTenant(T).callSlot('support-uk')?.status).toBe('deleted');
    });

    it('bookings that arrive before the definition are kept; the call slot appears once defined', () => {
      const replicas = new RoutingReplicas();
      replicas.applyCallbackSlotsEvent(at(0), booked(B1, TUESDAY_9));
      expect(replicas.forTenant(T).callSlot('support-uk')).toBeUndefined();
      replicas.applyCallbackSlotsEvent(at(0), created);
      expect(replicas.forTenant(T).callSlot('support-uk')?.bookedAt(TUESDAY_9)).toBe(1);
    });

    it('forgets bookings of past occurrences on prune', () => {
      const replicas = new RoutingReplicas();
      replicas.applyCallbackSlotsEvent(at(0), booked(B1, TUESDAY_9));
      replicas.applyCallbackSlotsEvent(at(0), booked(B2, '2026-12-01T09:00:00.000Z'));
      expect(replicas.pruneOccurrences(new Date('2026-11-25T00:00:00.000Z'))).toBe(1);
      expect(replicas.stats()).toMatchObject({ tenants: 1, callSlots: 1, occurrences: 1 });
    });

    it('blacklist and offer-session events are not routing state', () => {
      const replicas = new RoutingReplicas();
      expect(replicas.applyCallbackSlotsEvent(at(0), { type: 'BlacklistEntryAdded', data: BlacklistEntryAddedEvent.example } as CallbackSlotsEvent)).toBe('ignored');
    });
  });

  it('keeps tenants apart: the same keys in two tenants never meet; an unknown tenant sees nothing', () => {
    const replicas = new RoutingReplicas();
    replicas.applyAgentDirectoryEvent(at(0, 'acme'), registered(agent('2001')));
    replicas.applyAgentDirectoryEvent(at(0, 'globex'), registered(agent('2001', { name: 'Globex 2001' })));
    expect(replicas.forTenant('acme').agent(agentIdOf('2001'))?.name).toBe('Agent 2001');
    expect(replicas.forTenant('globex').agentByExtension('2001')?.name).toBe('Globex 2001');
    expect(replicas.forTenant('initech').agentByExtension('2001')).toBeUndefined();
    expect(replicas.forTenant('initech').callFlow(exampleCallFlow.number)).toBeUndefined();
    expect(replicas.stats()).toMatchObject({ tenants: 2, agents: 2 });
  });
});
