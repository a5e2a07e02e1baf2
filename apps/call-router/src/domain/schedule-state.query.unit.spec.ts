// Specification of the cached schedule answer: `open` exact at transitions, what decided it at most a
// minute old, a replaced definition evaluated afresh.
import type { ScheduleDefinitionData } from '@cc/contracts';
import { REUSE_MS, scheduleStateAt } from './schedule-state.query';

const office = (ranges: Array<{ day: 'mon'; start: string; end: string }>): ScheduleDefinitionData => ({
  scheduleId: 'office',
  tenantId: 'acme',
  name: 'Office',
  timezone: 'Europe/London',
  mode: 'custom',
  templates: [{ templateId: 'a', name: 'A', ranges }],
  rotation: null,
  exceptions: [],
  emergency: null,
});

describe('scheduleStateAt', () => {
  it('flips exactly at the transition although the earlier answer is cached', () => {
    const def = office([{ day: 'mon', start: '09:00', end: '17:00' }]);
    expect(scheduleStateAt(def, new Date('2026-11-23T16:59:59.000Z')).open).toBe(true);
    expect(scheduleStateAt(def, new Date('2026-11-23T17:00:00.000Z')).open).toBe(false);
    expect(scheduleStateAt(def, new Date('2026-11-23T10:00:00.000Z')).open).toBe(true); // asking about the past again
  });

  it('names the touching rule that decides within a minute of its start', () => {
    const def = office([
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'mon', start: '12:00', end: '17:00' },
    ]);
    const before = scheduleStateAt(def, new Date('2026-11-23T11:59:30.000Z'));
    const after = scheduleStateAt(def, new Date(Date.parse('2026-11-23T11:59:30.000Z') + REUSE_MS));
    expect([before.decidedBy, after.decidedBy].map((d) => (d.kind === 'rule' ? d.range.start : d.kind))).toEqual(['09:00', '12:00']);
  });

  it('a new definition object (a schedule event) is evaluated afresh', () => {
    const at = new Date('2026-11-23T10:00:00.000Z');
    expect(scheduleStateAt(office([{ day: 'mon', start: '09:00', end: '17:00' }]), at).open).toBe(true);
    expect(scheduleStateAt(office([{ day: 'mon', start: '13:00', end: '17:00' }]), at).open).toBe(false);
  });
});
