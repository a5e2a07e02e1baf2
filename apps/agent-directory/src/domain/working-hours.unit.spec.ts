// Specification of isWorking: the seed's split day, agents' own zones, and DST days in Europe/London
// (2026: spring forward Sun 29 Mar 01:00 GMT -> 02:00 BST; fall back Sun 25 Oct 02:00 BST -> 01:00 GMT).
import type { AgentView, WorkingRange } from '@cc/contracts';
import { agentView } from './agent-directory.fixture';
import { isWorking } from './working-hours';

const weekly = (ranges: WorkingRange[], timezone = 'Europe/London'): AgentView =>
  agentView({ workingHours: { mode: 'weekly', timezone, ranges } });
const at = (iso: string): Date => new Date(iso);

/** Seed 002: 9 AM to 12 PM, a break till 1 PM, then 1 PM to 5 PM (Mondays here). */
const seedDay = weekly([
  { day: 'mon', start: '09:00', end: '12:00' },
  { day: 'mon', start: '13:00', end: '17:00' },
]);

describe('isWorking', () => {
  it('an agent without configured hours is always working', () => {
    expect(isWorking(agentView(), at('2026-11-23T03:00:00Z'))).toEqual({
      working: true,
      reason: 'alwaysWorking',
      range: null,
      nextChange: null,
      timezone: null,
    });
  });

  describe("the seed's split day, Monday 23 Nov 2026 (GMT)", () => {
    it.each([
      ['2026-11-23T08:59:00Z', false, null, '2026-11-23T09:00:00.000Z'],
      ['2026-11-23T10:00:00Z', true, { day: 'mon', start: '09:00', end: '12:00' }, '2026-11-23T12:00:00.000Z'],
      ['2026-11-23T12:30:00Z', false, null, '2026-11-23T13:00:00.000Z'], // the lunch break is off hours
      ['2026-11-23T13:00:00Z', true, { day: 'mon', start: '13:00', end: '17:00' }, '2026-11-23T17:00:00.000Z'],
      ['2026-11-23T17:00:00Z', false, null, '2026-11-30T09:00:00.000Z'], // next Monday
    ])('at %s working=%s', (instant, working, range, nextChange) => {
      const answer = isWorking(seedDay, at(instant));
      expect(answer).toMatchObject({ working, range, timezone: 'Europe/London', reason: working ? 'insideRange' : 'outsideRanges' });
      expect(answer.nextChange?.toISOString()).toBe(nextChange);
    });

    it('follows the wall clock into summer time (09:30 BST is 08:30 UTC)', () => {
      const answer = isWorking(seedDay, at('2026-06-22T08:30:00Z'));
      expect(answer.working).toBe(true);
      expect(answer.nextChange?.toISOString()).toBe('2026-06-22T11:00:00.000Z');
    });
  });

  it("evaluates in the agent's own zone (09:30 in New York is 14:30 UTC in November)", () => {
    const newYork = weekly([{ day: 'mon', start: '09:00', end: '17:00' }], 'America/New_York');
    expect(isWorking(newYork, at('2026-11-23T14:30:00Z')).working).toBe(true);
    expect(isWorking(newYork, at('2026-11-23T13:30:00Z')).working).toBe(false);
  });

  describe('spring-forward Sunday, 29 Mar 2026', () => {
    // 01:00-02:00 does not exist that day: the range starts when the clock jumps to 02:00 BST (01:00 UTC).
    const earlyShift = weekly([{ day: 'sun', start: '01:00', end: '03:00' }]);

    it('a 01:00-03:00 range has not begun before the jump', () => {
      const answer = isWorking(earlyShift, at('2026-03-29T00:30:00Z'));
      expect(answer.working).toBe(false);
      expect(answer.nextChange?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    });

    it('is working from the jump (02:00 BST) to 03:00 BST: one hour, not two', () => {
      const answer = isWorking(earlyShift, at('2026-03-29T01:30:00Z'));
      expect(answer).toMatchObject({ working: true, range: { day: 'sun', start: '01:00', end: '03:00' } });
      expect(answer.nextChange?.toISOString()).toBe('2026-03-29T02:00:00.000Z');
      expect(isWorking(earlyShift, at('2026-03-29T02:00:00Z')).working).toBe(false);
    });

    it('a Saturday night shift 22:00-06:00 across midnight lasts 7 hours', () => {
      const nightShift = weekly([{ day: 'sat', start: '22:00', end: '06:00' }]);
      const before = isWorking(nightShift, at('2026-03-28T21:59:00Z'));
      expect(before.working).toBe(false);
      expect(before.nextChange?.toISOString()).toBe('2026-03-28T22:00:00.000Z');
      const during = isWorking(nightShift, at('2026-03-29T04:59:00Z')); // 05:59 BST
      expect(during).toMatchObject({ working: true, range: { day: 'sat', start: '22:00', end: '06:00' } });
      expect(during.nextChange?.toISOString()).toBe('2026-03-29T05:00:00.000Z'); // 06:00 BST
    });
  });

  describe('fall-back Sunday, 25 Oct 2026', () => {
    it('a Saturday night shift 22:00-06:00 lasts 9 hours', () => {
      const nightShift = weekly([{ day: 'sat', start: '22:00', end: '06:00' }]);
      const start = isWorking(nightShift, at('2026-10-24T20:59:00Z'));
      expect(start.nextChange?.toISOString()).toBe('2026-10-24T21:00:00.000Z'); // 22:00 BST
      const during = isWorking(nightShift, at('2026-10-25T05:30:00Z')); // 05:30 GMT
      expect(during.working).toBe(true);
      expect(during.nextChange?.toISOString()).toBe('2026-10-25T06:00:00.000Z');
    });

    it('a 01:00-02:00 range covers both passes of the repeated hour', () => {
      const repeated = weekly([{ day: 'sun', start: '01:00', end: '02:00' }]);
      expect(isWorking(repeated, at('2026-10-25T00:30:00Z')).working).toBe(true); // 01:30 BST
      const secondPass = isWorking(repeated, at('2026-10-25T01:30:00Z')); // 01:30 GMT
      expect(secondPass.working).toBe(true);
      expect(secondPass.nextChange?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
    });
  });

  it('weekly hours without ranges: never working, no change coming', () => {
    expect(isWorking(weekly([]), at('2026-11-23T10:00:00Z'))).toEqual({
      working: false,
      reason: 'outsideRanges',
      range: null,
      nextChange: null,
      timezone: 'Europe/London',
    });
  });

  it.each(['disabled', 'removed'] as const)('a %s agent is not working, whatever its hours', (status) => {
    expect(isWorking({ ...seedDay, status }, at('2026-11-23T10:00:00Z'))).toEqual({
      working: false,
      reason: status,
      range: null,
      nextChange: null,
      timezone: 'Europe/London',
    });
  });
});
