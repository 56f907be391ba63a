import type { Deployment, ReplicaSet } from "../common/types.js";
import { desiredReplicasAnnotation, maxReplicasAnnotation } from "./annotations.js";
import { desiredReplicas, isRollingUpdate, maxSurge } from "./fenceposts.js";
import {
  activeReplicaSets,
  byCreation,
  bySizeNewer,
  bySizeOlder,
  specReplicaCount,
  specReplicas,
} from "./replica-sets.js";
import type { ScaleStep } from "./rolling.js";

/** The only active ReplicaSet, or the newest if none is active; undefined when several are (upstream's FindActiveOrLatest). */
function activeOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet is at full size and fully available (upstream's IsSaturated). */
function saturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const want = desiredReplicas(d);
  return (
    desiredReplicasAnnotation(rs) === want &&
    (rs.status?.availableReplicas ?? 0) === want &&
    specReplicas(rs) === want
  );
}

/** This ReplicaSet's share of a resize (upstream's getReplicaSetFraction). */
function fraction(rs: ReplicaSet, d: Deployment): number {
  const want = desiredReplicas(d);
  if (want === 0) return -specReplicas(rs);
  const deploymentReplicas = want + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return Math.round((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/**
 * How to resize a Deployment's ReplicaSets when spec.replicas changed
 * (upstream's scale): the single active ReplicaSet takes the new size;
 * a saturated new ReplicaSet means old ones go to 0; mid-rollout, the
 * difference is spread over the active ReplicaSets in proportion to
 * their size (largest first, leftovers to the first).
 */
export function planScale(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ScaleStep[] {
  const want = desiredReplicas(d);
  const single = activeOrLatest(newRS, oldRSs);
  if (single) return specReplicas(single) === want ? [] : [{ rs: single, replicas: want }];
  if (saturated(d, newRS)) return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  if (!isRollingUpdate(d)) return [];
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaCount(all);
  if (toAdd === 0) return all.map((rs) => ({ rs, replicas: specReplicas(rs) }));
  all.sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of all) {
    let proportion = 0;
    if (specReplicas(rs) !== 0 && toAdd !== added) {
      const share = fraction(rs, d);
      const left = toAdd - added;
      proportion = toAdd > 0 ? Math.min(share, left) : Math.max(share, left);
    }
    sizes.set(rs, specReplicas(rs) + proportion);
    added += proportion;
  }
  const first = all[0];
  if (first && toAdd !== added)
    sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  return all.map((rs) => ({ rs, replicas: sizes.get(rs) ?? 0 }));
}
