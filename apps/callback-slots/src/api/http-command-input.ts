// Builds a command's input from an HTTP request: the JSON body with the path parameters merged in (the
// path wins) and `expectedRevision` from `If-Match` when the body has none, so one contract schema
// validates HTTP and NATS alike and field paths match. Reads answer with the revision as ETag.
import { DomainError } from '@cc/contracts';

const IF_MATCH = /^(?:W\/)?"?(-?\d{1,10})"?$/;

export function httpCommandInput(options: { body: unknown; params: Record<string, string>; ifMatch?: string | undefined }): Record<string, unknown> {
  const { body, params } = options;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw invalid('(root)', 'the body must be a JSON object');
  }
  const input: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>), ...params };
  const fromHeader = revisionOfIfMatch(options.ifMatch);
  if (fromHeader === undefined) return input;
  if (input.expectedRevision !== undefined && input.expectedRevision !== fromHeader) {
    throw invalid('expectedRevision', `differs from If-Match (${fromHeader}); send one of them`);
  }
  return { ...input, expectedRevision: fromHeader };
}

/** The ETag of a call slot view: its stream's revision. */
export const etagOfRevision = (revision: number): string => `"${revision}"`;

function revisionOfIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = IF_MATCH.exec(header.trim());
  if (!match) throw invalid('headers.if-match', 'expected the ETag of a read, e.g. "3"');
  return Number(match[1]);
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [{ path, message }]);
}
