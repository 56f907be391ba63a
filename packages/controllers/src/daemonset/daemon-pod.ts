import type { OwnerReference } from "@kubekit/client";
import { CONTROLLER_REVISION_HASH_LABEL } from "../common/controller-revisions.js";
import type { NodeSelectorTerm } from "../common/node-eligibility.js";
import type { Node, Pod, Toleration, Workload } from "../common/types.js";

/** apps/v1 DaemonSet, the fields the controller reads. */
export interface DaemonSet extends Workload {
  spec?: Workload["spec"] & {
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    updateStrategy?: {
      type?: "RollingUpdate" | "OnDelete";
      rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
    };
  };
  status?: DaemonSetStatus & Record<string, unknown>;
}

/** apps/v1 DaemonSetStatus. */
export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/**
 * The tolerations upstream adds to every DaemonSet pod, so node problems
 * do not evict or keep out the node's daemons: not-ready and unreachable
 * (NoExecute, forever), the pressure and unschedulable conditions
 * (NoSchedule), and network-unavailable for host-network pods.
 */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const tolerations: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (hostNetwork) {
    tolerations.push({
      key: "node.kubernetes.io/network-unavailable",
      operator: "Exists",
      effect: "NoSchedule",
    });
  }
  return tolerations;
}

/** `tolerations` plus those in `extra` not already there (same key, operator, value and effect). */
export function withTolerations(
  tolerations: readonly Toleration[],
  extra: readonly Toleration[],
): Toleration[] {
  const same = (a: Toleration, b: Toleration) =>
    a.key === b.key &&
    (a.operator ?? "Equal") === (b.operator ?? "Equal") &&
    a.value === b.value &&
    a.effect === b.effect;
  return [...tolerations, ...extra.filter((t) => !tolerations.some((x) => same(x, t)))];
}

/** The template's pod spec with the DaemonSet tolerations, as the controller creates and judges it. */
export function daemonPodSpec(ds: DaemonSet): NonNullable<Pod["spec"]> {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  spec.tolerations = withTolerations(
    spec.tolerations ?? [],
    daemonTolerations(spec.hostNetwork === true),
  );
  return spec;
}

/**
 * A pod of `ds` for `node`. Like upstream, the pod is not bound here: its
 * required node affinity is replaced by `metadata.name In [node]`, and the
 * scheduler places it (so resources and ports are checked as for any pod).
 */
export function newDaemonPod(
  ds: DaemonSet,
  ownerRef: OwnerReference,
  nodeName: string,
  hash: string,
): Pod {
  const template = ds.spec?.template ?? {};
  const spec = daemonPodSpec(ds);
  const affinity = (spec.affinity ?? {}) as Record<string, unknown>;
  const nodeAffinity = (affinity.nodeAffinity ?? {}) as Record<string, unknown>;
  const term: NodeSelectorTerm = {
    matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }],
  };
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
    },
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${ds.metadata?.name}-`,
      namespace: ds.metadata?.namespace ?? "",
      labels: { ...(template.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(template.metadata?.annotations
        ? { annotations: { ...template.metadata.annotations } }
        : {}),
      ownerReferences: [ownerRef],
    },
    spec,
  };
}

/** The node a daemon pod is for: its nodeName, else the node its affinity names (not scheduled yet). */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const affinity = pod.spec?.affinity as
    | {
        nodeAffinity?: {
          requiredDuringSchedulingIgnoredDuringExecution?: {
            nodeSelectorTerms?: NodeSelectorTerm[];
          };
        };
      }
    | undefined;
  for (const term of affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === "metadata.name" && field.operator === "In" && field.values?.length === 1) {
        return field.values[0];
      }
    }
  }
  return undefined;
}

export type { Node };
