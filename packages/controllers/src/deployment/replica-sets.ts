import type { Deployment, ReplicaSet } from "../common/types.js";
import { revisionOf } from "./annotations.js";
import { equalIgnoreHash } from "./template-hash.js";

/** spec.replicas of a ReplicaSet (default 1, as the apiserver defaults). */
export const specReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 1;

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? "") || 0;

/** Oldest first; ties by name (upstream's ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

/** Lowest revision first; ties by creation (upstream's ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

/** Largest first; ties newer first (upstream's ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** Largest first; ties older first (upstream's ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}

/**
 * The ReplicaSet whose template equals the Deployment's (ignoring the hash
 * label); the oldest if several do, as upstream's FindNewReplicaSet.
 */
export function findNewReplicaSet(
  d: Deployment,
  rss: readonly ReplicaSet[],
): ReplicaSet | undefined {
  return [...rss]
    .sort(byCreation)
    .find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(
  rss: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
): ReplicaSet[] {
  return rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** ReplicaSets that should have pods (spec.replicas > 0). */
export function activeReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

/** Sum of spec.replicas. */
export function specReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
}

/** Sum of status.replicas (pods that exist). */
export function actualReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. */
export function readyReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. */
export function availableReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/**
 * Pods a ReplicaSet may have right now: the larger of spec.replicas and
 * status.replicas, so pods an old ReplicaSet was asked to shed but has not
 * deleted yet still count against maxSurge (see the README's departures).
 */
export function podBudgetCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce(
    (n, rs) => n + (rs ? Math.max(specReplicas(rs), rs.status?.replicas ?? 0) : 0),
    0,
  );
}

/**
 * Available pods a rollout may count on: per ReplicaSet at most its
 * spec.replicas, since pods above it are about to be deleted even if the
 * ReplicaSet's status (possibly not yet updated) still counts them.
 */
export function dependableAvailableCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce(
    (n, rs) => n + (rs ? Math.min(specReplicas(rs), rs.status?.availableReplicas ?? 0) : 0),
    0,
  );
}
