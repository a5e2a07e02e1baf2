// Specification of call-log cursors: what is encoded comes back, anything else is a 400 on `query.cursor`.
import { CALL_LOG_ERRORS } from '@cc/contracts';
import { decodeCallLogCursor, encodeCallLogCursor } from './call-log-cursor';

describe('call-log cursor', () => {
  it('round-trips the last call of a page, whatever its call id holds', () => {
    const cursor = { startedAt: '2026-11-23T09:00:00.000Z', callId: 'a84b/4c76@pbx.acme.test' };
    const text = encodeCallLogCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCallLogCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON without the fields', Buffer.from('{"x":1}').toString('base64url')],
    ['a start that is not a time', Buffer.from('{"s":"yesterday","c":"x"}').toString('base64url')],
    ['an empty call id', Buffer.from('{"s":"2026-11-23T09:00:00.000Z","c":""}').toString('base64url')],
  ])('refuses %s with INVALID_CURSOR on query.cursor', (_what, text) => {
    expect(() => decodeCallLogCursor(text)).toThrow(
      expect.objectContaining({ code: CALL_LOG_ERRORS.INVALID_CURSOR.code, kind: 'validation', errors: [expect.objectContaining({ path: 'query.cursor' })] }),
    );
  });
});
