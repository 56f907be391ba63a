/**
 * Picking the node and sizing the search, as upstream does.
 */
import type { NodePluginScores } from "../framework/framework.js";
import type { RandomSource } from "../framework/handle.js";

/** Below this many nodes every node is evaluated. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes to find before scoring: all of a small cluster,
 * else a percentage (adaptive 50% − nodes/125, at least 5%), at least 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let p = percentage;
  if (p <= 0)
    p = Math.max(50 - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  const n = Math.trunc((numAllNodes * p) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

/**
 * The node with the highest total score; among equal scores each is equally
 * likely (reservoir sampling with the injected random source).
 */
export function selectHost(scores: readonly NodePluginScores[], random: RandomSource): string {
  if (scores.length === 0) throw new Error("empty priorityList");
  let selected = scores[0]!;
  let ties = 1;
  for (const candidate of scores.slice(1)) {
    if (candidate.totalScore > selected.totalScore) {
      selected = candidate;
      ties = 1;
    } else if (candidate.totalScore === selected.totalScore) {
      ties++;
      if (Math.floor(random() * ties) === 0) selected = candidate;
    }
  }
  return selected.name;
}
