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
  clone(): SpreadFilterState;
}

function withClone(constraints: Constraint[], counts: Map<string, number>[]): SpreadFilterState {
  return {
    constraints,
    counts,
    clone: () =>
      withClone(
        constraints,
        counts.map((m) => new Map(m)),
      ),
  };
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
  return withClone(constraints, counts);
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
  }
}

/** The verdict for one node: undefined when fine, else "missing-label" or "skew". */
export function spreadViolation(
  s: SpreadFilterState,
  pod: Pod,
  nodeInfo: NodeInfo,
): "missing-label" | "skew" | undefined {
  for (const [i, c] of s.constraints.entries()) {
    const value = nodeInfo.node.metadata.labels?.[c.topologyKey];
    if (value === undefined) return "missing-label";
    const counts = s.counts[i]!;
    // With fewer domains than minDomains, the global minimum counts as 0.
    let min = counts.size < c.minDomains ? 0 : Number.POSITIVE_INFINITY;
    for (const n of counts.values()) min = Math.min(min, n);
    if (!Number.isFinite(min)) min = 0;
    const self = matchesLabelSelector(c.selector, pod.metadata.labels) ? 1 : 0;
    const skew = (counts.get(value) ?? 0) + self - min;
    if (skew > c.maxSkew) return "skew";
  }
  return undefined;
}
