import type { Quantity } from "../api/types.js";

/**
 * Reads ConfigMaps and Secrets for env and volumes. Synchronous on purpose:
 * the kubelet reads them from an informer cache; tests pass a map.
 */
export interface ObjectLookup {
  /** A ConfigMap's `data`, or undefined when it does not exist. */
  configMap(namespace: string, name: string): Record<string, string> | undefined;
  /** A Secret's `data`, already base64-decoded, or undefined when it does not exist. */
  secret(namespace: string, name: string): Record<string, Uint8Array> | undefined;
}

/** A lookup that finds nothing: pods that reference no ConfigMap or Secret need no more. */
export const EMPTY_LOOKUP: ObjectLookup = {
  configMap: () => undefined,
  secret: () => undefined,
};

/** What the kubelet knows about the node and the running pod, for the downward API. */
export interface PodFacts {
  /** The node's name (`spec.nodeName` when the pod lacks one). */
  nodeName: string;
  /** The node's addresses, first the primary (`status.hostIP`). */
  hostIPs: string[];
  /** The pod's addresses once its sandbox runs (`status.podIP`); empty before. */
  podIPs: string[];
  /** What the node can give a container with no limit: cpu, memory, ephemeral-storage. */
  allocatable: Record<string, Quantity>;
}

/**
 * A container's spec could not be turned into a runtime config (a missing
 * ConfigMap, key or Secret, a bad field path): upstream's
 * CreateContainerConfigError. The pod waits and the kubelet tries again.
 */
export class ContainerConfigError extends Error {
  override readonly name = "ContainerConfigError";
}
