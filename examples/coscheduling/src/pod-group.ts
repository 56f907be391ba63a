/**
 * The PodGroup custom resource (scheduling.x-k8s.io/v1alpha1), as
 * kubernetes-sigs/scheduler-plugins defines it (the fields this plugin
 * reads), and how a pod names its group.
 */
import type { Pod } from "@kubekit/scheduler-plugins";

/** The label that puts a pod in a PodGroup of its namespace. */
export const POD_GROUP_LABEL = "scheduling.x-k8s.io/pod-group";

/** The PodGroup resource, for a dynamic client or an informer. */
export const POD_GROUPS = {
  group: "scheduling.x-k8s.io",
  version: "v1alpha1",
  resource: "podgroups",
  namespaced: true,
} as const;

/** scheduling.x-k8s.io/v1alpha1 PodGroup. */
export interface PodGroup {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; creationTimestamp?: string; uid?: string };
  spec: {
    /** The group is scheduled only when at least this many of its pods can run together. */
    minMember: number;
    /** How long members wait at Permit for the rest (overrides the plugin's default). */
    scheduleTimeoutSeconds?: number;
  };
  status?: { phase?: string; scheduled?: number; running?: number };
}

/** The pod's PodGroup name, or undefined when it belongs to none. */
export function podGroupName(pod: Pod): string | undefined {
  const name = pod.metadata.labels?.[POD_GROUP_LABEL];
  return name ? name : undefined;
}

/** `namespace/name` of the pod's group, or undefined. */
export function podGroupKey(pod: Pod): string | undefined {
  const name = podGroupName(pod);
  return name === undefined ? undefined : `${pod.metadata.namespace ?? "default"}/${name}`;
}

/** Where the plugin reads PodGroups and the pods that claim them. */
export interface PodGroupSource {
  podGroup(namespace: string, name: string): PodGroup | undefined;
  /** Pods (not finished) labelled with the group, in any state. */
  podsOf(namespace: string, name: string): Pod[];
}
