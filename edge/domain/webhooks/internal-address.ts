/**
 * Which addresses and host names never belong to a public endpoint: the classifier behind the webhook target check
 * (webhook-target.ts). Addresses come from two places, the URL (as the URL parser canonicalises it) and a resolver's
 * answer (as text), so both spellings of IPv6 are parsed into their eight groups before they are judged.
 */

/** True for a loopback, private, link-local, reserved or otherwise non-global IPv4 or IPv6 address (no brackets). */
export function isInternalAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return isInternalIpv4(v4);
  const v6 = parseIpv6(address);
  // Text that is neither (a zone id, garbage) is no address we could safely call.
  return v6 ? isInternalIpv6(v6) : true;
}

/** An IPv4 or IPv6 literal (IPv6 with or without brackets), as opposed to a name. */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  return parseIpv4(bare) !== null || parseIpv6(bare) !== null;
}

// Names that point inward wherever they are resolved, or that public wildcard DNS services resolve to any address
// spelled in the name (127.0.0.1.nip.io, 10-0-0-1.sslip.io) or always to loopback (*.localtest.me, *.lvh.me).
const INTERNAL_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home.arpa', 'corp', 'private', 'svc', 'cluster.local'];
const WILDCARD_DNS_DOMAINS = ['nip.io', 'sslip.io', 'xip.io', 'nip.direct', 'localtest.me', 'lvh.me', 'vcap.me', 'fuf.me', 'lacolhost.com', 'localhost.direct', 'traefik.me', 'local.gd'];

/**
 * True for a host *name* that is internal by its spelling: a single label (`metadata`, `instance-data`, `intranet`
 * resolve through the search domain to whatever the local network says), `localhost` and its variants, the
 * private-use suffixes, and wildcard-DNS domains. Resolution (resolver port) is the real guard; this list gives a
 * clear answer at registration, and a guard on a runtime that cannot resolve.
 */
export function isInternalName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (!host.includes('.')) return true;
  if (/^(?:ip6-)?localhost/.test(host) || host.startsWith('ip6-loopback')) return true;
  return [...INTERNAL_SUFFIXES, ...WILDCARD_DNS_DOMAINS].some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Eight 16-bit groups, or null. Accepts `::` compression and a trailing dotted IPv4 (`::ffff:127.0.0.1`). */
export function parseIpv6(text: string): number[] | null {
  let rest = text.toLowerCase();
  const tail: number[] = [];
  const dotted = rest.match(/^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]);
    if (!v4) return null;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    rest = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const after = halves.length === 2 ? groups(halves[1]) : [];
  if (![...head, ...after].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + after.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = new Array(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...after.map((g) => parseInt(g, 16)), ...tail];
}

// IANA special-purpose IPv4 ranges that are not globally reachable (RFC 6890 and successors). The documentation
// ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are left out: nothing answers there, inside or out.
const INTERNAL_V4: Array<[number, number, number, number]> = [
  [0, 0, 0, 8], // "this network"
  [10, 0, 0, 8],
  [100, 64, 0, 10], // carrier-grade NAT
  [127, 0, 0, 8],
  [169, 254, 0, 16], // link-local, cloud metadata
  [172, 16, 0, 12],
  [192, 0, 0, 24], // IETF protocol assignments (192.0.0.0/24)
  [192, 88, 99, 24], // 6to4 relay anycast (deprecated)
  [192, 168, 0, 16],
  [198, 18, 0, 15], // benchmarking
  [224, 0, 0, 4], // multicast
  [240, 0, 0, 4], // reserved and broadcast
];

function isInternalIpv4([a, b, c, d]: number[]): boolean {
  const value = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  return INTERNAL_V4.some(([w, x, y, bits]) => {
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return (value & mask) === ((((w << 24) | (x << 16) | (y << 8)) >>> 0) & mask);
  });
}

const v4From = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];

function isInternalIpv6(g: number[]): boolean {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  // ::/96 covers :: and ::1 and the deprecated IPv4-compatible ::a.b.c.d; ::ffff:0:0/96 is IPv4-mapped and
  // ::ffff:0:0:0/96 IPv4-translated (SIIT): each reaches the IPv4 address in its last 32 bits.
  if (zeroUpTo(6)) return g[6] === 0 ? true : isInternalIpv4(v4From(g[6], g[7]));
  if (zeroUpTo(5) && g[5] === 0xffff) return isInternalIpv4(v4From(g[6], g[7]));
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return isInternalIpv4(v4From(g[6], g[7]));
  // NAT64, well-known prefix 64:ff9b::/96 embeds the IPv4 address; the local-use prefix 64:ff9b:1::/48 is internal.
  if (g[0] === 0x64 && g[1] === 0xff9b) return g[2] === 1 ? true : isInternalIpv4(v4From(g[6], g[7]));
  // 6to4 (2002::/16) carries the IPv4 address in groups 1–2.
  if (g[0] === 0x2002) return isInternalIpv4(v4From(g[1], g[2]));
  // Teredo (2001::/32) tunnels to an obfuscated IPv4 address; no webhook endpoint needs it.
  if (g[0] === 0x2001 && g[1] === 0) return true;
  if (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return true; // 100::/64, discard-only
  const first = g[0];
  // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local (deprecated), ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0 || (first & 0xff00) === 0xff00;
}
