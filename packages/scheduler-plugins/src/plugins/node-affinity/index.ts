/**
 * NodeAffinity: Filter enforces `nodeSelector` and required node affinity;
 * Score sums the weights of the preferred terms a node matches.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import {
  type FilterPlugin,
  MAX_NODE_SCORE,
  type NodeScore,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";
import {
  matchesNodeSelectorTerm,
  podMatchesNodeSelectorAndAffinity,
} from "../../helpers/labels.js";
import { defaultNormalizeScore } from "../../helpers/normalize.js";

/** The plugin's name. */
export const NAME = "NodeAffinity";
/** The Filter rejection reason. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

/** Builds the plugin (takes no args in this version; addedAffinity is not supported). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    preFilter(_state: CycleState, pod: Pod) {
      const required =
        pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!pod.spec.nodeSelector && !required) return { status: new Status(Code.Skip) };
      // Terms that pin metadata.name with In narrow the node set, as upstream does.
      let names: Set<string> | undefined;
      for (const term of required?.nodeSelectorTerms ?? []) {
        const pinned = (term.matchFields ?? []).find(
          (f) => f.key === "metadata.name" && f.operator === "In",
        );
        if (!pinned) return { status: success() };
        names ??= new Set();
        for (const v of pinned.values ?? []) names.add(v);
      }
      return names ? { status: success(), result: { nodeNames: names } } : { status: success() };
    },
    filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      if (podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node)) return success();
      return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_POD]);
    },
    preScore(_state: CycleState, pod: Pod): Status {
      const preferred =
        pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      return preferred?.length ? success() : new Status(Code.Skip);
    },
    score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      let total = 0;
      for (const term of pod.spec.affinity?.nodeAffinity
        ?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (term.weight !== 0 && matchesNodeSelectorTerm(term.preference, nodeInfo.node))
          total += term.weight;
      }
      return total;
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
      return defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
