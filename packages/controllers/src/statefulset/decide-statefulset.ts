import { CONTROLLER_REVISION_HASH_LABEL } from "../common/controller-revisions.js";
import { isPodAvailable, isPodReady } from "../common/pod-status.js";
import type { Pod } from "../common/types.js";
import { ordinalOf, type StatefulSet, type StatefulSetStatus } from "./stateful-pod.js";

/** What the StatefulSet controller does this round. */
export interface StatefulSetDecision {
  /** Ordinals to create, each from the current or the update revision. */
  create: { ordinal: number; revision: string }[];
  delete: Pod[];
  events: { type: "Normal" | "Warning"; reason: string; message: string }[];
  status: StatefulSetStatus;
}

const runningAndReady = (p: Pod): boolean => p.status?.phase === "Running" && isPodReady(p);
const terminating = (p: Pod): boolean => p.metadata?.deletionTimestamp !== undefined;
const finished = (p: Pod): boolean =>
  p.status?.phase === "Failed" || p.status?.phase === "Succeeded";
const revisionOf = (p: Pod): string | undefined =>
  p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/**
 * Decides a StatefulSet's round as upstream's StatefulSetControl does:
 * pods `0..replicas-1` exist, and with OrderedReady each is created only
 * once every lower one is Running and Ready, and surplus pods go highest
 * ordinal first, one at a time, while the rest are healthy (Parallel does
 * both at once). Finished pods are recreated. A RollingUpdate then
 * replaces, from the highest ordinal down to the partition, one pod at a
 * time, the pods not on the update revision.
 */
export function decideStatefulSet(
  sts: StatefulSet,
  pods: readonly Pod[],
  currentRevision: string,
  updateRevision: string,
  now: number,
): StatefulSetDecision {
  const replicas = sts.spec?.replicas ?? 1;
  const ordered = (sts.spec?.podManagementPolicy ?? "OrderedReady") === "OrderedReady";
  const strategy = sts.spec?.updateStrategy?.type ?? "RollingUpdate";
  const partition =
    strategy === "RollingUpdate" ? (sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;
  const name = sts.metadata?.name ?? "";
  const decision: StatefulSetDecision = {
    create: [],
    delete: [],
    events: [],
    status: statusOf(sts, pods, currentRevision, updateRevision, now),
  };

  const byOrdinal = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(sts, pod);
    if (ordinal < 0) continue;
    if (ordinal < replicas) byOrdinal.set(ordinal, pod);
    else condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));

  // A new pod takes the current revision below the partition, else the update revision.
  const revisionFor = (ordinal: number): string =>
    strategy === "RollingUpdate" && ordinal < partition ? currentRevision : updateRevision;

  let blocked = false;
  for (let i = 0; i < replicas; i++) {
    const pod = byOrdinal.get(i);
    if (!pod) {
      decision.create.push({ ordinal: i, revision: revisionFor(i) });
      if (ordered) {
        blocked = true;
        break;
      }
      continue;
    }
    if (finished(pod) && !terminating(pod)) {
      decision.delete.push(pod);
      decision.events.push({
        type: "Warning",
        reason: "RecreatingFailedPod",
        message: `StatefulSet ${sts.metadata?.namespace}/${name} is recreating ${pod.status?.phase === "Failed" ? "failed" : "terminated"} Pod ${pod.metadata?.name}`,
      });
      if (ordered) {
        blocked = true;
        break;
      }
      continue;
    }
    if (ordered && (terminating(pod) || !runningAndReady(pod))) {
      blocked = true;
      break;
    }
  }
  if (blocked) return decision;

  // Scale down: highest ordinal first; OrderedReady one at a time while the rest are healthy.
  const healthy = [...byOrdinal.values()].every((p) => runningAndReady(p) && !terminating(p));
  for (const pod of condemned) {
    if (terminating(pod)) {
      if (ordered) return decision;
      continue;
    }
    if (ordered && !healthy) return decision;
    decision.delete.push(pod);
    if (ordered) return decision;
  }

  if (strategy === "RollingUpdate") {
    // Every pod must be healthy before the next is replaced.
    if (!healthy || decision.delete.length > 0 || decision.create.length > 0) return decision;
    for (let i = replicas - 1; i >= partition; i--) {
      const pod = byOrdinal.get(i);
      if (pod && revisionOf(pod) !== updateRevision) {
        decision.delete.push(pod);
        break;
      }
    }
  }
  return decision;
}

function statusOf(
  sts: StatefulSet,
  pods: readonly Pod[],
  currentRevision: string,
  updateRevision: string,
  now: number,
): StatefulSetStatus {
  const replicas = sts.spec?.replicas ?? 1;
  const live = pods.filter((p) => ordinalOf(sts, p) >= 0 && !terminating(p));
  const status: StatefulSetStatus = {
    replicas: live.length,
    readyReplicas: live.filter((p) => runningAndReady(p)).length,
    availableReplicas: live.filter(
      (p) =>
        p.status?.phase === "Running" && isPodAvailable(p, sts.spec?.minReadySeconds ?? 0, now),
    ).length,
    currentReplicas: live.filter((p) => revisionOf(p) === currentRevision).length,
    updatedReplicas: live.filter((p) => revisionOf(p) === updateRevision).length,
    currentRevision,
    updateRevision,
    collisionCount: sts.status?.collisionCount ?? 0,
  };
  if (sts.metadata?.generation !== undefined) status.observedGeneration = sts.metadata.generation;
  // The update is complete once every replica runs the update revision: it becomes current.
  if (
    status.updatedReplicas >= replicas &&
    status.readyReplicas >= replicas &&
    live.length === replicas
  ) {
    status.currentRevision = updateRevision;
    status.currentReplicas = status.updatedReplicas;
  }
  return status;
}
