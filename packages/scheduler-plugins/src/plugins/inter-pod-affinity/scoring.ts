/**
 * InterPodAffinity's PreScore: a score per topology pair from preferred
 * terms on both sides and existing pods' required affinity (weighted by
 * hardPodAffinityWeight).
 */
import type { Node, Pod } from "../../api/types.js";
import type { NamespaceLister } from "../../framework/handle.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { pairKey } from "./filtering.js";
import { type PodTerms, podTerms, type ResolvedTerm, termMatches } from "./terms.js";

/** Score per topology pair, plus the topology keys seen (to sum per node). */
export interface TopologyScore {
  byPair: Map<string, number>;
  keys: Set<string>;
}

function add(
  score: TopologyScore,
  term: ResolvedTerm,
  weight: number,
  target: Pod,
  node: Node,
  ns?: NamespaceLister,
) {
  if (!termMatches(term, target, ns)) return;
  const value = node.metadata.labels?.[term.topologyKey];
  if (value === undefined) return;
  const k = pairKey(term.topologyKey, value);
  score.byPair.set(k, (score.byPair.get(k) ?? 0) + weight);
  score.keys.add(term.topologyKey);
}

/** Computes pair scores for the incoming pod over the nodes; undefined when there is nothing to score. */
export function computeTopologyScore(
  incoming: Pod,
  allNodes: readonly NodeInfo[],
  nodesWithAffinityPods: readonly NodeInfo[],
  hardPodAffinityWeight: number,
  ns?: NamespaceLister,
): TopologyScore | undefined {
  const mine: PodTerms = podTerms(incoming);
  const hasOwnPreferences =
    mine.preferredAffinity.length > 0 || mine.preferredAntiAffinity.length > 0;
  if (!hasOwnPreferences && nodesWithAffinityPods.length === 0) return undefined;
  const score: TopologyScore = { byPair: new Map(), keys: new Set() };
  for (const n of hasOwnPreferences ? allNodes : nodesWithAffinityPods) {
    if (!hasLabels(n.node)) continue;
    for (const { pod: existing } of hasOwnPreferences ? n.pods : n.podsWithAffinity) {
      for (const t of mine.preferredAffinity) add(score, t, t.weight, existing, n.node, ns);
      for (const t of mine.preferredAntiAffinity) add(score, t, -t.weight, existing, n.node, ns);
      const theirs = podTerms(existing);
      if (hardPodAffinityWeight > 0) {
        for (const t of theirs.requiredAffinity)
          add(score, t, hardPodAffinityWeight, incoming, n.node, ns);
      }
      for (const t of theirs.preferredAffinity) add(score, t, t.weight, incoming, n.node, ns);
      for (const t of theirs.preferredAntiAffinity) add(score, t, -t.weight, incoming, n.node, ns);
    }
  }
  // Nothing scored (e.g. existing pods with required anti-affinity only): Skip, as upstream.
  return score.byPair.size > 0 ? score : undefined;
}

function hasLabels(node: Node): boolean {
  for (const _ in node.metadata.labels) return true;
  return false;
}

/** A node's raw score: the sum of its pairs' scores. */
export function nodeScore(score: TopologyScore, node: Node): number {
  let total = 0;
  for (const key of score.keys) {
    const value = node.metadata.labels?.[key];
    if (value !== undefined) total += score.byPair.get(pairKey(key, value)) ?? 0;
  }
  return total;
}
