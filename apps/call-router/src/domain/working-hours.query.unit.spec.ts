// Specification of the cached working-hours answer: exact at every boundary, whatever order of instants
// the router asks in (live calls move forward, dry runs may ask about the past).
import type { WorkingHours } from '@cc/contracts';
import { workingHoursAt } from './working-hours.query';

const hours: WorkingHours = {
  mode: 'weekly',
  timezone: 'Europe/London',
  ranges: [
    { day: 'mon', start: '09:00', end: '12:00' },
    { day: 'mon', start: '12:00', end: '17:00' },
  ],
};

describe('workingHoursAt', () => {
  it('answers right on both sides of every boundary, with the range that decides, in any order of asking', () => {
    const ask = (iso: string) => {
      const answer = workingHoursAt(hours, new Date(iso));
      return answer.working && answer.mode === 'weekly' ? `${answer.range.start}-${answer.range.end}` : answer.working;
    };
    expect(
      ['2026-11-23T10:00:00.000Z', '2026-11-23T11:59:59.999Z', '2026-11-23T12:00:00.000Z', '2026-11-23T16:59:59.999Z', '2026-11-23T17:00:00.000Z', '2026-11-23T08:59:59.999Z', '2026-11-23T09:00:00.000Z', '2026-11-30T09:30:00.000Z'].map(ask),
    ).toEqual(['09:00-12:00', '09:00-12:00', '12:00-17:00', '12:00-17:00', false, false, '09:00-12:00', '09:00-12:00']);
  });

  it('treats an unknown zone as working (traced by the planner) instead of failing the call', () => {
    expect(workingHoursAt({ ...hours, timezone: 'Mars/Olympus' }, new Date('2026-11-23T10:00:00.000Z'))).toEqual({ working: true, mode: 'invalidZone', zone: 'Mars/Olympus' });
  });

  it('"always" needs no evaluation', () => {
    expect(workingHoursAt({ mode: 'always' }, new Date(0))).toEqual({ working: true, mode: 'always' });
  });
});
