// Keyset pagination of the call log (newest first): the cursor names the last call of a page by its start
// and id, so pages stay stable while new calls arrive. Opaque to clients (base64url JSON), checked on the way in.
import { CALL_LOG_ERRORS, DomainError } from '@cc/contracts';

export type CallLogCursor = { readonly startedAt: string; readonly callId: string };

export const encodeCallLogCursor = (cursor: CallLogCursor): string =>
  Buffer.from(JSON.stringify({ s: cursor.startedAt, c: cursor.callId }), 'utf8').toString('base64url');

export function decodeCallLogCursor(text: string): CallLogCursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const { s, c } = parsed as { s?: unknown; c?: unknown };
      if (typeof s === 'string' && !Number.isNaN(Date.parse(s)) && typeof c === 'string' && c.length > 0) return { startedAt: s, callId: c };
    }
  } catch {
    // not base64url JSON: refused below
  }
  throw new DomainError(CALL_LOG_ERRORS.INVALID_CURSOR.code, CALL_LOG_ERRORS.INVALID_CURSOR.kind, 'The cursor is not one this service issued', [
    { path: 'query.cursor', message: 'pass the nextCursor of the previous page unchanged' },
  ]);
}
