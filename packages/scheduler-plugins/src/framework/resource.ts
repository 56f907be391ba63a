/**
 * Resource arithmetic for pods and nodes, in the units the scheduler
 * compares: millicores for CPU, bytes for memory and ephemeral storage,
 * whole units for extended resources.
 */
import { parseMilliValue, parseValue } from "../api/quantity.js";
import type { Container, Pod, ResourceList } from "../api/types.js";

/** Resource amounts a pod requests or a node offers. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended and other scalar resources (e.g. `nvidia.com/gpu`, `hugepages-2Mi`), by name. */
  scalar: Map<string, number>;
}

/** The CPU a container without a CPU request counts as when scoring (upstream's DefaultMilliCPURequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** The memory a container without a memory request counts as when scoring: 200 MiB. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** An all-zero resource. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

/** A deep copy. */
export function cloneResource(r: Resource): Resource {
  // Spelled out rather than spread: copies are made per node in simulations.
  return {
    milliCPU: r.milliCPU,
    memory: r.memory,
    ephemeralStorage: r.ephemeralStorage,
    allowedPodNumber: r.allowedPodNumber,
    scalar: r.scalar.size === 0 ? new Map() : new Map(r.scalar),
  };
}

/** Reads a ResourceList (CPU as millis, the rest as whole units, rounded up). */
export function resourceFromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  for (const [name, quantity] of Object.entries(list ?? {})) {
    switch (name) {
      case "cpu":
        r.milliCPU = parseMilliValue(quantity);
        break;
      case "memory":
        r.memory = parseValue(quantity);
        break;
      case "ephemeral-storage":
        r.ephemeralStorage = parseValue(quantity);
        break;
      case "pods":
        r.allowedPodNumber = parseValue(quantity);
        break;
      default:
        r.scalar.set(name, parseValue(quantity));
    }
  }
  return r;
}

/** Adds `b` into `a` (mutates `a`), `sign` -1 to subtract. */
export function addResource(a: Resource, b: Resource, sign: 1 | -1 = 1): void {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  a.allowedPodNumber += sign * b.allowedPodNumber;
  if (b.scalar.size === 0) return;
  for (const [name, value] of b.scalar)
    a.scalar.set(name, (a.scalar.get(name) ?? 0) + sign * value);
}

/** Raises each field of `a` to at least the same field of `b` (mutates `a`). */
function maxResource(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [name, value] of b.scalar)
    a.scalar.set(name, Math.max(a.scalar.get(name) ?? 0, value));
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = resourceFromList(c.resources?.requests);
  if (nonZero) {
    const requests = c.resources?.requests ?? {};
    if (!("cpu" in requests)) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!("memory" in requests)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * What a pod asks for: the larger of (its app containers plus sidecars) and
 * (each init container plus the sidecars started before it), plus the pod
 * overhead. With `nonZero`, containers without a CPU or memory request count
 * as the defaults (used for scoring and spreading, not fitting).
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const total = emptyResource();
  for (const c of pod.spec.containers) addResource(total, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec.initContainers ?? []) {
    const req = containerRequests(c, nonZero);
    if (c.restartPolicy === "Always") {
      // A sidecar keeps running: it adds to everything after it.
      addResource(total, req);
      addResource(sidecars, req);
      const atStart = cloneResource(sidecars);
      maxResource(initMax, atStart);
    } else {
      const during = cloneResource(sidecars);
      addResource(during, req);
      maxResource(initMax, during);
    }
  }
  maxResource(total, initMax);
  if (pod.spec.overhead) addResource(total, resourceFromList(pod.spec.overhead));
  return total;
}
