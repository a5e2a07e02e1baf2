// Optimistic concurrency over HTTP: reads and writes answer the stream revision as the ETag, and a write
// with `If-Match: "<revision>"` is refused with 409 and `currentRevision` when someone changed it first.
// Without If-Match a concurrent write is decided again on the new state (nothing lost).
import type { FastifyReply } from 'fastify';
import { DomainError } from '@cc/contracts';

const IF_MATCH = /^(?:W\/)?"?(\d{1,10})"?$/;

/** The revision an `If-Match` header pins (`"3"`, `W/"3"` or `3`); undefined without one or for `*`. */
export function expectedRevisionOf(ifMatch: string | undefined): number | undefined {
  const header = ifMatch?.trim();
  if (header === undefined || header === '' || header === '*') return undefined;
  const match = IF_MATCH.exec(header);
  if (!match) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path: 'headers.if-match', message: 'expected the ETag of a read, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

/** Sets the ETag of a response that carries a `revision`, and returns the response. */
export function withEtag<T extends { revision: number }>(reply: FastifyReply, response: T): T {
  void reply.header('etag', `"${response.revision}"`);
  return response;
}
