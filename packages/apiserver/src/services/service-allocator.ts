import type { Transport } from "@connectrpc/connect";
import { internalError } from "../errors/builders.js";
import type { Status } from "../errors/status.js";
import type { KubeObject } from "../types/object.js";
import { type FieldError, invalidStatus, invalidValue } from "../validation/field-error.js";
import { FieldPath } from "../validation/field-path.js";
import {
  type AllocationKeys,
  type AllocationOwner,
  createAllocationKeys,
} from "./allocation-keys.js";
import {
  dynamicAddresses,
  formatIPv4,
  formatPortRange,
  type IpRange,
  inRange,
  type PortRange,
  parseIPv4,
  pickFree,
} from "./ip-range.js";
import {
  heldAllocations,
  needsClusterIP,
  needsNodePorts,
  requestedClusterIP,
  requestedNodePorts,
  withAllocations,
} from "./service-needs.js";

/** Where the per-value allocation keys live (upstream keeps its bitmaps under /registry/ranges/). */
export const SERVICE_IP_PREFIX = "/registry/ranges/serviceips/";
export const NODE_PORT_PREFIX = "/registry/ranges/servicenodeports/";

// How often a random pick is retried when another writer claimed it first.
const MAX_PICKS = 8;

/** A service with its allocations, and what to do once it is (or is not) stored. */
export type Allocated =
  | {
      ok: true;
      object: KubeObject;
      /** The write went through: release what the previous version held and this one does not. */
      commit(): Promise<void>;
      /** The write failed: release what this call claimed. */
      undo(): Promise<void>;
    }
  | { ok: false; status: Status };

/** Hands out cluster IPs and node ports to services, kept in etcd. */
export interface ServiceAllocator {
  readonly ipRange: IpRange;
  readonly portRange: PortRange;
  /**
   * Gives a service being created (`prev` undefined) or updated what it
   * needs: the requested cluster IP and node ports when free, random free
   * ones where none is named. With `dryRun`, checks without claiming.
   */
  allocate(svc: KubeObject, prev: KubeObject | undefined, dryRun?: boolean): Promise<Allocated>;
  /** Releases everything a deleted service held. */
  release(svc: KubeObject): Promise<void>;
}

const ownerOf = (svc: KubeObject): AllocationOwner => ({
  namespace: svc.metadata?.namespace ?? "",
  name: svc.metadata?.name ?? "",
  uid: svc.metadata?.uid ?? "",
});

class AllocationError extends Error {
  override readonly name = "AllocationError";
  constructor(readonly status: Status) {
    super(status.message);
  }
}

/** A {@link ServiceAllocator} over an etcd v3 store. */
export function createServiceAllocator(
  transport: Transport,
  ipRange: IpRange,
  portRange: PortRange,
  random: () => number,
): ServiceAllocator {
  const ips = createAllocationKeys(transport, SERVICE_IP_PREFIX);
  const ports = createAllocationKeys(transport, NODE_PORT_PREFIX);

  const invalid = (svc: KubeObject, errs: FieldError[]) =>
    new AllocationError(
      invalidStatus({ group: "", kind: "Service" }, svc.metadata?.name ?? "", errs),
    );

  // Claims a named value, or (dryRun) checks it is free.
  async function claimNamed(
    keys: AllocationKeys,
    value: string,
    owner: AllocationOwner,
    dryRun: boolean,
  ): Promise<boolean> {
    if (!dryRun) return keys.claim(value, owner);
    const held = await keys.owner(value);
    return held === undefined || held.uid === owner.uid;
  }

  // Claims a random free value among `count` from `first`.
  async function claimRandom(
    keys: AllocationKeys,
    first: number,
    count: number,
    format: (n: number) => string,
    parse: (s: string) => number | undefined,
    owner: AllocationOwner,
    dryRun: boolean,
    avoid: ReadonlySet<number>,
  ): Promise<string | undefined> {
    for (let attempt = 0; attempt < MAX_PICKS; attempt++) {
      const taken = new Set(avoid);
      for (const value of (await keys.list()).keys()) {
        const n = parse(value);
        if (n !== undefined) taken.add(n);
      }
      const picked = pickFree(first, count, taken, random);
      if (picked === undefined) return undefined;
      const value = format(picked);
      if (dryRun || (await keys.claim(value, owner))) return value;
    }
    return undefined;
  }

  return {
    ipRange,
    portRange,

    async allocate(svc, prev, dryRun = false) {
      const owner = ownerOf(svc);
      const before = prev ? heldAllocations(prev) : { nodePorts: [] };
      const claimedIps: string[] = [];
      const claimedPorts: number[] = [];
      const undo = async () => {
        if (dryRun) return;
        for (const ip of claimedIps) await ips.release(ip, owner.uid);
        for (const port of claimedPorts) await ports.release(String(port), owner.uid);
      };
      try {
        let ip: string | undefined;
        if (needsClusterIP(svc)) {
          const requested = requestedClusterIP(svc);
          if (requested === "None") ip = "None";
          else if (requested === "") {
            const { first, count } = dynamicAddresses(ipRange);
            ip = await claimRandom(
              ips,
              first,
              count,
              formatIPv4,
              parseIPv4,
              owner,
              dryRun,
              new Set(),
            );
            if (ip === undefined)
              throw new AllocationError(
                internalError(new Error("failed to allocate a serviceIP: range is full")),
              );
            claimedIps.push(ip);
          } else if (requested !== before.ip) {
            const path = FieldPath.root("spec").child("clusterIPs");
            if (parseIPv4(requested) === undefined)
              throw invalid(svc, [
                invalidValue(
                  path.index(0),
                  requested,
                  "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                ),
              ]);
            if (!inRange(ipRange, requested))
              throw invalid(svc, [
                invalidValue(
                  path,
                  [requested],
                  `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${ipRange.cidr}`,
                ),
              ]);
            if (!(await claimNamed(ips, requested, owner, dryRun)))
              throw invalid(svc, [
                invalidValue(
                  path,
                  [requested],
                  `failed to allocate IP ${requested}: provided IP is already allocated`,
                ),
              ]);
            claimedIps.push(requested);
            ip = requested;
          } else ip = requested;
        }

        const nodePorts: number[] = [];
        if (needsNodePorts(svc)) {
          const requested = requestedNodePorts(svc);
          const mine = new Set<number>();
          // Named ports first, so a random pick cannot take one of them.
          for (const [i, port] of requested.entries()) {
            if (port === 0) continue;
            nodePorts[i] = port;
            if (mine.has(port) || before.nodePorts.includes(port)) {
              mine.add(port);
              continue;
            }
            const path = FieldPath.root("spec").child("ports").index(i).child("nodePort");
            if (port < portRange.base || port >= portRange.base + portRange.size)
              throw invalid(svc, [
                invalidValue(
                  path,
                  port,
                  `provided port is not in the valid range. The range of valid ports is ${formatPortRange(portRange)}`,
                ),
              ]);
            if (!(await claimNamed(ports, String(port), owner, dryRun)))
              throw invalid(svc, [invalidValue(path, port, "provided port is already allocated")]);
            claimedPorts.push(port);
            mine.add(port);
          }
          for (const [i, port] of requested.entries()) {
            if (port !== 0) continue;
            const value = await claimRandom(
              ports,
              portRange.base,
              portRange.size,
              String,
              (s) => (/^\d+$/.test(s) ? Number(s) : undefined),
              owner,
              dryRun,
              mine,
            );
            if (value === undefined)
              throw new AllocationError(
                internalError(new Error("failed to allocate a nodePort: range is full")),
              );
            nodePorts[i] = Number(value);
            claimedPorts.push(Number(value));
            mine.add(Number(value));
          }
        }
        const object = withAllocations(svc, ip, nodePorts);
        const after = heldAllocations(object);
        return {
          ok: true,
          object,
          undo,
          commit: async () => {
            if (dryRun) return;
            if (before.ip !== undefined && before.ip !== after.ip)
              await ips.release(before.ip, owner.uid);
            for (const port of before.nodePorts)
              if (!after.nodePorts.includes(port)) await ports.release(String(port), owner.uid);
          },
        };
      } catch (error) {
        await undo();
        if (error instanceof AllocationError) return { ok: false, status: error.status };
        throw error;
      }
    },

    async release(svc) {
      const owner = ownerOf(svc);
      const held = heldAllocations(svc);
      if (held.ip !== undefined) await ips.release(held.ip, owner.uid);
      for (const port of held.nodePorts) await ports.release(String(port), owner.uid);
    },
  };
}
