import type { Deployment, DeploymentStatus, ReplicaSet } from "../common/types.js";
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  Reason,
  removeCondition,
  setCondition,
} from "./conditions.js";
import { desiredReplicas, maxUnavailable } from "./fenceposts.js";
import {
  actualReplicaCount,
  availableReplicaCount,
  readyReplicaCount,
  specReplicaCount,
} from "./replica-sets.js";

/**
 * The status counts of a Deployment over its ReplicaSets, and the
 * Available condition (upstream's calculateStatus): available when at
 * least spec.replicas − maxUnavailable pods are.
 */
export function calculateDeploymentStatus(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: number,
): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = specReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        "Available",
        "True",
        Reason.MinimumReplicasAvailable,
        "Deployment has minimum availability.",
        now,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        "Available",
        "False",
        Reason.MinimumReplicasUnavailable,
        "Deployment does not have minimum availability.",
        now,
      ),
    );
  }
  return status;
}

/**
 * The status a rollout step ends with (upstream's syncRolloutStatus): the
 * counts, then the Progressing condition — NewReplicaSetAvailable once
 * complete, ReplicaSetUpdated while it moves (keeping the transition
 * time), ProgressDeadlineExceeded once stuck past the deadline — and the
 * ReplicaFailure condition copied from the new ReplicaSet.
 */
export function rolloutStatus(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: number,
): DeploymentStatus {
  const status = calculateDeploymentStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(status, "Progressing");
  const current = getCondition(d.status, "Progressing");
  const complete =
    status.replicas === status.updatedReplicas && current?.reason === Reason.NewReplicaSetAvailable;
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(
          "Progressing",
          "True",
          Reason.NewReplicaSetAvailable,
          `${subject} has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      const condition = newCondition(
        "Progressing",
        "True",
        Reason.ReplicaSetUpdated,
        `${subject} is progressing.`,
        now,
      );
      if (current?.status === "True" && current.lastTransitionTime) {
        condition.lastTransitionTime = current.lastTransitionTime;
      }
      removeCondition(status, "Progressing");
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(
        status,
        newCondition(
          "Progressing",
          "False",
          Reason.ProgressDeadlineExceeded,
          `${subject} has timed out progressing.`,
          now,
        ),
      );
    }
  }
  const failure = [newRS, ...allRSs]
    .flatMap((rs) => rs?.status?.conditions ?? [])
    .find((c) => c.type === "ReplicaFailure" && c.status === "True");
  if (failure) {
    setCondition(status, {
      type: "ReplicaFailure",
      status: "True",
      ...(failure.reason ? { reason: failure.reason } : {}),
      ...(failure.message ? { message: failure.message } : {}),
      lastUpdateTime:
        failure.lastTransitionTime ?? failure.lastUpdateTime ?? new Date(now).toISOString(),
      lastTransitionTime: failure.lastTransitionTime ?? new Date(now).toISOString(),
    });
  } else {
    removeCondition(status, "ReplicaFailure");
  }
  return status;
}

/** Whether two statuses are the same (ignoring key order). */
export function sameDeploymentStatus(
  a: DeploymentStatus | undefined,
  b: DeploymentStatus,
): boolean {
  const norm = (s: DeploymentStatus | undefined) =>
    JSON.stringify({
      observedGeneration: s?.observedGeneration ?? 0,
      replicas: s?.replicas ?? 0,
      updatedReplicas: s?.updatedReplicas ?? 0,
      readyReplicas: s?.readyReplicas ?? 0,
      availableReplicas: s?.availableReplicas ?? 0,
      unavailableReplicas: s?.unavailableReplicas ?? 0,
      collisionCount: s?.collisionCount,
      conditions: (s?.conditions ?? []).map((c) => [
        c.type,
        c.status,
        c.reason,
        c.message,
        c.lastUpdateTime,
        c.lastTransitionTime,
      ]),
    });
  return norm(a) === norm(b);
}

/**
 * When to look at a Deployment again so a stuck rollout is noticed at its
 * deadline (upstream's requeueStuckDeployment): ms from `now`, or
 * undefined when nothing is pending.
 */
export function stuckRecheckAfter(
  d: Deployment,
  status: DeploymentStatus,
  now: number,
): number | undefined {
  const current = getCondition(d.status, "Progressing");
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, status) || current.reason === Reason.ProgressDeadlineExceeded)
    return undefined;
  const from = Date.parse(current.lastUpdateTime ?? "");
  if (!Number.isFinite(from)) return undefined;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
  return Math.max(0, after) + 1000;
}
