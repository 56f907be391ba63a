import { formatIpv4Cidr, type Ipv4Cidr, parseIpv4Cidr } from "./cidr.js";

/**
 * Hands out the `/maskSize` subnets of a cluster CIDR, lowest free first,
 * never one twice (upstream's CidrSet). Pure: the controller tells it which
 * subnets existing nodes hold.
 */
export class CidrAllocator {
  readonly #cluster: Ipv4Cidr;
  readonly #maskSize: number;
  readonly #size: number;
  readonly #used = new Set<number>();
  #next = 0;

  constructor(clusterCidr: string, maskSize: number) {
    const cluster = parseIpv4Cidr(clusterCidr);
    if (!cluster) throw new Error(`not an IPv4 CIDR: "${clusterCidr}"`);
    if (maskSize < cluster.prefix || maskSize > 32) {
      throw new Error(`node mask size /${maskSize} does not fit in ${clusterCidr}`);
    }
    this.#cluster = cluster;
    this.#maskSize = maskSize;
    this.#size = 2 ** (maskSize - cluster.prefix);
  }

  /** How many subnets the cluster CIDR holds. */
  get capacity(): number {
    return this.#size;
  }

  /** The index of `cidr` in the cluster CIDR, or undefined if it is not one of its subnets. */
  #indexOf(cidr: string): number | undefined {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed || parsed.prefix !== this.#maskSize) return undefined;
    const offset = parsed.base - this.#cluster.base;
    const step = 2 ** (32 - this.#maskSize);
    if (offset < 0 || offset % step !== 0 || offset / step >= this.#size) return undefined;
    return offset / step;
  }

  /** Marks a subnet taken (a node already has it); false when it is not one of ours. */
  occupy(cidr: string): boolean {
    const i = this.#indexOf(cidr);
    if (i === undefined) return false;
    this.#used.add(i);
    return true;
  }

  /** Frees a subnet (its node is gone). */
  release(cidr: string): void {
    const i = this.#indexOf(cidr);
    if (i !== undefined) this.#used.delete(i);
  }

  /** The next free subnet, now taken; undefined when all are used. */
  allocate(): string | undefined {
    for (let n = 0; n < this.#size; n++) {
      const i = (this.#next + n) % this.#size;
      if (!this.#used.has(i)) {
        this.#used.add(i);
        this.#next = (i + 1) % this.#size;
        const step = 2 ** (32 - this.#maskSize);
        return formatIpv4Cidr({ base: this.#cluster.base + i * step, prefix: this.#maskSize });
      }
    }
    return undefined;
  }
}
