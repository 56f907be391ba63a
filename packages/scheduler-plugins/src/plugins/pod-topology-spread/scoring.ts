/**
 * PodTopologySpread's Score: fewer matching pods in a node's domains is
 * better, each constraint weighted by log(number of domains + 2) and
 * softened by maxSkew − 1; normalized so the best node gets 100.
 */
import type { Pod } from "../../api/types.js";
import type { NodeInfo } from "../../framework/node-info.js";
import {
  type Constraint,
  countMatching,
  hasAllTopologyKeys,
  LABEL_HOSTNAME,
  nodeIncluded,
} from "./constraints.js";

/** PreScore state. */
export interface SpreadScoreState {
  constraints: Constraint[];
  /** Nodes without every topology key: scored 0. */
  ignoredNodes: Set<string>;
  /** Per constraint (non-hostname): domain value → matching pods. */
  counts: Map<string, number>[];
  weights: number[];
}

/** Computes domain counts over all nodes for the domains of the feasible nodes. */
export function computeSpreadScoreState(
  pod: Pod,
  constraints: Constraint[],
  requireAllTopologies: boolean,
  feasible: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
): SpreadScoreState {
  const ignoredNodes = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const n of feasible) {
    if (requireAllTopologies && !hasAllTopologyKeys(n.node, constraints)) {
      ignoredNodes.add(n.name);
      continue;
    }
    for (const [i, c] of constraints.entries()) {
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      const value = n.node.metadata.labels?.[c.topologyKey];
      if (value !== undefined && !counts[i]!.has(value)) counts[i]!.set(value, 0);
    }
  }
  const weights = constraints.map((c, i) => {
    const size =
      c.topologyKey === LABEL_HOSTNAME ? feasible.length - ignoredNodes.size : counts[i]!.size;
    return Math.log(size + 2);
  });
  const namespace = pod.metadata.namespace ?? "default";
  for (const n of allNodes) {
    if (requireAllTopologies && !hasAllTopologyKeys(n.node, constraints)) continue;
    for (const [i, c] of constraints.entries()) {
      if (c.topologyKey === LABEL_HOSTNAME || !nodeIncluded(c, pod, n.node)) continue;
      const value = n.node.metadata.labels?.[c.topologyKey];
      if (value === undefined || !counts[i]!.has(value)) continue;
      counts[i]!.set(value, counts[i]!.get(value)! + countMatching(n, c, namespace));
    }
  }
  return { constraints, ignoredNodes, counts, weights };
}

/** A node's raw score (lower is better before normalizing). */
export function spreadScore(s: SpreadScoreState, pod: Pod, nodeInfo: NodeInfo): number {
  if (s.ignoredNodes.has(nodeInfo.name)) return 0;
  let score = 0;
  for (const [i, c] of s.constraints.entries()) {
    const value = nodeInfo.node.metadata.labels?.[c.topologyKey];
    if (value === undefined) continue;
    const count =
      c.topologyKey === LABEL_HOSTNAME
        ? countMatching(nodeInfo, c, pod.metadata.namespace ?? "default")
        : (s.counts[i]!.get(value) ?? 0);
    score += count * s.weights[i]! + (c.maxSkew - 1);
  }
  return Math.round(score);
}
