import type { OwnerReference } from "@kubekit/client";
import type { Pod, ReplicaSet } from "../common/types.js";

/**
 * The pod a ReplicaSet creates: its template's labels, annotations,
 * finalizers and spec, a generated name `<owner>-xxxxx`, and the owner as
 * controller (upstream's GetPodFromTemplate).
 */
export function podFromTemplate(owner: ReplicaSet, controllerRef: OwnerReference): Pod {
  const template = owner.spec?.template ?? {};
  const meta = template.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}
