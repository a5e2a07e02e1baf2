import { parseICalendarExceptions } from './icalendar-import';
import { evaluateSchedule } from './schedule-evaluation';

const calendar = (...events: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e.trim().split('\n').map((l) => l.trim()), 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n');

const christmas = `
  UID:xmas@example.com
  DTSTART;VALUE=DATE:20201225
  DTEND;VALUE=DATE:20201226
  RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25
  EXDATE;VALUE=DATE:20221225,20231225
  SUMMARY:Christmas Day`;

describe('parseICalendarExceptions', () => {
  it('imports a recurring all-day holiday with its exdates', () => {
    expect(parseICalendarExceptions(calendar(christmas))).toEqual({
      exceptions: [
        {
          exceptionId: 'ics:xmas@example.com',
          label: 'Christmas Day',
          effect: 'closed',
          when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', dtstart: '2020-12-25', days: 1, exdates: ['2022-12-25', '2023-12-25'] },
        },
      ],
      errors: [],
    });
  });

  it('imports one-off all-day events, inclusive of their last day', () => {
    const out = parseICalendarExceptions(calendar('UID:closure\nDTSTART;VALUE=DATE:20251224\nDTEND;VALUE=DATE:20251227\nSUMMARY:Office closed'));
    expect(out.exceptions.map((e) => e.when)).toEqual([{ kind: 'dates', from: '2025-12-24', to: '2025-12-26' }]);
  });

  it('converts timed events to the schedule zone wall clock', () => {
    const out = parseICalendarExceptions(
      calendar(
        'UID:paris\nDTSTART;TZID=Europe/Paris:20250601T090000\nDTEND;TZID=Europe/Paris:20250601T120000\nSUMMARY:Training',
        'UID:utc\nDTSTART:20250601T230000Z\nDURATION:PT2H\nSUMMARY:Maintenance',
        'UID:floating\nDTSTART:20250602T090000\nDTEND:20250602T093000\nSUMMARY:Stand-up',
      ),
      { zone: 'Europe/London' },
    );
    expect(out.errors).toEqual([]);
    expect(out.exceptions.map((e) => [e.exceptionId, e.when])).toEqual([
      ['ics:paris', { kind: 'period', start: '2025-06-01T08:00', end: '2025-06-01T11:00' }],
      ['ics:utc', { kind: 'period', start: '2025-06-02T00:00', end: '2025-06-02T02:00' }],
      ['ics:floating', { kind: 'period', start: '2025-06-02T09:00', end: '2025-06-02T09:30' }],
    ]);
  });

  it('imports a recurring timed event with its wall-clock duration', () => {
    const out = parseICalendarExceptions(calendar('UID:lunch\nDTSTART:20250103T120000\nDTEND:20250103T133000\nRRULE:FREQ=WEEKLY;BYDAY=FR\nSUMMARY:Lunch'));
    expect(out.exceptions[0]?.when).toEqual({ kind: 'recurring-timed', rrule: 'FREQ=WEEKLY;BYDAY=FR', dtstart: '2025-01-03', startTime: '12:00', durationMinutes: 90, exdates: [] });
  });

  it('turns a moved occurrence into an exdate plus a one-off, and drops cancelled ones', () => {
    const out = parseICalendarExceptions(
      calendar(
        'UID:bank\nDTSTART;VALUE=DATE:20250526\nRRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO\nSUMMARY:Bank holiday',
        'UID:bank\nRECURRENCE-ID;VALUE=DATE:20260525\nDTSTART;VALUE=DATE:20260601\nSUMMARY:Bank holiday (moved)',
        'UID:bank\nRECURRENCE-ID;VALUE=DATE:20270531\nDTSTART;VALUE=DATE:20270531\nSTATUS:CANCELLED',
        'UID:gone\nDTSTART;VALUE=DATE:20250101\nSTATUS:CANCELLED',
      ),
    );
    expect(out.errors).toEqual([]);
    expect(out.exceptions.map((e) => [e.exceptionId, e.label, e.when])).toEqual([
      ['ics:bank', 'Bank holiday', { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO', dtstart: '2025-05-26', days: 1, exdates: ['2026-05-25', '2027-05-31'] }],
      ['ics:bank@2026-05-25', 'Bank holiday (moved)', { kind: 'dates', from: '2026-06-01', to: '2026-06-01' }],
    ]);
  });

  it('can import openings instead of closures', () => {
    const out = parseICalendarExceptions(calendar('UID:sale\nDTSTART;VALUE=DATE:20250607\nSUMMARY:Sale'), { effect: 'open', idPrefix: 'sales:' });
    expect(out.exceptions).toEqual([{ exceptionId: 'sales:sale', label: 'Sale', effect: 'open', hours: null, when: { kind: 'dates', from: '2025-06-07', to: '2025-06-07' } }]);
  });

  it.each<[string, string, { zone?: string }, { path: string; message: RegExp }]>([
    ['a sub-daily RRULE', 'UID:x\nDTSTART;VALUE=DATE:20250101\nRRULE:FREQ=HOURLY\nSUMMARY:X', {}, { path: 'events[0].rrule', message: /FREQ must be one of/ }],
    ['a missing UID', 'DTSTART;VALUE=DATE:20250101\nSUMMARY:X', {}, { path: 'events[0].uid', message: /missing/ }],
    ['a missing DTSTART', 'UID:x\nSUMMARY:X', {}, { path: 'events[0].dtstart', message: /missing/ }],
    ['a UTC time without a zone to convert to', 'UID:x\nDTSTART:20250101T090000Z\nDURATION:PT1H', {}, { path: 'events[0].dtstart', message: /schedule zone/ }],
    ['an end before the start', 'UID:x\nDTSTART:20250101T090000\nDTEND:20250101T080000', {}, { path: 'events[0].dtend', message: /after DTSTART/ }],
    ['RDATE', 'UID:x\nDTSTART;VALUE=DATE:20250101\nRDATE;VALUE=DATE:20250301', {}, { path: 'events[0].rdate', message: /not supported/ }],
    ['a UID with spaces', 'UID:has space\nDTSTART;VALUE=DATE:20250101', {}, { path: 'events[0].uid', message: /printable/ }],
  ])('reports %s and skips the event', (_name, event, options, expected) => {
    const out = parseICalendarExceptions(calendar(event, 'UID:ok\nDTSTART;VALUE=DATE:20250101\nSUMMARY:OK'), options);
    expect(out.errors).toEqual([{ path: expected.path, message: expect.stringMatching(expected.message) }]);
    expect(out.exceptions.map((e) => e.exceptionId)).toEqual(['ics:ok']);
  });

  it('reports a file that is not iCalendar', () => {
    expect(parseICalendarExceptions('hello world')).toEqual({ exceptions: [], errors: [{ path: 'ics', message: expect.stringMatching(/not an iCalendar file/) }] });
    expect(parseICalendarExceptions('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD')).toEqual({ exceptions: [], errors: [{ path: 'ics', message: 'expected BEGIN:VCALENDAR' }] });
    expect(parseICalendarExceptions(calendar(christmas), { zone: 'Mars/Base' }).errors).toEqual([{ path: 'zone', message: 'unknown time zone "Mars/Base"' }]);
  });

  it('produces exceptions the evaluator applies', () => {
    const { exceptions } = parseICalendarExceptions(calendar(christmas));
    const def = {
      scheduleId: 's',
      tenantId: 't',
      name: 'n',
      timezone: 'Europe/London',
      mode: '24/7' as const,
      templates: [],
      rotation: null,
      exceptions,
      emergency: null,
    };
    expect(evaluateSchedule(def, new Date('2025-12-25T12:00Z')).open).toBe(false);
    expect(evaluateSchedule(def, new Date('2023-12-25T12:00Z')).open).toBe(true);
  });
});
