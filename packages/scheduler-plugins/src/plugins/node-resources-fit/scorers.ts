/**
 * The three resource scoring strategies. Each takes, per scored resource,
 * what would be requested with the pod placed and what the node can give,
 * and returns 0–100. Integer arithmetic mirrors upstream's int64 math.
 */
import { MAX_NODE_SCORE } from "../../framework/interfaces.js";
import type { UtilizationShapePoint } from "./args.js";

/** Scores a node from per-resource requested amounts, allocatable amounts and weights. */
export type ResourceScorer = (
  requested: number[],
  allocatable: number[],
  weights: number[],
) => number;

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function mostRequested(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  // Pods without requests count as defaults, so requested may exceed capacity.
  const used = Math.min(requested, capacity);
  return Math.trunc((used * MAX_NODE_SCORE) / capacity);
}

function weightedMean(
  perResource: (requested: number, capacity: number) => number,
): ResourceScorer {
  return (requested, allocatable, weights) => {
    let score = 0;
    let weightSum = 0;
    for (let i = 0; i < allocatable.length; i++) {
      const capacity = allocatable[i]!;
      if (capacity === 0) continue;
      score += perResource(requested[i]!, capacity) * weights[i]!;
      weightSum += weights[i]!;
    }
    return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
  };
}

/** Favors nodes with more free capacity (spreads pods). */
export const leastAllocated: ResourceScorer = weightedMean(leastRequested);

/** Favors nodes with less free capacity (packs pods). */
export const mostAllocated: ResourceScorer = weightedMean(mostRequested);

/** Utilization percentage → score via the piecewise-linear shape (scores scaled ×10 to 0–100). */
export function brokenLinear(
  shape: readonly UtilizationShapePoint[],
): (utilization: number) => number {
  const points = shape.map((p) => ({
    utilization: p.utilization,
    score: p.score * (MAX_NODE_SCORE / 10),
  }));
  return (u) => {
    for (const [i, p] of points.entries()) {
      if (u <= p.utilization) {
        if (i === 0) return p.score;
        const prev = points[i - 1]!;
        return (
          prev.score +
          Math.trunc(
            ((p.score - prev.score) * (u - prev.utilization)) / (p.utilization - prev.utilization),
          )
        );
      }
    }
    return points[points.length - 1]!.score;
  };
}

/** Scores by a user-given utilization → score curve. */
export function requestedToCapacityRatio(shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const f = brokenLinear(shape);
  return (requested, allocatable, weights) => {
    let score = 0;
    let weightSum = 0;
    for (const [i, capacity] of allocatable.entries()) {
      if (capacity === 0) continue;
      const r = requested[i]!;
      const s = r > capacity ? f(100) : f(Math.trunc((r * 100) / capacity));
      // Resources scoring 0 do not pull the mean down, as upstream.
      if (s > 0) {
        score += s * weights[i]!;
        weightSum += weights[i]!;
      }
    }
    return weightSum === 0 ? 0 : Math.round(score / weightSum);
  };
}
