import { networkInterfaces } from "node:os";

/** The node's first non-internal IPv4 address, or 127.0.0.1 on a machine with none. */
export function primaryIpv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && !address.internal) return address.address;
    }
  }
  return "127.0.0.1";
}

/** The first `/<maskBits>` subnet of an IPv4 CIDR (the single node's pod CIDR). */
export function firstSubnet(cidr: string, maskBits: number): string {
  const [base, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix > maskBits || maskBits > 32) {
    throw new Error(`cannot take a /${maskBits} from ${cidr}`);
  }
  return `${networkOf(base, prefix)}/${maskBits}`;
}

/** The address after the network address of a CIDR: the `kubernetes` service's ClusterIP. */
export function firstHostIp(cidr: string): string {
  const [base, bits] = cidr.split("/");
  const network = toInt(networkOf(base ?? "", Number(bits)));
  return fromInt(network + 1);
}

function networkOf(ip: string, prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return fromInt((toInt(ip) & mask) >>> 0);
}

function toInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function fromInt(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
