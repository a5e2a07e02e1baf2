// Specification of the SSRF guard: loopback, private, link-local and similar ranges are refused (IPv4, IPv6,
// v4-mapped), public addresses and names are allowed.
import { isNonPublicAddress, nonPublicHostReason } from './webhook-target.rules';

describe('webhook targets', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'])(
    '%s is not public',
    (address) => expect(isNonPublicAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '172.32.0.1', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', 'example.com'])('%s is not a non-public address', (address) =>
    expect(isNonPublicAddress(address)).toBe(false),
  );

  it('refuses localhost names and private literals in URLs, IPv6 in brackets included', () => {
    expect(nonPublicHostReason(new URL('http://localhost:8080/hook'))).toMatch(/own host/);
    expect(nonPublicHostReason(new URL('https://api.localhost/hook'))).toMatch(/own host/);
    expect(nonPublicHostReason(new URL('http://[::1]:9000/'))).toMatch(/not a public address/);
    expect(nonPublicHostReason(new URL('http://169.254.169.254/latest/meta-data'))).toMatch(/not a public address/);
    expect(nonPublicHostReason(new URL('https://hooks.example.com/cc'))).toBeNull();
  });
});
