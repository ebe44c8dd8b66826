/**
 * Where a webhook may point. Owners type the URL and our servers POST to it, so without a check a webhook is a way
 * to make TaxiWatch call its own network: loopback admin ports, the cloud metadata service (169.254.169.254),
 * private ranges. Such targets are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set (development, tests, or a
 * deployment whose integrators really live on the private network).
 *
 * The check reads the host as the URL parser canonicalises it, so decimal, hex and short IPv4 spellings
 * (`http://2130706433/`, `http://0x7f.1/`) are caught as 127.0.0.1. It cannot see what a host *name* resolves to
 * (Workers have no DNS API): a public name pointing at a private address gets through; the delivery job refuses
 * redirects, so at least a public server cannot bounce the request inward.
 */

export type TargetProblem = { reason: 'not_http' | 'private_address' | 'credentials_in_url'; message: string };

/** null when the URL may receive webhooks; otherwise what is wrong, in words an owner can act on. */
export function webhookTargetProblem(rawUrl: string, options: { allowPrivate: boolean }): TargetProblem | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { reason: 'not_http', message: 'expected an http:// or https:// URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { reason: 'not_http', message: 'expected an http:// or https:// URL' };
  // Credentials in the URL would be stored and shown in plain text; a signature header authenticates us instead.
  if (url.username || url.password) return { reason: 'credentials_in_url', message: 'the URL must not contain a user name or password; verify the TaxiWatch-Signature header instead' };
  if (options.allowPrivate || !isPrivateHost(url.hostname)) return null;
  return {
    reason: 'private_address',
    message: `${url.hostname} is a loopback, private or link-local address; webhooks go to public endpoints (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows private ones)`,
  };
}

/** Host names and address literals that never belong to a public endpoint. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  if (host.startsWith('[')) return isPrivateIpv6(host.slice(1, -1));
  const v4 = parseIpv4(host);
  return v4 !== null && isPrivateIpv4(v4);
}

function parseIpv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

// IANA special-purpose IPv4 ranges that are not globally reachable (RFC 6890 and successors).
const PRIVATE_V4: Array<[number, number, number]> = [
  [0, 0, 8], // "this network"
  [10, 0, 8],
  [100, 64, 10], // carrier-grade NAT
  [127, 0, 8],
  [169, 254, 16], // link-local, cloud metadata
  [172, 16, 12],
  [192, 0, 24], // IETF protocol assignments (192.0.0.0/24)
  [192, 168, 16],
  [198, 18, 15], // benchmarking
  [224, 0, 4], // multicast
  [240, 0, 4], // reserved and broadcast
];

function isPrivateIpv4([a, b, c, d]: number[]): boolean {
  const value = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  return PRIVATE_V4.some(([x, y, bits]) => {
    const base = ((x << 24) | (y << 16)) >>> 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (value & mask) === (base & mask);
  });
}

function isPrivateIpv6(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::' || a === '::1') return true;
  // IPv4-mapped (::ffff:a.b.c.d, which the URL parser writes as ::ffff:7f00:1), IPv4-compatible (::a.b.c.d) and
  // NAT64 (64:ff9b::a.b.c.d) addresses embed an IPv4 address: judge that one.
  const mapped = a.match(/^(?:::ffff:|64:ff9b::|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (mapped) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return isPrivateIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  }
  const first = parseInt(a.split(':')[0] || '0', 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}
