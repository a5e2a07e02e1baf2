// Builds the input of an exceptions import from an HTTP request. Two ways in: the calendar itself as
// `text/calendar` (or text/plain) with `effect`, `source` and `expectedRevision` in the query, or JSON
// `{ ics }` / `{ format: 'exceptions', exceptions }` (`format` defaults to 'ics').
import { ImportCalendarQuerySchema } from '@cc/contracts';
import { parseOrThrow, httpCommandInput } from '@cc/platform';

export function importExceptionsInput(options: {
  body: unknown;
  query: unknown;
  scheduleId: string;
  ifMatch?: string | undefined;
}): Record<string, unknown> {
  const query = parseOrThrow(ImportCalendarQuerySchema, options.query ?? {}, 'query');
  const { body } = options;
  const fromQuery = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  // A body that names its format keeps it; an empty body is left for the schema to refuse.
  const shaped = typeof body === 'string' ? { ...fromQuery, format: 'ics', ics: body } : isObject ? { ...fromQuery, format: 'ics', ...body } : body;
  return httpCommandInput({ body: shaped, params: { scheduleId: options.scheduleId }, ifMatch: options.ifMatch });
}
