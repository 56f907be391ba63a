/**
 * An IPv4 service range (`--service-cluster-ip-range`). Like upstream's
 * allocator, the network and broadcast addresses are never handed out, and
 * the first usable address is the `kubernetes` service's.
 */
export interface IpRange {
  /** The CIDR as written, normalised (`10.0.0.0/24`). */
  cidr: string;
  /** The network address as a number. */
  base: number;
  /** How many addresses the range holds, network and broadcast included. */
  size: number;
}

/** Parses a dotted IPv4 address into a number, or undefined. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

/** Formats a number as a dotted IPv4 address. */
export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Parses an IPv4 CIDR such as `10.0.0.0/24`; host bits are cleared. IPv6 is not served. */
export function parseIpRange(
  cidr: string,
): { ok: true; range: IpRange } | { ok: false; message: string } {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  const ip = match ? parseIPv4(match[1]!) : undefined;
  const bits = match ? Number(match[2]) : NaN;
  if (ip === undefined || !(bits >= 0 && bits <= 32))
    return {
      ok: false,
      message: `"${cidr}" is not an IPv4 CIDR (IPv6 service ranges are not supported)`,
    };
  // Upstream refuses ranges too small to hold a service besides the network and broadcast addresses.
  if (bits > 30) return { ok: false, message: `"${cidr}" is too small: use a /30 or larger` };
  const size = 2 ** (32 - bits);
  const base = ip - (ip % size);
  return { ok: true, range: { cidr: `${formatIPv4(base)}/${bits}`, base, size } };
}

/** Whether `ip` is an address of `range` that may be allocated (not the network or broadcast address). */
export function inRange(range: IpRange, ip: string): boolean {
  const n = parseIPv4(ip);
  return n !== undefined && n > range.base && n < range.base + range.size - 1;
}

/** The first usable address: the `kubernetes` service's cluster IP. */
export function firstAddress(range: IpRange): string {
  return formatIPv4(range.base + 1);
}

/** The addresses random allocation may pick: all usable ones except the `kubernetes` service's. */
export function dynamicAddresses(range: IpRange): { first: number; count: number } {
  return { first: range.base + 2, count: range.size - 3 };
}

/** A node port range (`--service-node-port-range`, `30000-32767`). */
export interface PortRange {
  base: number;
  size: number;
}

/** Parses `30000-32767` (or a single port). */
export function parsePortRange(
  text: string,
): { ok: true; range: PortRange } | { ok: false; message: string } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const low = match ? Number(match[1]) : NaN;
  const high = match ? Number(match[2] ?? match[1]) : NaN;
  if (!(low >= 1 && high <= 65535 && low <= high))
    return { ok: false, message: `"${text}" is not a port range (e.g. 30000-32767)` };
  return { ok: true, range: { base: low, size: high - low + 1 } };
}

/** How a port range is written in messages: `30000-32767`. */
export function formatPortRange(range: PortRange): string {
  return `${range.base}-${range.base + range.size - 1}`;
}

/**
 * Picks a free value from `count` candidates starting at `first`: a random
 * offset, then the next free one after it (wrapping), as upstream's random
 * scan strategy does. Undefined when every candidate is taken.
 */
export function pickFree(
  first: number,
  count: number,
  taken: ReadonlySet<number>,
  random: () => number,
): number | undefined {
  if (count <= 0) return undefined;
  const start = Math.min(count - 1, Math.floor(random() * count));
  for (let i = 0; i < count; i++) {
    const candidate = first + ((start + i) % count);
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}
