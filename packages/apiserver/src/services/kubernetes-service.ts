import { networkInterfaces } from "node:os";
import type { ResourceIndex } from "../registry/resource-index.js";
import { storageKey } from "../registry/storage-key.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { WriteContext } from "../strategy/admission-result.js";
import { admitCreate, admitUpdate } from "../strategy/admit-write.js";
import { isRecord, type KubeObject } from "../types/object.js";
import { firstAddress } from "./ip-range.js";
import type { ServiceAllocator } from "./service-allocator.js";

/** Where clients in the cluster reach the apiserver: the `kubernetes` service in `default`. */
export const KUBERNETES_SERVICE = { namespace: "default", name: "kubernetes" } as const;

/** The `kubernetes` Service: port 443 (https) to the apiserver's port, at the range's first IP. */
export function kubernetesService(clusterIP: string, securePort: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      ...KUBERNETES_SERVICE,
      labels: { component: "apiserver", provider: "kubernetes" },
    },
    spec: {
      type: "ClusterIP",
      clusterIP,
      sessionAffinity: "None",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: securePort }],
    },
  };
}

/** The `kubernetes` Endpoints: the apiserver's own address and port. */
export function kubernetesEndpoints(address: string, securePort: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: {
      ...KUBERNETES_SERVICE,
      labels: { "endpointslice.kubernetes.io/skip-mirror": "true" },
    },
    subsets: [
      {
        addresses: [{ ip: address }],
        ports: [{ name: "https", port: securePort, protocol: "TCP" }],
      },
    ],
  };
}

/**
 * The address the apiserver advertises when bound to `host`: the host
 * itself unless it is a wildcard, else the first non-loopback IPv4
 * address of this machine (as upstream picks its advertise address), else
 * 127.0.0.1.
 */
export function advertiseAddressFor(host: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== "0.0.0.0") return host;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// Creates `desired` or brings the stored one's `field` in line with it.
async function reconcile(
  store: ObjectStore,
  index: ResourceIndex,
  resource: string,
  desired: KubeObject,
  field: "spec" | "subsets",
  ctx: WriteContext,
  allocator?: ServiceAllocator,
): Promise<void> {
  const def = index.byResource("", "v1", resource)!;
  const key = storageKey(def, KUBERNETES_SERVICE.namespace, KUBERNETES_SERVICE.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.get(key);
    if (!current.ok) {
      const admitted = admitCreate(def, desired, { namespace: KUBERNETES_SERVICE.namespace }, ctx);
      if (!admitted.ok)
        throw new Error(`cannot create ${resource}/kubernetes: ${admitted.status.message}`);
      let object = admitted.object;
      const allocated = allocator ? await allocator.allocate(object, undefined) : undefined;
      if (allocated && !allocated.ok)
        throw new Error(`cannot create service/kubernetes: ${allocated.status.message}`);
      if (allocated) object = allocated.object;
      const created = await store.create(key, object);
      if (created.ok) return;
      await allocated?.undo();
      continue;
    }
    const stored = current.value;
    const wanted = desired[field];
    const have = stored[field];
    // Only the fields we own: a port or address change after a restart.
    const differs =
      field === "subsets"
        ? !sameJson(have, wanted)
        : isRecord(have) &&
          isRecord(wanted) &&
          !sameJson(
            (have.ports as unknown[] | undefined)?.map((p) => (isRecord(p) ? p.targetPort : p)),
            (wanted.ports as unknown[]).map((p) => (isRecord(p) ? p.targetPort : p)),
          );
    if (!differs) return;
    const next = structuredClone(stored);
    if (field === "subsets") next.subsets = wanted;
    else if (isRecord(next.spec) && isRecord(wanted)) next.spec.ports = wanted.ports;
    const admitted = admitUpdate(
      def,
      next,
      stored,
      { namespace: KUBERNETES_SERVICE.namespace },
      ctx,
    );
    if (!admitted.ok)
      throw new Error(`cannot update ${resource}/kubernetes: ${admitted.status.message}`);
    const written = await store.update(
      key,
      admitted.object,
      stored.metadata?.resourceVersion ?? "",
    );
    if (written.ok || written.reason !== "conflict") return;
  }
}

/**
 * Creates (or, after a restart on another port or address, updates) the
 * `kubernetes` Service in `default` at the service range's first IP and
 * its Endpoints pointing at the apiserver, as upstream's bootstrap
 * controller does.
 */
export async function ensureKubernetesService(
  store: ObjectStore,
  index: ResourceIndex,
  allocator: ServiceAllocator,
  advertise: { address: string; port: number },
  ctx: WriteContext,
): Promise<void> {
  const clusterIP = firstAddress(allocator.ipRange);
  await reconcile(
    store,
    index,
    "services",
    kubernetesService(clusterIP, advertise.port),
    "spec",
    ctx,
    allocator,
  );
  await reconcile(
    store,
    index,
    "endpoints",
    kubernetesEndpoints(advertise.address, advertise.port),
    "subsets",
    ctx,
  );
}
