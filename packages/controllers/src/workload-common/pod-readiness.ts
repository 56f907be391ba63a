import type { Pod } from "./types.js";

/** True when the pod's Ready condition is True (what the kubelet reports after readiness probes). */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** When the pod's Ready condition last turned True, if it is True. */
export function podReadySince(pod: Pod): Date | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
  return ready?.lastTransitionTime ? new Date(ready.lastTransitionTime) : undefined;
}

/**
 * Ready for at least `minReadySeconds` at `now` (upstream's
 * IsPodAvailable). With 0 a ready pod is available at once.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since.getTime() + minReadySeconds * 1000 <= now.getTime();
}

/** True when the pod has finished: phase Succeeded or Failed. */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** True when the pod is being deleted (it has a deletionTimestamp). */
export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

/** True when the pod counts as running for a controller: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !isPodTerminating(pod);
}
