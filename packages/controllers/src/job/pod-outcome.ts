import type { Pod } from "../common/types.js";
import { JOB_TRACKING_FINALIZER } from "./types.js";

/**
 * How a Job pod ended, if it has: Succeeded, or Failed (phase Failed, or
 * deleted before it succeeded, as upstream counts deleted pods with the
 * default podReplacementPolicy).
 */
export function podOutcome(pod: Pod): "succeeded" | "failed" | undefined {
  const phase = pod.status?.phase;
  if (phase === "Succeeded") return "succeeded";
  if (phase === "Failed") return "failed";
  if (pod.metadata?.deletionTimestamp) return "failed";
  return undefined;
}

/** True when the pod still carries the Job's tracking finalizer. */
export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}
