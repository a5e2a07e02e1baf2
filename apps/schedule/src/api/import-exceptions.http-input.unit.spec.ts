// The two ways an import comes in over HTTP map onto one request shape: a text/calendar body with its
// options in the query, or JSON whose `format` defaults to 'ics'.
import { ImportExceptionsRequestSchema } from '@cc/contracts';
import { importExceptionsInput } from './import-exceptions.http-input';

const ICS = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR';

describe('importExceptionsInput', () => {
  it('a calendar body takes effect, source and expectedRevision from the query', () => {
    const input = importExceptionsInput({ body: ICS, query: { effect: 'open', source: 'fair.ics', expectedRevision: '4' }, scheduleId: 'main-line' });
    expect(ImportExceptionsRequestSchema.parse(input)).toEqual({ scheduleId: 'main-line', format: 'ics', ics: ICS, effect: 'open', source: 'fair.ics', expectedRevision: 4 });
  });

  it('JSON { ics } is an iCalendar import (effect closed by default); If-Match pins the revision', () => {
    const input = importExceptionsInput({ body: { ics: ICS }, query: {}, scheduleId: 'main-line', ifMatch: '"7"' });
    expect(ImportExceptionsRequestSchema.parse(input)).toEqual({ scheduleId: 'main-line', format: 'ics', ics: ICS, effect: 'closed', expectedRevision: 7 });
  });

  it('JSON with format "exceptions" keeps its format', () => {
    const exceptions = [{ exceptionId: 'x', label: 'X', effect: 'closed', when: { kind: 'dates', from: '2026-01-01', to: '2026-01-01' } }];
    const input = importExceptionsInput({ body: { format: 'exceptions', exceptions }, query: undefined, scheduleId: 'main-line' });
    expect(ImportExceptionsRequestSchema.parse(input)).toMatchObject({ format: 'exceptions', exceptions: [{ exceptionId: 'x' }] });
  });

  it('refuses an unknown query parameter with its path', () => {
    expect(() => importExceptionsInput({ body: ICS, query: { colour: 'red' }, scheduleId: 'main-line' })).toThrow(
      expect.objectContaining({ errors: [{ path: 'query.colour', message: 'unknown field "colour"' }] }),
    );
  });
});
