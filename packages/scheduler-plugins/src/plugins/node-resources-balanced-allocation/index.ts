/**
 * NodeResourcesBalancedAllocation: prefers nodes where, with the pod placed,
 * the used fractions of the scored resources (cpu and memory by default) are
 * close to each other: score = (1 − standard deviation) × 100.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import {
  MAX_NODE_SCORE,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { podRequests, type Resource } from "../../framework/resource.js";
import { Code, Status, success } from "../../framework/status.js";
import { DEFAULT_RESOURCES, type ResourceSpec } from "../node-resources-fit/args.js";
import { resourceAmount } from "../node-resources-fit/requests.js";

/** The plugin's name. */
export const NAME = "NodeResourcesBalancedAllocation";
const STATE_KEY = `PreScore${NAME}`;

/** NodeResourcesBalancedAllocationArgs. */
export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

/** The balance score from per-resource used fractions (each capped at 1). */
export function balanceScore(fractions: readonly number[]): number {
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const variance = fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length;
    std = Math.sqrt(variance);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** Builds the plugin. */
export function create(rawArgs: unknown, _handle?: Handle) {
  const resources = (
    (rawArgs as BalancedAllocationArgs | undefined)?.resources ?? DEFAULT_RESOURCES
  ).map((r) => r.name);
  const scratch: number[] = [];
  return {
    name: NAME,
    preScore(state: CycleState, pod: Pod): Status {
      const req = podRequests(pod);
      // A pod that requests nothing cannot change any node's balance.
      if (resources.every((name) => resourceAmount(req, name) === 0)) return new Status(Code.Skip);
      state.write(STATE_KEY, req);
      return success();
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      const req = state.read<Resource>(STATE_KEY) ?? podRequests(pod);
      // A scratch array owned by this plugin instance (Score is synchronous).
      const fractions = scratch;
      fractions.length = 0;
      for (const name of resources) {
        const capacity = resourceAmount(nodeInfo.allocatable, name);
        if (capacity === 0) continue;
        const used = resourceAmount(nodeInfo.requested, name) + resourceAmount(req, name);
        fractions.push(Math.min(used / capacity, 1));
      }
      return balanceScore(fractions);
    },
  } satisfies PreScorePlugin & ScorePlugin;
}
