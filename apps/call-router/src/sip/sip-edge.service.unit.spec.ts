// Specification of how the SIP edge's headers become the router's facts: the dialled number as E.164, and
// the caller's CLI (P-Asserted-Identity first, withheld by Privacy: id or "anonymous").
import type { SipRouteQuery } from '@cc/contracts';
import { cliOf, e164Of } from './sip-edge.service';

// A national format (leading 0) cannot be read without knowing the tenant's country: the edge sends international.
const query = (extra: Partial<SipRouteQuery>): SipRouteQuery => ({ callId: 'c@x', did: '442071234567', ...extra });

describe('e164Of', () => {
  it.each([
    ['+442071234567', '+442071234567'],
    ['442071234567', '+442071234567'],
    ['02071234567', null],
    ['anonymous', null],
    ['+44', null],
    ['2001', null],
    ['+4420', null],
  ])('%s -> %s', (did, expected) => {
    expect(e164Of(did)).toBe(expected);
  });
});

describe('cliOf', () => {
  it.each<[string, Partial<SipRouteQuery>, string | null]>([
    ['the From user', { fromUser: '+447700900123' }, '+447700900123'],
    ['P-Asserted-Identity before From', { assertedUser: '447700900999', fromUser: '+447700900123' }, '+447700900999'],
    ['withheld by Privacy: id', { privacy: 'id', fromUser: '+447700900123' }, null],
    ['withheld among other privacy values', { privacy: 'header;id', assertedUser: '+447700900123' }, null],
    ['Privacy without id keeps the CLI', { privacy: 'none', fromUser: '+447700900123' }, '+447700900123'],
    ['anonymous', { fromUser: 'anonymous' }, null],
    ['not a number: treated as withheld', { fromUser: 'alice' }, null],
    ['no CLI at all', {}, null],
  ])('%s', (_, extra, expected) => {
    expect(cliOf(query(extra))).toBe(expected);
  });
});
