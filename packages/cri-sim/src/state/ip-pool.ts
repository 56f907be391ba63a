import { Code } from "@connectrpc/connect";
import { SimRuntimeError } from "./errors.js";

/** A parsed IPv4 CIDR: the network address and prefix length. */
export interface Ipv4Cidr {
  readonly network: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; throws a `RangeError` on anything else (IPv6 included). */
export function parseIpv4Cidr(cidr: string): Ipv4Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (match === null) throw new RangeError(`not an IPv4 CIDR: "${cidr}"`);
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefixLength > 30) {
    throw new RangeError(`not a usable IPv4 CIDR (prefix at most /30): "${cidr}"`);
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefixLength);
  return { network: address - (address % size), prefixLength };
}

/** Formats a 32-bit address as dotted quad. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * Pod IP addresses from one IPv4 CIDR, as CNI's host-local IPAM hands them
 * out: never the network address, the first host (the bridge's gateway) or
 * the broadcast address; each address to one sandbox at a time. The CIDR
 * can be replaced (UpdateRuntimeConfig); addresses already given keep
 * counting as taken until released.
 */
export class Ipv4Pool {
  #range: Ipv4Cidr;
  #cidr: string;
  readonly #taken = new Set<number>();
  /** Where the next search starts, so released addresses are not reused at once. */
  #cursor = 0;

  constructor(cidr: string) {
    this.#range = parseIpv4Cidr(cidr);
    this.#cidr = cidr;
  }

  /** The CIDR new addresses come from. */
  get cidr(): string {
    return this.#cidr;
  }

  /** Takes addresses from `cidr` from now on. */
  setCidr(cidr: string): void {
    this.#range = parseIpv4Cidr(cidr);
    this.#cidr = cidr;
    this.#cursor = 0;
  }

  /** Takes a free address; `Unknown` when the range is used up, as a failed CNI ADD is. */
  allocate(): string {
    const { network, prefixLength } = this.#range;
    const hosts = 2 ** (32 - prefixLength) - 3; // minus network, gateway, broadcast
    for (let step = 0; step < hosts; step++) {
      const offset = 2 + ((this.#cursor + step) % hosts);
      const address = network + offset;
      if (this.#taken.has(address)) continue;
      this.#taken.add(address);
      this.#cursor = (this.#cursor + step + 1) % hosts;
      return formatIpv4(address);
    }
    throw new SimRuntimeError(
      Code.Unknown,
      `failed to set up the simulated pod network: no IP addresses available in ${this.#cidr}`,
    );
  }

  /** Gives `ip` back; unknown addresses are ignored. */
  release(ip: string): void {
    this.#taken.delete(ip.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0));
  }

  /** How many addresses are handed out. */
  get used(): number {
    return this.#taken.size;
  }
}
