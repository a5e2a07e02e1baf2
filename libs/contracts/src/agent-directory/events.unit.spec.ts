// The agent-directory event catalogue: complete, uniquely named, and strict when a consumer parses.
import { AGENT_DIRECTORY_EVENTS, AgentDirectoryEventTypeSchema, parseAgentDirectoryEvent } from './events';
import { exampleAgentView } from './agent-view';

describe('agent-directory events', () => {
  it('are all owned by agent-directory, PascalCase and uniquely named', () => {
    const types = AGENT_DIRECTORY_EVENTS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const def of AGENT_DIRECTORY_EVENTS) {
      expect(def.service).toBe('agent-directory');
      expect(def.type).toMatch(/^[A-Z][A-Za-z]+$/);
    }
    expect(AgentDirectoryEventTypeSchema.options).toEqual(types);
  });

  it('every change the brief names is an event', () => {
    expect(AGENT_DIRECTORY_EVENTS.map((d) => d.type)).toEqual(
      expect.arrayContaining([
        'TenantRegistered',
        'TenantLicenceChanged',
        'AgentRegistered',
        'AgentProfileChanged',
        'AgentExtensionChanged',
        'RingPreferenceChanged',
        'WorkingHoursSet',
        'AfterHoursPolicySet',
        'AgentRoleChanged',
        'ReportingManagerAssigned',
        'ReportingManagerCleared',
        'AgentDisabled',
        'AgentEnabled',
        'AgentRemoved',
        'LoginCreated',
        'LoginRoleChanged',
        'LoginPrivilegesChanged',
        'CallSlotProfileAssigned',
        'DeviceStateChanged',
      ]),
    );
  });

  it('parses a valid message into { type, data }', () => {
    const event = parseAgentDirectoryEvent({ type: 'RingPreferenceChanged', version: 1, data: { agent: exampleAgentView } });
    expect(event).toEqual({ type: 'RingPreferenceChanged', data: { agent: exampleAgentView } });
  });

  it.each([
    [{ type: 'AgentTeleported', version: 1, data: {} }, /not an agent-directory event type/],
    [{ type: 'AgentRegistered', version: 2, data: { agent: exampleAgentView, rosterRevision: 0 } }, /v2 is not supported/],
    [{ type: 'AgentRegistered', version: 1, data: { agent: { ...exampleAgentView, mobile: '07911' }, rosterRevision: 0 } }, /E\.164/],
    [{ type: 'AgentRegistered', version: 1, data: { agent: exampleAgentView, rosterRevision: 0, extra: 1 } }, /extra/],
  ])('refuses %j so a consumer can dead-letter it', (message, error) => {
    expect(() => parseAgentDirectoryEvent(message)).toThrow(error);
  });
});
