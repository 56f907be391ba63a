import { deepCopy, isRecord, type KubeObject } from "../types/object.js";
import { formatTime } from "./clock.js";

/** metav1.DeletionPropagation. */
export type PropagationPolicy = "Orphan" | "Background" | "Foreground";

/** The finalizer the garbage collector honours for orphaning dependents. */
export const ORPHAN_FINALIZER = "orphan";
/** The finalizer the garbage collector honours for foreground deletion. */
export const FOREGROUND_FINALIZER = "foregroundDeletion";

/** What a DELETE should do to the stored object. */
export type DeletionDecision =
  /** Remove it from storage now. */
  | { action: "delete" }
  /** Write this object back: it now has a deletionTimestamp and waits for its finalizers or grace period. */
  | { action: "update"; object: KubeObject }
  /** It is already being deleted and nothing changes. */
  | { action: "unchanged"; object: KubeObject };

/** The options of a DELETE (metav1.DeleteOptions) that matter here. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  /** The old-style orphan flag; propagationPolicy wins when both are set. */
  orphanDependents?: boolean;
}

/**
 * The grace period a pod gets: the request's, else the pod's own
 * terminationGracePeriodSeconds, else 30; and none for a pod that never
 * reached a node or has finished, since no kubelet is there to stop it.
 */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const status = isRecord(pod.status) ? pod.status : {};
  if (!spec.nodeName) return 0;
  if (status.phase === "Succeeded" || status.phase === "Failed") return 0;
  if (requested !== undefined) return Math.max(0, requested);
  return typeof spec.terminationGracePeriodSeconds === "number"
    ? spec.terminationGracePeriodSeconds
    : 30;
}

function finalizersFor(obj: KubeObject, opts: DeleteOptions): string[] {
  const current = obj.metadata?.finalizers ?? [];
  const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? "Orphan" : undefined);
  const without = current.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (policy === "Orphan") return [...without, ORPHAN_FINALIZER];
  if (policy === "Foreground") return [...without, FOREGROUND_FINALIZER];
  if (policy === "Background") return without;
  return current;
}

/**
 * Decides what a DELETE does, as upstream's BeforeDelete and the store's
 * finalizer handling do together. `gracefulPods` is true for pods, whose
 * deletion waits for the kubelet. An object with finalizers (including
 * one the propagation policy adds) only gets a deletionTimestamp; an
 * object already being deleted can only have its grace period shortened.
 */
export function decideDeletion(
  obj: KubeObject,
  opts: DeleteOptions,
  now: Date,
  gracefulPods: boolean,
): DeletionDecision {
  const meta = obj.metadata ?? {};
  const grace = gracefulPods ? podGracePeriod(obj, opts.gracePeriodSeconds) : 0;
  const finalizers = finalizersFor(obj, opts);

  if (meta.deletionTimestamp) {
    const current = meta.deletionGracePeriodSeconds ?? 0;
    if (gracefulPods && grace < current) {
      if (grace === 0 && finalizers.length === 0) return { action: "delete" };
      const updated = deepCopy(obj);
      updated.metadata = {
        ...meta,
        deletionTimestamp: formatTime(new Date(now.getTime() + grace * 1000)),
        deletionGracePeriodSeconds: grace,
      };
      return { action: "update", object: updated };
    }
    return { action: "unchanged", object: obj };
  }

  if (grace === 0 && finalizers.length === 0) return { action: "delete" };
  const updated = deepCopy(obj);
  updated.metadata = {
    ...meta,
    deletionTimestamp: formatTime(new Date(now.getTime() + grace * 1000)),
    deletionGracePeriodSeconds: grace,
  };
  if (finalizers.length > 0) updated.metadata.finalizers = finalizers;
  else delete updated.metadata.finalizers;
  return { action: "update", object: updated };
}

/**
 * Whether an object written by an update should now be removed: it is being
 * deleted, its last finalizer is gone and its grace period has run out.
 */
export function shouldDeleteAfterUpdate(obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  // A terminating namespace also waits for its spec finalizers (upstream's ShouldDeleteNamespaceDuringUpdate).
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const namespaceWaits =
    obj.kind === "Namespace" && Array.isArray(spec.finalizers) && spec.finalizers.length > 0;
  return (
    !namespaceWaits &&
    Boolean(meta.deletionTimestamp) &&
    (meta.finalizers ?? []).length === 0 &&
    (meta.deletionGracePeriodSeconds ?? 0) === 0
  );
}
