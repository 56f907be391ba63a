import { compareQuantities, tryParseQuantity } from "@kubekit/apimachinery";
import type { ResourceDefinition } from "../registry/resource.js";
import { isRecord, type KubeObject } from "../types/object.js";

type Obj = Record<string, unknown>;

// Quantities compare by value: `1` and `1000m` cpu are the same request.
function sameQuantity(a: unknown, b: unknown): boolean {
  const qa = tryParseQuantity(String(a));
  const qb = tryParseQuantity(String(b));
  return qa !== undefined && qb !== undefined
    ? compareQuantities(qa, qb) === 0
    : String(a) === String(b);
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/**
 * A pod's QoS class, as upstream computes it from the containers'
 * resources: BestEffort with no requests or limits at all, Guaranteed when
 * every container limits cpu and memory and requests exactly that,
 * Burstable otherwise.
 */
export function podQosClass(spec: unknown): "BestEffort" | "Burstable" | "Guaranteed" {
  const s = isRecord(spec) ? spec : {};
  const containers = [...list(s.initContainers), ...list(s.containers)];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const resources = isRecord(c.resources) ? c.resources : {};
    const requests = isRecord(resources.requests) ? resources.requests : {};
    const limits = isRecord(resources.limits) ? resources.limits : {};
    if (Object.keys(requests).length + Object.keys(limits).length > 0) any = true;
    for (const r of ["cpu", "memory"]) {
      if (
        limits[r] === undefined ||
        (requests[r] !== undefined && !sameQuantity(requests[r], limits[r]))
      ) {
        guaranteed = false;
      }
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/**
 * Sets what a resource's strategy puts in place on create, as upstream's
 * PrepareForCreate does: a Pending pod with its QoS class, an Active
 * namespace with the `kubernetes` finalizer, Pending volumes and claims.
 * Returns a copy.
 */
export function withInitialStatus(
  def: Pick<ResourceDefinition, "group" | "resource">,
  obj: KubeObject,
): KubeObject {
  return setInitialStatus(def, structuredClone(obj));
}

/**
 * {@link withInitialStatus} on an object the caller owns, changed in
 * place: a create's object is already a private copy by then.
 */
export function setInitialStatus(
  def: Pick<ResourceDefinition, "group" | "resource">,
  out: KubeObject,
): KubeObject {
  switch (`${def.group}/${def.resource}`) {
    case "/pods":
      out.status = { phase: "Pending", qosClass: podQosClass(out.spec) };
      break;
    case "/namespaces": {
      out.status = { phase: "Active" };
      const spec = isRecord(out.spec) ? out.spec : {};
      if (!Array.isArray(spec.finalizers)) spec.finalizers = ["kubernetes"];
      out.spec = spec;
      break;
    }
    case "/persistentvolumes":
    case "/persistentvolumeclaims":
      out.status = { phase: "Pending" };
      break;
    default:
      break;
  }
  return out;
}
