import { formatMicroTime, isNotFound, type KubeObject, type ResourceClient } from "@kubekit/client";

/** Where node heartbeats live. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
/** Upstream's `nodeLeaseDurationSeconds`. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** Upstream renews at a quarter of the duration: every 10 s. */
export const NODE_LEASE_RENEW_INTERVAL_MS = (NODE_LEASE_DURATION_SECONDS * 1000) / 4;

/** A coordination.k8s.io/v1 Lease as the kubelet writes it. */
export interface NodeLease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    renewTime?: string;
  };
}

/** The lease a node heartbeats with: named after it, owned by the Node so it goes with it. */
export function desiredNodeLease(
  nodeName: string,
  nodeUid: string | undefined,
  now: number,
): NodeLease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: nodeName,
      namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid
        ? {
            ownerReferences: [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUid }],
          }
        : {}),
    },
    spec: {
      holderIdentity: nodeName,
      leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS,
      renewTime: formatMicroTime(now),
    },
  };
}

/**
 * Renews (or creates) the node's lease once: upstream's lease controller
 * step. The update is a compare-and-swap on the lease's resourceVersion;
 * a conflict or any other error is thrown for the caller to retry.
 */
export async function renewNodeLease(
  leases: ResourceClient<NodeLease>,
  nodeName: string,
  nodeUid: string | undefined,
  now: number,
  signal?: AbortSignal,
): Promise<NodeLease> {
  const desired = desiredNodeLease(nodeName, nodeUid, now);
  let current: NodeLease;
  try {
    current = await leases.get(nodeName, {}, signal);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return leases.create(desired, {}, signal);
  }
  const owners = current.metadata?.ownerReferences?.length
    ? current.metadata.ownerReferences
    : desired.metadata?.ownerReferences;
  return leases.update(
    {
      ...current,
      metadata: { ...current.metadata, ...(owners ? { ownerReferences: owners } : {}) },
      spec: { ...current.spec, ...desired.spec },
    },
    {},
    signal,
  );
}
