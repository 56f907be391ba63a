import { isRecord, type KubeObject } from "../types/object.js";

type Obj = Record<string, unknown>;

const specOf = (svc: KubeObject): Obj => (isRecord(svc.spec) ? svc.spec : {});
const portsOf = (spec: Obj): Obj[] =>
  Array.isArray(spec.ports) ? spec.ports.filter(isRecord) : [];

/** Whether a service of this spec gets a cluster IP (every type but ExternalName). */
export function needsClusterIP(svc: KubeObject): boolean {
  return specOf(svc).type !== "ExternalName";
}

/** Whether a service of this spec gets node ports (NodePort, and LoadBalancer unless told not to). */
export function needsNodePorts(svc: KubeObject): boolean {
  const spec = specOf(svc);
  if (spec.type === "NodePort") return true;
  return spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false;
}

/** The cluster IP a service holds or asks for: "" (allocate one), "None" (headless) or an address. */
export function requestedClusterIP(svc: KubeObject): string {
  const spec = specOf(svc);
  if (typeof spec.clusterIP === "string" && spec.clusterIP !== "") return spec.clusterIP;
  const first = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : undefined;
  return typeof first === "string" ? first : "";
}

/** The node ports a service's ports name (0 where one is to be allocated). */
export function requestedNodePorts(svc: KubeObject): number[] {
  return portsOf(specOf(svc)).map((p) => (typeof p.nodePort === "number" ? p.nodePort : 0));
}

/** What a stored service holds in the allocators: its cluster IP (not "None") and node ports. */
export function heldAllocations(svc: KubeObject): { ip?: string; nodePorts: number[] } {
  const ip = needsClusterIP(svc) ? requestedClusterIP(svc) : "";
  const nodePorts = [...new Set(requestedNodePorts(svc).filter((p) => p > 0))];
  return ip !== "" && ip !== "None" ? { ip, nodePorts } : { nodePorts };
}

/**
 * A copy of `svc` with its cluster IP written into spec.clusterIP,
 * spec.clusterIPs, spec.ipFamilies and spec.ipFamilyPolicy (single-stack
 * IPv4), and its node ports into spec.ports[i].nodePort, as upstream's
 * service REST does after allocating. ExternalName services get none.
 */
export function withAllocations(
  svc: KubeObject,
  ip: string | undefined,
  nodePorts: readonly number[],
): KubeObject {
  const out = structuredClone(svc);
  const spec = isRecord(out.spec) ? out.spec : {};
  out.spec = spec;
  if (ip !== undefined) {
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.ipFamilies = ["IPv4"];
    spec.ipFamilyPolicy = "SingleStack";
  }
  portsOf(spec).forEach((port, i) => {
    const assigned = nodePorts[i];
    if (assigned !== undefined && assigned > 0) port.nodePort = assigned;
  });
  return out;
}

/**
 * An update that left out what the service already holds keeps it, as
 * upstream's patchAllocatedValues does: an empty clusterIP keeps the
 * stored one (unless the service becomes ExternalName), and a port that
 * names no nodePort keeps the one of the stored port with the same port
 * and protocol.
 */
export function carryOverAllocations(next: KubeObject, prev: KubeObject): KubeObject {
  const out = structuredClone(next);
  const spec = isRecord(out.spec) ? out.spec : {};
  const old = specOf(prev);
  if (needsClusterIP(out) && needsClusterIP(prev)) {
    if (
      (spec.clusterIP === undefined || spec.clusterIP === "") &&
      typeof old.clusterIP === "string"
    ) {
      spec.clusterIP = old.clusterIP;
      if (old.clusterIPs !== undefined) spec.clusterIPs = structuredClone(old.clusterIPs);
    }
    if (
      spec.clusterIPs === undefined &&
      old.clusterIPs !== undefined &&
      spec.clusterIP === old.clusterIP
    )
      spec.clusterIPs = structuredClone(old.clusterIPs);
    if (spec.ipFamilies === undefined && old.ipFamilies !== undefined)
      spec.ipFamilies = structuredClone(old.ipFamilies);
    if (spec.ipFamilyPolicy === undefined && old.ipFamilyPolicy !== undefined)
      spec.ipFamilyPolicy = old.ipFamilyPolicy;
  }
  if (needsNodePorts(out) && needsNodePorts(prev)) {
    const oldPorts = portsOf(old);
    for (const port of portsOf(spec)) {
      if (typeof port.nodePort === "number" && port.nodePort !== 0) continue;
      const match = oldPorts.find(
        (p) => p.port === port.port && (p.protocol ?? "TCP") === (port.protocol ?? "TCP"),
      );
      if (match && typeof match.nodePort === "number") port.nodePort = match.nodePort;
    }
  }
  out.spec = spec;
  return out;
}

/**
 * What an update of a service does before validation, as upstream's
 * service strategy does: keep the allocations the body left out, and drop
 * the ones the new type has no use for (node ports of a service turned
 * ClusterIP, the cluster IP of one turned ExternalName) when the body just
 * repeated the stored values.
 */
export function prepareServiceUpdate(next: KubeObject, prev: KubeObject): KubeObject {
  const out = carryOverAllocations(next, prev);
  const spec = isRecord(out.spec) ? out.spec : {};
  const old = specOf(prev);
  if (!needsNodePorts(out) && needsNodePorts(prev)) {
    const oldPorts = portsOf(old);
    for (const port of portsOf(spec)) {
      if (oldPorts.some((p) => p.nodePort === port.nodePort)) delete port.nodePort;
    }
  }
  if (!needsClusterIP(out) && needsClusterIP(prev) && spec.clusterIP === old.clusterIP) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  }
  return out;
}
