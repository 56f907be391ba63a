import { isPodAvailable, isPodReady } from "../common/pod-status.js";
import type { Pod, ReplicaSet, ReplicaSetStatus, WorkloadCondition } from "../common/types.js";

/** Labels of `pod` include every label of the template: upstream's fullyLabeledReplicas. */
function fullyLabeled(pod: Pod, templateLabels: Record<string, string>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v);
}

/**
 * The status a ReplicaSet (or ReplicationController) should report for
 * its active pods at `now`: replicas, fullyLabeled, ready and available
 * (ready for minReadySeconds) counts, observedGeneration, and the
 * ReplicaFailure condition while creating or deleting pods fails.
 */
export function calculateStatus(
  rs: ReplicaSet,
  pods: readonly Pod[],
  now: number,
  manageError: string | undefined,
): ReplicaSetStatus {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => fullyLabeled(p, templateLabels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
    ...(rs.metadata.generation !== undefined ? { observedGeneration: rs.metadata.generation } : {}),
  };
  const others = (rs.status?.conditions ?? []).filter((c) => c.type !== "ReplicaFailure");
  const existing = rs.status?.conditions?.find((c) => c.type === "ReplicaFailure");
  const conditions: WorkloadCondition[] = [...others];
  if (manageError !== undefined) {
    const reason = manageError.startsWith("delete") ? "FailedDelete" : "FailedCreate";
    conditions.push(
      existing && existing.reason === reason
        ? existing
        : {
            type: "ReplicaFailure",
            status: "True",
            reason,
            message: manageError,
            lastTransitionTime: new Date(now).toISOString().replace(/\.\d+Z$/, "Z"),
          },
    );
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Whether two statuses say the same (skips a needless write). */
export function sameStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(s: ReplicaSetStatus | undefined) {
  return {
    replicas: s?.replicas ?? 0,
    fullyLabeledReplicas: s?.fullyLabeledReplicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    observedGeneration: s?.observedGeneration ?? 0,
    conditions: s?.conditions ?? [],
  };
}
