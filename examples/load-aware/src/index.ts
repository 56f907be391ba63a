/**
 * LoadAware: an example out-of-tree Score plugin. It prefers nodes whose
 * measured CPU utilisation is lower, and gives nothing to nodes at or above
 * a threshold. Utilisation is read from a node annotation
 * (`kubekit.dev/cpu-utilization: "0.42"`), a stand-in for a metrics source
 * such as metrics-server or Prometheus that an agent would copy onto nodes;
 * the plugin only needs the number.
 */
import {
  type CycleState,
  defaultNormalizeScore,
  type Handle,
  MAX_NODE_SCORE,
  type NodeInfo,
  type NodeScore,
  type Pod,
  type ScorePlugin,
} from "@kubekit/scheduler-plugins";
import { type LoadAwareArgs, parseLoadAwareArgs } from "./args.js";

export type { LoadAwareArgs } from "./args.js";
export { DEFAULT_ANNOTATION, parseLoadAwareArgs } from "./args.js";

/** The plugin's name in a KubeSchedulerConfiguration. */
export const NAME = "LoadAware";

/** Utilisation in [0, 1] from the node's annotation, or undefined when absent or not a number. */
export function utilizationOf(nodeInfo: NodeInfo, annotation: string): number | undefined {
  const raw = nodeInfo.node.metadata.annotations?.[annotation];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return undefined;
  return Math.min(Math.max(value, 0), 1);
}

/**
 * The raw score: the idle share of the node, 0 at or above the threshold.
 * NormalizeScore then stretches the best node to MAX_NODE_SCORE.
 */
export function loadScore(utilization: number, threshold: number): number {
  if (utilization >= threshold) return 0;
  return Math.round((1 - utilization) * MAX_NODE_SCORE);
}

/** The factory the scheduler calls with the profile's args for this plugin. */
export function create(rawArgs: unknown, _handle: Handle) {
  const args: LoadAwareArgs = parseLoadAwareArgs(rawArgs);
  return {
    name: NAME,
    score(_state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
      const u = utilizationOf(nodeInfo, args.annotation) ?? args.missingUtilization;
      return loadScore(u, args.threshold);
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]) {
      return defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    },
  } satisfies ScorePlugin;
}
