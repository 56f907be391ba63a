import { createHash } from "node:crypto";
import type { KubeObject } from "@kubekit/client";
import type { Pod } from "../api/types.js";

/** Where a pod came from: `file` for static pods, `api` for the apiserver's. */
export const CONFIG_SOURCE_ANNOTATION = "kubernetes.io/config.source";
/** A static pod's hash (its uid on this node). */
export const CONFIG_HASH_ANNOTATION = "kubernetes.io/config.hash";
/** On a mirror pod: the hash of the static pod it mirrors. */
export const CONFIG_MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

/** Whether a pod from the API is a mirror of some node's static pod. */
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** Whether a pod the kubelet runs came from a manifest file. */
export function isStaticPod(pod: Pod): boolean {
  return pod.metadata.annotations?.[CONFIG_SOURCE_ANNOTATION] === "file";
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * The pod a manifest describes, as this node runs it (upstream's
 * applyDefaults for file sources): named `<name>-<nodeName>`, in `default`
 * unless it says otherwise, bound to this node, with a uid hashed from the
 * manifest, the node and the source (so an unchanged file keeps its pod and
 * an edit replaces it), and the config.source/config.hash annotations.
 */
export function staticPodFromManifest(manifest: unknown, nodeName: string): Pod {
  if (!manifest || typeof manifest !== "object") throw new Error("manifest is not an object");
  const raw = manifest as Partial<Pod> & { kind?: string };
  if (raw.kind !== undefined && raw.kind !== "Pod") {
    throw new Error(`manifest kind is ${String(raw.kind)}, want Pod`);
  }
  if (!raw.metadata?.name) throw new Error("manifest has no metadata.name");
  if (!raw.spec || !Array.isArray(raw.spec.containers) || raw.spec.containers.length === 0) {
    throw new Error("manifest has no spec.containers");
  }
  const hash = createHash("md5")
    .update("file")
    .update(nodeName)
    .update(canonical(raw))
    .digest("hex");
  const uid = raw.metadata.uid || hash;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...raw.metadata,
      name: `${raw.metadata.name}-${nodeName}`,
      namespace: raw.metadata.namespace || "default",
      uid,
      annotations: {
        ...(raw.metadata.annotations ?? {}),
        [CONFIG_SOURCE_ANNOTATION]: "file",
        [CONFIG_HASH_ANNOTATION]: uid,
      },
    },
    spec: {
      restartPolicy: "Always",
      ...raw.spec,
      nodeName,
      // Upstream lets static pods tolerate every NoExecute taint.
      tolerations: [...(raw.spec.tolerations ?? []), { operator: "Exists", effect: "NoExecute" }],
    },
    status: { phase: "Pending" },
  };
}

/**
 * The mirror pod the API shows for a static pod: the same pod without its
 * uid, annotated with the static pod's hash, owned by the Node.
 */
export function mirrorPodFor(staticPod: Pod, nodeName: string, nodeUid: string): KubeObject {
  const { uid: _uid, resourceVersion: _rv, ...metadata } = staticPod.metadata;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...metadata,
      annotations: {
        ...(metadata.annotations ?? {}),
        [CONFIG_MIRROR_ANNOTATION]: staticPod.metadata.annotations?.[CONFIG_HASH_ANNOTATION] ?? "",
      },
      ownerReferences: [
        { apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUid, controller: true },
      ],
    },
    spec: staticPod.spec,
  };
}

/** Whether a mirror pod in the API still mirrors this static pod. */
export function mirrorMatches(mirror: Pod, staticPod: Pod): boolean {
  return (
    mirror.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] ===
    staticPod.metadata.annotations?.[CONFIG_HASH_ANNOTATION]
  );
}
