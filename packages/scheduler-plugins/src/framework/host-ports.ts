/**
 * The host ports in use on a node, by host IP, protocol and port, with the
 * wildcard rule of upstream's HostPortInfo: 0.0.0.0 conflicts with every IP.
 */
import type { ContainerPort, Pod } from "../api/types.js";

const ANY_IP = "0.0.0.0";

/** One host port a container binds. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** The host ports a pod's containers ask for (only ports with a hostPort), defaults filled in. */
export function podHostPorts(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  const all: ContainerPort[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    all.push(...(c.ports ?? []));
  }
  for (const p of all) {
    if (!p.hostPort || p.hostPort <= 0) continue;
    ports.push({ ip: p.hostIP || ANY_IP, protocol: p.protocol ?? "TCP", port: p.hostPort });
  }
  return ports;
}

/** A multiset of host ports in use on one node. */
export class HostPortSet {
  // ip → "protocol/port" → count of users
  private readonly byIp = new Map<string, Map<string, number>>();

  /** Marks a port as used. */
  add(p: HostPort): void {
    const key = `${p.protocol}/${p.port}`;
    const ports = this.byIp.get(p.ip) ?? new Map<string, number>();
    ports.set(key, (ports.get(key) ?? 0) + 1);
    this.byIp.set(p.ip, ports);
  }

  /** Releases one use of a port. */
  remove(p: HostPort): void {
    const key = `${p.protocol}/${p.port}`;
    const ports = this.byIp.get(p.ip);
    const count = ports?.get(key) ?? 0;
    if (!ports || count === 0) return;
    if (count === 1) ports.delete(key);
    else ports.set(key, count - 1);
    if (ports.size === 0) this.byIp.delete(p.ip);
  }

  /** True when binding `p` would clash with a port already in use. */
  conflicts(p: HostPort): boolean {
    const key = `${p.protocol}/${p.port}`;
    if (p.ip === ANY_IP) {
      for (const ports of this.byIp.values()) if (ports.has(key)) return true;
      return false;
    }
    return Boolean(this.byIp.get(p.ip)?.has(key) || this.byIp.get(ANY_IP)?.has(key));
  }

  /** Number of distinct (ip, protocol, port) entries in use. */
  get size(): number {
    let n = 0;
    for (const ports of this.byIp.values()) n += ports.size;
    return n;
  }

  /** A deep copy. */
  clone(): HostPortSet {
    const copy = new HostPortSet();
    if (this.byIp.size === 0) return copy;
    for (const [ip, ports] of this.byIp) copy.byIp.set(ip, new Map(ports));
    return copy;
  }
}
