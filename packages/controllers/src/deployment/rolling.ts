import type { Deployment, ReplicaSet } from "../common/types.js";
import { desiredReplicas, maxSurge, maxUnavailable } from "./fenceposts.js";
import {
  byCreation,
  dependableAvailableCount,
  podBudgetCount,
  specReplicaCount,
  specReplicas,
} from "./replica-sets.js";

/** A ReplicaSet and the spec.replicas it should get. */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/**
 * The new ReplicaSet's size in a rolling update (upstream's
 * NewRSNewReplicas): grow it as far as maxSurge allows over every
 * ReplicaSet's pods, never past spec.replicas.
 */
export function newReplicaSetReplicas(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): number {
  const current = specReplicas(newRS);
  const desired = desiredReplicas(d);
  if (current >= desired) return desired;
  const maxTotal = desired + maxSurge(d);
  const existing = podBudgetCount(allRSs);
  if (existing >= maxTotal) return current;
  return current + Math.min(maxTotal - existing, desired - current);
}

/**
 * How a rolling update scales old ReplicaSets down (upstream's
 * reconcileOldReplicaSets): first unhealthy replicas of old ReplicaSets
 * (they cost no availability), then, oldest first, as many as keep
 * spec.replicas − maxUnavailable pods available.
 */
export function planOldScaleDown(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
): ScaleStep[] {
  const oldCount = specReplicaCount(oldRSs);
  if (oldCount === 0) return [];
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = newRS ? specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = specReplicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];

  const sizes = new Map<ReplicaSet, number>(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const sorted = [...oldRSs].sort(byCreation);
  // Unhealthy replicas first.
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs) ?? 0;
    const available = rs.status?.availableReplicas ?? 0;
    if (size === 0 || size <= available) continue;
    const down = Math.min(maxScaledDown - cleaned, size - available);
    sizes.set(rs, size - down);
    cleaned += down;
  }
  // Then healthy ones, down to the availability floor.
  const availableNow = dependableAvailableCount([...oldRSs, ...(newRS ? [newRS] : [])]);
  if (availableNow > minAvailable) {
    const toScaleDown = availableNow - minAvailable;
    let done = 0;
    for (const rs of sorted) {
      if (done >= toScaleDown) break;
      const size = sizes.get(rs) ?? 0;
      if (size === 0) continue;
      const down = Math.min(size, toScaleDown - done);
      sizes.set(rs, size - down);
      done += down;
    }
  }
  return sorted
    .filter((rs) => sizes.get(rs) !== specReplicas(rs))
    .map((rs) => ({ rs, replicas: sizes.get(rs) ?? 0 }));
}
