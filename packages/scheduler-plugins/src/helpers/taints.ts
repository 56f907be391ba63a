/**
 * Taint/toleration matching as core/v1's Toleration.ToleratesTaint.
 */
import type { Taint, TaintEffect, Toleration } from "../api/types.js";

/** True when the toleration tolerates the taint. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  // An empty key is only valid with Exists, and then matches all keys.
  if (!toleration.key && toleration.operator !== "Exists") return false;
  switch (toleration.operator ?? "Equal") {
    case "Exists":
      return true;
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    default:
      return false;
  }
}

/** The first taint (of the given effects) none of the tolerations tolerate. */
export function findUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly TaintEffect[],
): Taint | undefined {
  return taints.find(
    (t) => effects.includes(t.effect) && !tolerations.some((tol) => toleratesTaint(tol, t)),
  );
}
