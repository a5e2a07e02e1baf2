// How an HTTP request becomes a command's input: path parameters win over the body, If-Match becomes
// expectedRevision (and must agree with one in the body), and only JSON objects are bodies.
import { httpCommandInput } from './http-command-input';
import { DomainError } from '@cc/contracts';

describe('httpCommandInput', () => {
  it('merges the path parameters over the body', () => {
    expect(httpCommandInput({ body: { name: 'Main', scheduleId: 'other' }, params: { scheduleId: 'main-line' } })).toEqual({ name: 'Main', scheduleId: 'main-line' });
    expect(httpCommandInput({ body: undefined, params: { scheduleId: 'main-line' } })).toEqual({ scheduleId: 'main-line' });
  });

  it.each([
    ['"3"', 3],
    ['W/"3"', 3],
    ['3', 3],
    ['"-1"', -1],
  ])('takes If-Match %s as expectedRevision %d', (ifMatch, revision) => {
    expect(httpCommandInput({ body: {}, params: {}, ifMatch })).toEqual({ expectedRevision: revision });
  });

  it('ignores an absent or "*" If-Match', () => {
    expect(httpCommandInput({ body: { expectedRevision: 2 }, params: {}, ifMatch: '*' })).toEqual({ expectedRevision: 2 });
    expect(httpCommandInput({ body: {}, params: {}, ifMatch: '' })).toEqual({});
  });

  it.each<[string, () => unknown, string]>([
    ['an If-Match that is not a revision', () => httpCommandInput({ body: {}, params: {}, ifMatch: 'yesterday' }), 'headers.if-match'],
    ['an If-Match that contradicts the body', () => httpCommandInput({ body: { expectedRevision: 2 }, params: {}, ifMatch: '"3"' }), 'expectedRevision'],
    ['a body that is an array', () => httpCommandInput({ body: [1, 2], params: {} }), '(root)'],
    ['a body that is a string', () => httpCommandInput({ body: 'hello', params: {} }), '(root)'],
  ])('refuses %s as a 400 naming the field', (_what, run, path) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION.INVALID_INPUT', kind: 'validation', errors: [{ path }] });
  });
});
