// Which hosts a webhook may call: never the service's own network (loopback, private, link-local, CGNAT,
// multicast, unspecified) unless configured for development and tests, so an admin cannot point deliveries
// at internal services (SSRF). Checked on the URL at registration and on every resolved address at delivery.
import { BlockList, isIP } from 'node:net';

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** True for an IP address (v4, v6, or v4-mapped v6) in a non-public range. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const version = isIP(bare);
  if (version === 4) return BLOCKED.check(bare, 'ipv4');
  if (version === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
    if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4');
    return BLOCKED.check(bare, 'ipv6');
  }
  return false;
}

/**
 * Why a URL's host may not be called, or null when it may (as far as the name tells: a public name that
 * resolves to a private address is caught at delivery time).
 */
export function nonPublicHostReason(url: URL): string | null {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is the service's own host`;
  if (isNonPublicAddress(host)) return `${host} is not a public address`;
  return null;
}
