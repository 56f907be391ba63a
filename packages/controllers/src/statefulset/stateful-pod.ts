import type { KubeObject, OwnerReference } from "@kubekit/client";
import { CONTROLLER_REVISION_HASH_LABEL } from "../common/controller-revisions.js";
import type { Pod, PodTemplateSpec, Workload } from "../common/types.js";

/** apps/v1 StatefulSet, the fields the controller reads. */
export interface StatefulSet extends Workload {
  spec?: Workload["spec"] & {
    replicas?: number;
    serviceName?: string;
    podManagementPolicy?: "OrderedReady" | "Parallel";
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    updateStrategy?: {
      type?: "RollingUpdate" | "OnDelete";
      rollingUpdate?: { partition?: number };
    };
    volumeClaimTemplates?: PersistentVolumeClaim[];
  };
  status?: StatefulSetStatus & Record<string, unknown>;
}

/** apps/v1 StatefulSetStatus. */
export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
}

/** core/v1 PersistentVolumeClaim. */
export interface PersistentVolumeClaim extends KubeObject {
  spec?: Record<string, unknown>;
}

/** The label naming a StatefulSet pod (for per-pod services). */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
/** The label carrying a StatefulSet pod's ordinal. */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** The ordinal of a pod named `<sts>-<i>`, or -1 if it is not one of `sts`'s. */
export function ordinalOf(sts: StatefulSet, pod: Pod): number {
  const prefix = `${sts.metadata?.name}-`;
  const name = pod.metadata?.name ?? "";
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

/** The name of the claim from template `claim` for ordinal `i`: `<claim>-<sts>-<i>`. */
export function claimName(sts: StatefulSet, claim: string, ordinal: number): string {
  return `${claim}-${sts.metadata?.name}-${ordinal}`;
}

/** The PersistentVolumeClaims pod `ordinal` needs, from the volumeClaimTemplates. */
export function claimsFor(sts: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const selectorLabels = sts.spec?.selector?.matchLabels ?? {};
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: claimName(sts, t.metadata?.name ?? "", ordinal),
      namespace: sts.metadata?.namespace ?? "",
      labels: { ...(t.metadata?.labels ?? {}), ...selectorLabels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }));
}

/**
 * Pod `ordinal` of `sts` from `template` (the template of revision
 * `revisionName`): a stable name `<sts>-<i>`, hostname and subdomain for
 * its DNS name under the governing service, the pod-name and pod-index
 * labels, and its claims mounted in place of same-named volumes.
 */
export function newStatefulPod(
  sts: StatefulSet,
  ownerRef: OwnerReference,
  template: PodTemplateSpec,
  ordinal: number,
  revisionName: string,
): Pod {
  const name = `${sts.metadata?.name}-${ordinal}`;
  const spec = structuredClone(template.spec ?? {});
  spec.hostname = name;
  if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
  const claims = (sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? "");
  if (claims.length > 0) {
    const volumes = ((spec.volumes as { name: string }[] | undefined) ?? []).filter(
      (v) => !claims.includes(v.name),
    );
    for (const claim of claims) {
      volumes.push({
        name: claim,
        persistentVolumeClaim: { claimName: claimName(sts, claim, ordinal) },
      } as { name: string });
    }
    spec.volumes = volumes;
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: sts.metadata?.namespace ?? "",
      labels: {
        ...(template.metadata?.labels ?? {}),
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [CONTROLLER_REVISION_HASH_LABEL]: revisionName,
      },
      ...(template.metadata?.annotations
        ? { annotations: { ...template.metadata.annotations } }
        : {}),
      ownerReferences: [ownerRef],
    },
    spec,
  };
}
