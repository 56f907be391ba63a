import type { Deployment, ReplicaSet } from "../common/types.js";
import { desiredReplicas, maxSurge } from "./fenceposts.js";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
/** Upstream keeps revision-history under this many characters. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  "deprecated.deployment.rollback.to",
]);

/** The revision of a ReplicaSet (0 when missing or not a number). */
export function revisionOf(rs: ReplicaSet | Deployment | undefined): number {
  const raw = rs?.metadata.annotations?.[REVISION_ANNOTATION];
  const n = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : 0;
}

/** The highest revision among `rss`. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Copies the Deployment's own annotations onto the ReplicaSet; true when something changed. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas; true when they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** Whether desired-replicas or max-replicas differ from these values. */
export function replicasAnnotationsNeedUpdate(
  rs: ReplicaSet,
  desired: number,
  max: number,
): boolean {
  const a = rs.metadata.annotations ?? {};
  return (
    a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max)
  );
}

/**
 * The annotations of the Deployment's new ReplicaSet (upstream's
 * SetNewReplicaSetAnnotations): the Deployment's own annotations, the
 * revision raised to `newRevision` (the previous one appended to
 * revision-history, kept under 2000 characters), and for a ReplicaSet
 * about to be created the replicas annotations. Mutates `rs`; true when
 * something changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  const oldRevision = annotations[REVISION_ANNOTATION];
  const oldRevisionInt = oldRevision === undefined ? 0 : Number.parseInt(oldRevision, 10);
  if (oldRevision !== undefined && !Number.isFinite(oldRevisionInt)) return changed;
  if (oldRevisionInt < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined && oldRevision !== "") {
      const history = annotations[REVISION_HISTORY_ANNOTATION] ?? "";
      if (history === "") {
        annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
      } else {
        const entries = history.split(",");
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < entries.length) {
          total -= (entries[start] ?? "").length + 1;
          start++;
        }
        if (total <= MAX_REVISION_HISTORY_CHARS) {
          annotations[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldRevision].join(
            ",",
          );
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) {
    changed = true;
  }
  return changed;
}

/** The max-replicas annotation of a ReplicaSet, if it has a valid one. */
export function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const raw = rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION];
  const n = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** The desired-replicas annotation of a ReplicaSet, if it has a valid one. */
export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const raw = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  const n = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}
