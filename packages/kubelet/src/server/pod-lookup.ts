import type { Pod } from "../api/types.js";

/** The pod `namespace/name` among the kubelet's pods (the last listed, if a name is reused). */
export function findPod(pods: readonly Pod[], namespace: string, name: string): Pod | undefined {
  let found: Pod | undefined;
  for (const p of pods) {
    if ((p.metadata.namespace ?? "default") === namespace && p.metadata.name === name) found = p;
  }
  return found;
}

/** Whether the pod spec has a container (regular, init or ephemeral) of that name. */
export function podHasContainer(pod: Pod, container: string): boolean {
  const spec = pod.spec as Pod["spec"] & { ephemeralContainers?: { name: string }[] };
  return [
    ...(spec.containers ?? []),
    ...(spec.initContainers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ].some((c) => c.name === container);
}

/** The waiting reason the pod's status gives a container, if any. */
export function waitingReason(pod: Pod, container: string): string | undefined {
  type Statuses = NonNullable<NonNullable<Pod["status"]>["containerStatuses"]>;
  const statuses: Statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...((pod.status as { initContainerStatuses?: Statuses } | undefined)?.initContainerStatuses ??
      []),
  ];
  return statuses.find((c) => c.name === container)?.state?.waiting?.reason;
}
