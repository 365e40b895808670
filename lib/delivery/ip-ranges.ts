import { BlockList, isIP } from 'node:net';

// Why an address is not global unicast; `null` from classifyIp means it is.
export type IpClassKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link_local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking';

// A refused address: the address judged (an embedded IPv4 when there is one), its class, and the wording for people.
export type IpClass = { kind: IpClassKind; label: string; address: string; embeddedIn?: string };

// Classes that WEBHOOK_ALLOW_PRIVATE_TARGETS=true lets through. CGNAT is included (Tailscale and carrier-internal
// on-premises receivers live there); the cloud metadata addresses inside these ranges are classed `metadata` first.
export const PRIVATE_TARGET_KINDS: ReadonlySet<IpClassKind> = new Set(['loopback', 'private', 'cgnat']);

type Range = { kind: IpClassKind; label: string; cidrs: [string, number][] };

// Ordered: the first matching range wins, so specific addresses precede the blocks that contain them.
const V4: Range[] = [
  { kind: 'unspecified', label: 'an unspecified address', cidrs: [['0.0.0.0', 32]] },
  { kind: 'reserved', label: 'a reserved ("this network") address', cidrs: [['0.0.0.0', 8]] },
  { kind: 'loopback', label: 'a loopback address', cidrs: [['127.0.0.0', 8]] },
  {
    kind: 'metadata',
    label: 'a cloud metadata address',
    // AWS/GCP/Azure/OpenStack IMDS, ECS task metadata, Alibaba Cloud (inside CGNAT), Azure wireserver.
    cidrs: [['169.254.169.254', 32], ['169.254.170.2', 32], ['100.100.100.200', 32], ['168.63.129.16', 32]],
  },
  { kind: 'private', label: 'a private address', cidrs: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]] },
  { kind: 'cgnat', label: 'a carrier-grade NAT (shared, 100.64.0.0/10) address', cidrs: [['100.64.0.0', 10]] },
  { kind: 'link_local', label: 'a link-local address', cidrs: [['169.254.0.0', 16]] },
  {
    kind: 'documentation',
    label: 'a documentation-only address',
    cidrs: [['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24]],
  },
  { kind: 'benchmarking', label: 'a benchmarking address', cidrs: [['198.18.0.0', 15]] },
  { kind: 'reserved', label: 'a reserved address', cidrs: [['192.0.0.0', 24], ['192.88.99.0', 24]] },
  { kind: 'multicast', label: 'a multicast address', cidrs: [['224.0.0.0', 4]] },
  { kind: 'broadcast', label: 'the broadcast address', cidrs: [['255.255.255.255', 32]] },
  { kind: 'reserved', label: 'a reserved address', cidrs: [['240.0.0.0', 4]] },
];

// IPv6 ranges that embed an IPv4 address are handled in classifyIp before these.
const V6: Range[] = [
  { kind: 'unspecified', label: 'an unspecified address', cidrs: [['::', 128]] },
  { kind: 'loopback', label: 'a loopback address', cidrs: [['::1', 128]] },
  { kind: 'metadata', label: 'a cloud metadata address', cidrs: [['fd00:ec2::254', 128]] },
  { kind: 'private', label: 'a private (unique local) address', cidrs: [['fc00::', 7]] },
  { kind: 'link_local', label: 'a link-local address', cidrs: [['fe80::', 10]] },
  { kind: 'multicast', label: 'a multicast address', cidrs: [['ff00::', 8]] },
  { kind: 'documentation', label: 'a documentation-only address', cidrs: [['2001:db8::', 32], ['3fff::', 20]] },
  { kind: 'benchmarking', label: 'a benchmarking address', cidrs: [['2001:2::', 48]] },
  // IETF protocol assignments (Teredo included), local-use NAT64, discard-only, SRv6 SIDs, deprecated site-local.
  {
    kind: 'reserved',
    label: 'a reserved address',
    cidrs: [['2001::', 23], ['64:ff9b:1::', 48], ['100::', 64], ['5f00::', 16], ['fec0::', 10]],
  },
];

function compile(ranges: Range[], family: 'ipv4' | 'ipv6') {
  return ranges.map((r) => {
    const list = new BlockList();
    for (const [net, prefix] of r.cidrs) list.addSubnet(net, prefix, family);
    return { ...r, list };
  });
}
const V4_LISTS = compile(V4, 'ipv4');
const V6_LISTS = compile(V6, 'ipv6');
const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

// Eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail is folded into the last two).
export function ipv6Groups(ip: string): number[] {
  let s = ip.split('%')[0];
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const o = tail.split('.').map(Number);
    s = `${s.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [h, t] = s.split('::');
  const head = h ? h.split(':') : [];
  const rest = t === undefined ? [] : t ? t.split(':') : [];
  const groups = t === undefined ? head : [...head, ...Array(8 - head.length - rest.length).fill('0'), ...rest];
  return groups.map((g) => parseInt(g, 16));
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

// The IPv4 address an IPv6 address carries: IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96 or 6to4 2002::/16.
export function embeddedIPv4(ip: string): string | undefined {
  const g = ipv6Groups(ip);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6], g[7]);
  if (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) return v4(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6], g[7]);
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  return undefined;
}

const classified = new Map<string, Readonly<IpClass> | null>();

// Classifies an IP address (v4 or v6, no brackets); returns null for a global unicast address. Every attempt checks
// its endpoint's addresses, so answers are kept (10,000 addresses at most): a BlockList check per range list was 3% of
// a worker's CPU in bench:api.
export function classifyIp(ip: string): Readonly<IpClass> | null {
  let c = classified.get(ip);
  if (c === undefined) {
    c = classify(ip);
    if (c) Object.freeze(c);
    if (classified.size >= 10_000) classified.delete(classified.keys().next().value!);
    classified.set(ip, c);
  }
  return c;
}

function classify(ip: string): IpClass | null {
  const address = ip.split('%')[0];
  const family = isIP(address);
  if (family === 4) {
    const hit = V4_LISTS.find((r) => r.list.check(address, 'ipv4'));
    return hit ? { kind: hit.kind, label: hit.label, address } : null;
  }
  if (family !== 6) return { kind: 'reserved', label: 'not an IP address', address };
  const inner = embeddedIPv4(address);
  if (inner !== undefined) {
    const c = classifyIp(inner);
    return c ? { ...c, embeddedIn: address } : null;
  }
  const hit = V6_LISTS.find((r) => r.list.check(address, 'ipv6'));
  if (hit) return { kind: hit.kind, label: hit.label, address };
  if (!GLOBAL_UNICAST_V6.check(address, 'ipv6')) return { kind: 'reserved', label: 'a reserved (not global unicast) address', address };
  return null;
}
