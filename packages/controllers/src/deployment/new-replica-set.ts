import type { OwnerReference } from "@kubekit/client";
import { templateHash } from "../common/template-hash.js";
import type { Deployment, ReplicaSet } from "../common/types.js";
import { POD_TEMPLATE_HASH_LABEL } from "./template-hash.js";

/**
 * The ReplicaSet a Deployment's current template gets (before sizing and
 * annotations): named `<deployment>-<hash>`, the hash label added to its
 * labels, selector and template labels, owned by the Deployment.
 */
export function newReplicaSetFor(d: Deployment, controllerRef: OwnerReference): ReplicaSet {
  const template = structuredClone(d.spec?.template ?? {});
  const hash = templateHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...labels },
      ownerReferences: [controllerRef],
    },
    spec: {
      replicas: 0,
      minReadySeconds: d.spec?.minReadySeconds ?? 0,
      selector,
      template,
    },
  };
}
