// Specification of what the replica snapshot keeps per source: full-state events replace each other per
// stream, additive facts (bookings, closed dates, flow versions) each keep their own row, and only passed
// occurrences expire.
import { CALLBACK_SLOTS_EVENTS, CALL_FLOW_EVENTS, DIVERT_EVENTS } from '@cc/contracts';
import { OCCURRENCE_RETENTION_MS, agentDirectorySource, callFlowSource, callbackSlotsSource, divertSource } from './replica-sources';

const exampleOf = <D extends { type: string; example: unknown }>(definitions: readonly D[], type: string) => {
  const definition = definitions.find((d) => d.type === type)!;
  return { type: definition.type, version: 1, data: definition.example };
};

describe('replica sources', () => {
  it('wants the types routing reads and skips the rest unparsed', () => {
    expect(agentDirectorySource.wants('DeviceStateChanged')).toBe(true);
    expect(agentDirectorySource.wants('LoginCreated')).toBe(false);
    expect(callbackSlotsSource.wants('CallbackBooked')).toBe(true);
    expect(callbackSlotsSource.wants('SlotOffered')).toBe(false);
    expect(callFlowSource.wants('CallFlowPublished')).toBe(true);
    expect(callFlowSource.wants('RouteDecided')).toBe(false);
  });

  it('keeps one row per divert stream, per booking, per closed date, per flow version', () => {
    expect(divertSource.compactionKey(divertSource.parse(exampleOf(DIVERT_EVENTS, 'DivertRuleSet')))).toBe('state');
    const booked = callbackSlotsSource.parse(exampleOf(CALLBACK_SLOTS_EVENTS, 'CallbackBooked'));
    expect(callbackSlotsSource.compactionKey(booked)).toMatch(/^booking:/);
    expect(callbackSlotsSource.compactionKey(callbackSlotsSource.parse(exampleOf(CALLBACK_SLOTS_EVENTS, 'OccurrenceClosed')))).toMatch(/^date:\d{4}-\d{2}-\d{2}$/);
    expect(callFlowSource.compactionKey(callFlowSource.parse(exampleOf(CALL_FLOW_EVENTS, 'CallFlowPublished')))).toBe('version:3');
    expect(callFlowSource.compactionKey(callFlowSource.parse(exampleOf(CALL_FLOW_EVENTS, 'CallFlowRetired')))).toBe('retired');
  });

  it('expires an occurrence booking a day after the occurrence starts, and nothing else', () => {
    const booked = callbackSlotsSource.parse(exampleOf(CALLBACK_SLOTS_EVENTS, 'CallbackBooked'));
    const startIso = (booked.data as { startIso: string }).startIso;
    expect(callbackSlotsSource.expiresAt(booked)?.getTime()).toBe(Date.parse(startIso) + OCCURRENCE_RETENTION_MS);
    expect(callbackSlotsSource.expiresAt(callbackSlotsSource.parse(exampleOf(CALLBACK_SLOTS_EVENTS, 'CallSlotCreated')))).toBeNull();
  });

  it('refuses an event that breaks its contract (the writer retries, then dead-letters it)', () => {
    expect(() => divertSource.parse({ type: 'DivertRuleSet', version: 1, data: { extension: 'x' } })).toThrow();
    expect(() => divertSource.parse({ type: 'DivertRuleSet', version: 9, data: {} })).toThrow();
  });
});
