import { parseQuantity, quantityMilliValue } from "@kubekit/apimachinery";
import type { Container, Pod, PodQOSClass, Quantity } from "../api/types.js";

const QOS_RESOURCES = ["cpu", "memory"] as const;

/**
 * A container's effective request for a resource: its request, or its limit
 * when only a limit is set (the API server defaults requests to limits; this
 * kubelet may see pods that were never defaulted).
 */
export function effectiveRequest(container: Container, resource: string): Quantity | undefined {
  return container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
}

/**
 * The pod's QoS class: BestEffort when no container requests or limits CPU or
 * memory; Guaranteed when every container limits both and requests equal
 * limits; Burstable otherwise.
 */
export function podQosClass(pod: Pod): PodQOSClass {
  const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let anySet = false;
  let guaranteed = true;
  for (const container of containers) {
    for (const resource of QOS_RESOURCES) {
      const limit = container.resources?.limits?.[resource];
      const request = effectiveRequest(container, resource);
      const limitMilli = limit === undefined ? 0n : quantityMilliValue(parseQuantity(limit));
      const requestMilli = request === undefined ? 0n : quantityMilliValue(parseQuantity(request));
      if (limitMilli > 0n || requestMilli > 0n) anySet = true;
      if (limitMilli === 0n || requestMilli !== limitMilli) guaranteed = false;
    }
  }
  if (!anySet) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
