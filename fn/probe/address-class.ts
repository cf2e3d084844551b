// Which kind of network an address or host name belongs to, for the egress policy: the probe is pointed at
// hosts by manifests and registries it does not trust, so it must know a metadata service or a private
// network when it sees one. Pure: no I/O.

import { BlockList, isIP } from 'node:net';

/** `public` is also what a name we cannot (or may not) resolve is assumed to be. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata';

// Checked in this order: the metadata services sit inside the link-local and private ranges.
const ranges: Array<[Exclude<AddressClass, 'public'>, Array<[string, number, 'ipv4' | 'ipv6']>]> = [
  [
    'metadata',
    [
      ['169.254.169.254', 32, 'ipv4'], // AWS, GCP, Azure, OpenStack, DigitalOcean…
      ['169.254.170.2', 32, 'ipv4'], // AWS ECS task credentials
      ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
      ['168.63.129.16', 32, 'ipv4'], // Azure wire server (a public address with a private job)
      ['fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
    ],
  ],
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['0.0.0.0', 8, 'ipv4'], // "this host": connecting to 0.0.0.0 reaches loopback on Linux
      ['::1', 128, 'ipv6'],
      ['::', 128, 'ipv6'],
    ],
  ],
  ['link-local', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, also cluster networks
      ['198.18.0.0', 15, 'ipv4'],
      ['224.0.0.0', 4, 'ipv4'], // multicast
      ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
      ['fc00::', 7, 'ipv6'],
      ['fec0::', 10, 'ipv6'], // deprecated site-local
      ['ff00::', 8, 'ipv6'],
    ],
  ],
];

// BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges.
const lists = ranges.map(([kind, subnets]): [Exclude<AddressClass, 'public'>, BlockList] => {
  const list = new BlockList();
  for (const [network, prefix, family] of subnets) list.addSubnet(network, prefix, family);
  return [kind, list];
});

// Names of metadata services that resolve only inside their cloud.
const metadataNames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);

/** The class of an IP address (v4, v6, bracketed or not); `undefined` when it is not one. */
export function classifyAddress(address: string): AddressClass | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // zone ids (fe80::1%eth0) say nothing about the range
  const family = isIP(bare);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of lists) if (list.check(bare, type)) return kind;
  return 'public';
}

/**
 * The class a host name has without asking a resolver: IP literals, `localhost` and its subdomains, the
 * metadata services' names. `undefined`: only DNS can tell.
 */
export function classifyHostName(hostname: string): AddressClass | undefined {
  const name = hostname.toLowerCase().replace(/\.+$/, ''); // "localhost." is localhost
  const literal = classifyAddress(name);
  if (literal !== undefined) return literal;
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (metadataNames.has(name)) return 'metadata';
  return undefined;
}

const severity: Record<AddressClass, number> = { public: 0, private: 1, loopback: 2, 'link-local': 3, metadata: 4 };

/** A name that resolves to several addresses is as dangerous as the worst of them. */
export function worstClass(classes: readonly AddressClass[]): AddressClass {
  return classes.reduce<AddressClass>((worst, next) => (severity[next] > severity[worst] ? next : worst), 'public');
}

export function describeClass(kind: AddressClass): string {
  switch (kind) {
    case 'public':
      return 'a public address';
    case 'loopback':
      return 'a loopback address';
    case 'private':
      return 'a private-network address';
    case 'link-local':
      return 'a link-local address';
    case 'metadata':
      return 'a cloud metadata service';
  }
}
