/**
 * PodTopologySpread's Filter: per hard constraint, how many matching pods
 * each topology domain holds, and the skew the incoming pod would cause.
 */
import type { Pod } from "../../api/types.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { matchesLabelSelector } from "../../helpers/labels.js";
import { type Constraint, countMatching, hasAllTopologyKeys, nodeIncluded } from "./constraints.js";

/** Filter state: matching pod counts per constraint and domain value. */
export interface SpreadFilterState {
  constraints: Constraint[];
  /** Per constraint: domain value → matching pods. */
  counts: Map<string, number>[];
  /**
   * Per constraint: the global minimum over `counts` (upstream's critical
   * path), or undefined until Filter first needs it after a change. Kept
   * here so Filter is O(1) per node rather than O(domains).
   */
  minMatch: (number | undefined)[];
  /** Per constraint: 1 when the incoming pod matches its own selector, else 0. */
  selfMatch: number[];
  clone(): SpreadFilterState;
}

function withClone(
  constraints: Constraint[],
  counts: Map<string, number>[],
  selfMatch: number[],
): SpreadFilterState {
  const state: SpreadFilterState = {
    constraints,
    counts,
    minMatch: constraints.map(() => undefined),
    selfMatch,
    clone: () =>
      withClone(
        constraints,
        counts.map((m) => new Map(m)),
        selfMatch,
      ),
  };
  return state;
}

/** The minimum matching count over the constraint's domains (with fewer than minDomains, 0). */
function minMatch(s: SpreadFilterState, i: number): number {
  let min = s.minMatch[i];
  if (min !== undefined) return min;
  const counts = s.counts[i]!;
  min = counts.size < s.constraints[i]!.minDomains ? 0 : Number.POSITIVE_INFINITY;
  for (const n of counts.values()) if (n < min) min = n;
  if (!Number.isFinite(min)) min = 0;
  s.minMatch[i] = min;
  return min;
}

/** Counts matching pods over every eligible node (each domain seen starts at 0). */
export function computeSpreadFilterState(
  pod: Pod,
  constraints: Constraint[],
  nodes: readonly NodeInfo[],
): SpreadFilterState {
  const counts = constraints.map(() => new Map<string, number>());
  const namespace = pod.metadata.namespace ?? "default";
  for (const n of nodes) {
    if (!hasAllTopologyKeys(n.node, constraints)) continue;
    for (const [i, c] of constraints.entries()) {
      if (!nodeIncluded(c, pod, n.node)) continue;
      const value = n.node.metadata.labels![c.topologyKey]!;
      const m = counts[i]!;
      m.set(value, (m.get(value) ?? 0) + countMatching(n, c, namespace));
    }
  }
  const selfMatch = constraints.map((c) =>
    matchesLabelSelector(c.selector, pod.metadata.labels) ? 1 : 0,
  );
  return withClone(constraints, counts, selfMatch);
}

/** Adds or removes one pod's count on a node (preemption and nominated-pod simulation). */
export function updateSpreadState(
  s: SpreadFilterState,
  incoming: Pod,
  changed: Pod,
  nodeInfo: NodeInfo,
  by: 1 | -1,
): void {
  if (!hasAllTopologyKeys(nodeInfo.node, s.constraints)) return;
  if ((changed.metadata.namespace ?? "default") !== (incoming.metadata.namespace ?? "default"))
    return;
  for (const [i, c] of s.constraints.entries()) {
    if (
      !nodeIncluded(c, incoming, nodeInfo.node) ||
      !matchesLabelSelector(c.selector, changed.metadata.labels)
    )
      continue;
    const value = nodeInfo.node.metadata.labels![c.topologyKey]!;
    s.counts[i]!.set(value, (s.counts[i]!.get(value) ?? 0) + by);
    s.minMatch[i] = undefined;
  }
}

/** The verdict for one node: undefined when fine, else "missing-label" or "skew". */
export function spreadViolation(
  s: SpreadFilterState,
  _pod: Pod,
  nodeInfo: NodeInfo,
): "missing-label" | "skew" | undefined {
  const labels = nodeInfo.node.metadata.labels;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const value = labels?.[c.topologyKey];
    if (value === undefined) return "missing-label";
    const skew = (s.counts[i]!.get(value) ?? 0) + s.selfMatch[i]! - minMatch(s, i);
    if (skew > c.maxSkew) return "skew";
  }
  return undefined;
}
