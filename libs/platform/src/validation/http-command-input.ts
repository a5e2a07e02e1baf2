// Builds a command's input from an HTTP request: the JSON body (or query) with the path parameters merged
// in (the path wins) and `expectedRevision` taken from `If-Match` when the input has none, so one contract
// schema validates HTTP and NATS alike and the field paths match. Reads answer with the revision as ETag.
import type { FastifyReply } from 'fastify';
import { DomainError } from '@cc/contracts';

const IF_MATCH = /^(?:W\/)?"?(-?\d{1,10})"?$/;

export function httpCommandInput(options: {
  body: unknown;
  params: Record<string, string>;
  /** The `If-Match` header: `"3"` (the ETag of a read), `W/"3"`, `3` or `*` (no precondition). */
  ifMatch?: string | undefined;
}): Record<string, unknown> {
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

/** The ETag of a read or change result: its stream's revision (-1: the stream does not exist yet). */
export const etagOfRevision = (revision: number): string => `"${revision}"`;

/** Sets the ETag of a read or change result on the reply and passes the result through. */
export function withEtag<T extends { revision: number }>(reply: FastifyReply, result: T): T {
  void reply.header('etag', etagOfRevision(result.revision));
  return result;
}

function revisionOfIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = IF_MATCH.exec(header.trim());
  if (!match) throw invalid('headers.if-match', 'expected the ETag of a read, e.g. "3"');
  return Number(match[1]);
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [{ path, message }]);
}
