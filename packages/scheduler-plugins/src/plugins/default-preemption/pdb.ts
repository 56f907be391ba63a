/**
 * Which pods would violate a PodDisruptionBudget if evicted, counted in
 * order so that evicting several pods of one budget uses up its allowance.
 */
import type { Pod, PodDisruptionBudget } from "../../api/types.js";
import { matchesLabelSelector } from "../../helpers/labels.js";

function selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if ((pdb.metadata.namespace ?? "default") !== (pod.metadata.namespace ?? "default")) return false;
  const sel = pdb.spec.selector;
  // A missing or empty selector selects nothing here, as upstream's preemption treats it.
  if (!sel || (!sel.matchLabels && !sel.matchExpressions?.length)) return false;
  return matchesLabelSelector(sel, pod.metadata.labels);
}

/** Splits pods (in the given order) into those whose eviction violates a budget and those that do not. */
export function splitByPdbViolation(
  pods: readonly Pod[],
  pdbs: readonly PodDisruptionBudget[],
): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violates = false;
    for (const [i, pdb] of pdbs.entries()) {
      if (!selects(pdb, pod)) continue;
      // A pod the budget already counts as disrupted costs nothing more.
      if (pdb.status?.disruptedPods?.[pod.metadata.name] !== undefined) continue;
      allowed[i] = allowed[i]! - 1;
      if (allowed[i]! < 0) violates = true;
    }
    (violates ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}
