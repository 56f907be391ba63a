/**
 * InterPodAffinity: Filter enforces required pod affinity, pod
 * anti-affinity and existing pods' anti-affinity towards the incoming pod;
 * Score favours topology domains by preferred terms on both sides.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import {
  type FilterPlugin,
  MAX_NODE_SCORE,
  type NodeScore,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";
import { ArgsError } from "../node-resources-fit/args.js";
import {
  type AffinityFilterState,
  computeFilterState,
  satisfiesExistingPodsAntiAffinity,
  satisfiesPodAffinity,
  satisfiesPodAntiAffinity,
  updateWithPod,
} from "./filtering.js";
import { computeTopologyScore, nodeScore, type TopologyScore } from "./scoring.js";

/** The plugin's name. */
export const NAME = "InterPodAffinity";
/** Filter reason: required pod affinity not satisfied (unresolvable). */
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
/** Filter reason: the pod's required anti-affinity matches pods in the node's domain. */
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
/** Filter reason: pods in the node's domain repel the incoming pod. */
export const ERR_REASON_EXISTING_ANTI_AFFINITY =
  "node(s) didn't satisfy existing pods anti-affinity rules";
const FILTER_KEY = `PreFilter${NAME}`;
const SCORE_KEY = `PreScore${NAME}`;

/** InterPodAffinityArgs. */
export interface InterPodAffinityArgs {
  /** Weight of existing pods' required affinity terms in scoring, 0–100 (default 1). */
  hardPodAffinityWeight?: number;
}

/** Validates the args; throws ArgsError. */
export function validateArgs(raw: unknown): Required<InterPodAffinityArgs> {
  const w = (raw as InterPodAffinityArgs | undefined)?.hardPodAffinityWeight ?? 1;
  if (!Number.isInteger(w) || w < 0 || w > 100) {
    throw new ArgsError(
      "hardPodAffinityWeight",
      `Invalid value: ${w}: not in valid range [0, 100]`,
    );
  }
  return { hardPodAffinityWeight: w };
}

/** Builds the plugin. */
export function create(rawArgs: unknown, handle: Handle) {
  const { hardPodAffinityWeight } = validateArgs(rawArgs);
  const extensions: PreFilterExtensions = {
    addPod(state, incoming, added, nodeInfo) {
      const s = state.read<AffinityFilterState>(FILTER_KEY);
      if (s) updateWithPod(s, incoming, added, nodeInfo.node, 1, handle.namespaces);
      return success();
    },
    removePod(state, incoming, removed, nodeInfo) {
      const s = state.read<AffinityFilterState>(FILTER_KEY);
      if (s) updateWithPod(s, incoming, removed, nodeInfo.node, -1, handle.namespaces);
      return success();
    },
  };
  return {
    name: NAME,
    preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]) {
      const snapshot = handle.snapshot();
      const s = computeFilterState(
        pod,
        nodes,
        handle.namespaces,
        snapshot.list() === nodes ? snapshot.havePodsWithRequiredAntiAffinity() : undefined,
      );
      const t = s.terms;
      if (
        !t.requiredAffinity.length &&
        !t.requiredAntiAffinity.length &&
        s.existingAntiAffinityCounts.size === 0
      ) {
        return { status: new Status(Code.Skip) };
      }
      state.write(FILTER_KEY, s);
      return { status: success() };
    },
    preFilterExtensions: () => extensions,
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const s =
        state.read<AffinityFilterState>(FILTER_KEY) ??
        computeFilterState(pod, handle.snapshot().list(), handle.namespaces);
      if (!satisfiesPodAffinity(s, pod, nodeInfo.node, handle.namespaces)) {
        return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_AFFINITY]);
      }
      if (!satisfiesPodAntiAffinity(s, nodeInfo.node))
        return new Status(Code.Unschedulable, [ERR_REASON_ANTI_AFFINITY]);
      if (!satisfiesExistingPodsAntiAffinity(s, nodeInfo.node)) {
        return new Status(Code.Unschedulable, [ERR_REASON_EXISTING_ANTI_AFFINITY]);
      }
      return success();
    },
    preScore(state: CycleState, pod: Pod): Status {
      const snapshot = handle.snapshot();
      const score = computeTopologyScore(
        pod,
        snapshot.list(),
        snapshot.havePodsWithAffinity(),
        hardPodAffinityWeight,
        handle.namespaces,
      );
      if (!score) return new Status(Code.Skip);
      state.write(SCORE_KEY, score);
      return success();
    },
    score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
      const score = state.read<TopologyScore>(SCORE_KEY);
      return score ? nodeScore(score, nodeInfo.node) : 0;
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
      // Min-max scaling: raw scores may be negative (anti-affinity).
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const s of scores) {
        min = Math.min(min, s.score);
        max = Math.max(max, s.score);
      }
      for (const s of scores)
        s.score = max > min ? Math.trunc((MAX_NODE_SCORE * (s.score - min)) / (max - min)) : 0;
      return success();
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
