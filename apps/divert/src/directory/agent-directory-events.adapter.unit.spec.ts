// Which facts the divert service takes from agent-directory's events, checked against the contracts' examples.
import { AGENT_DIRECTORY_EVENTS, AGENT_EVENTS, TENANT_EVENTS, exampleAgentView } from '@cc/contracts';
import { directoryFactOf } from './agent-directory-events.adapter';

describe('directoryFactOf', () => {
  it.each(AGENT_EVENTS.map((d) => [d.type, d] as const))('%s: the agent, its extension and status', (_type, def) => {
    const agent = (def.example as { agent: typeof exampleAgentView }).agent;
    expect(directoryFactOf({ type: def.type, version: def.version, data: def.example })).toEqual({
      kind: 'agent',
      agentId: agent.agentId,
      extension: agent.extension,
      status: agent.status,
    });
  });

  it.each(TENANT_EVENTS.map((d) => [d.type, d] as const))("%s: the tenant's default country", (_type, def) => {
    expect(directoryFactOf({ type: def.type, version: def.version, data: def.example })).toEqual({ kind: 'tenant', defaultCountry: 'GB' });
  });

  it('skips event types diverts do not need, without parsing them', () => {
    const needed: ReadonlySet<string> = new Set([...AGENT_EVENTS, ...TENANT_EVENTS].map((d) => d.type));
    const others = AGENT_DIRECTORY_EVENTS.filter((d) => !needed.has(d.type));
    expect(others.length).toBeGreaterThan(0);
    for (const def of others) expect(directoryFactOf({ type: def.type, version: 99, data: null })).toBeNull();
  });

  it('refuses a needed event in an unknown version or breaking its contract (the consumer dead-letters it)', () => {
    const [registered] = AGENT_EVENTS;
    expect(() => directoryFactOf({ type: registered.type, version: 2, data: registered.example })).toThrow(/not supported/);
    expect(() => directoryFactOf({ type: registered.type, version: 1, data: { agent: { agentId: 'x' } } })).toThrow();
  });
});
