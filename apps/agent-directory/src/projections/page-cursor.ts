// Keyset pagination cursors: the sort key of a page's last row, opaque to clients (base64url JSON). A
// cursor that does not decode is the client's mistake: 400 naming `cursor`, never a 500.
import { DomainError } from '@cc/contracts';

export function encodePageCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodePageCursor(cursor: string, parts: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== parts || !key.every((part) => typeof part === 'string' && part.length > 0 && part.length <= 300)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path: 'cursor', message: 'not a cursor returned by this API (pass nextCursor as is)' },
    ]);
  }
  return key as string[];
}

/** A user's text inside a LIKE pattern: `%`, `_` and `\` match themselves. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
