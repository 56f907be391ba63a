import { tolerates } from "../common/node-eligibility.js";
import type { Taint, Toleration } from "../common/types.js";

/**
 * When a pod on a node with these taints must go (upstream's taint
 * manager): never if no NoExecute taint applies or every one is
 * tolerated forever; now if one is not tolerated; else after the
 * smallest tolerationSeconds among the tolerations used, counted from
 * when the taints were added (`since` when they carry no timeAdded).
 * Returns a time in ms, or undefined for never.
 */
export function evictionTime(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  since: number,
): number | undefined {
  const noExecute = taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return undefined;
  let minSeconds = Number.POSITIVE_INFINITY;
  let added = Number.POSITIVE_INFINITY;
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (used.length === 0) return Number.NEGATIVE_INFINITY;
    for (const t of used) {
      if (t.tolerationSeconds !== undefined)
        minSeconds = Math.min(minSeconds, Math.max(0, t.tolerationSeconds));
    }
    added = Math.min(added, taint.timeAdded ? Date.parse(taint.timeAdded) : since);
  }
  if (minSeconds === Number.POSITIVE_INFINITY) return undefined;
  return (Number.isFinite(added) ? added : since) + minSeconds * 1000;
}
