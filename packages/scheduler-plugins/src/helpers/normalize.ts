/**
 * Upstream's DefaultNormalizeScore: scale scores so the highest becomes
 * `maxPriority`, optionally reversed (highest raw → lowest).
 */
import type { NodeScore } from "../framework/interfaces.js";
import { type Status, success } from "../framework/status.js";

/** Rescales in place to [0, maxPriority] by the maximum; `reverse` flips the scale. */
export function defaultNormalizeScore(
  maxPriority: number,
  reverse: boolean,
  scores: NodeScore[],
): Status {
  let max = 0;
  for (const s of scores) max = Math.max(max, s.score);
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return success();
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / max);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
  return success();
}
