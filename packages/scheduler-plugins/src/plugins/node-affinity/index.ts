/**
 * NodeAffinity: Filter enforces `nodeSelector` and required node affinity;
 * Score sums the weights of the preferred terms a node matches.
 */
import type { NodeAffinity as NodeAffinityType, Pod } from "../../api/types.js";
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
  matchesNodeSelector,
  matchesNodeSelectorTerm,
  podMatchesNodeSelectorAndAffinity,
} from "../../helpers/labels.js";
import { defaultNormalizeScore } from "../../helpers/normalize.js";

/** The plugin's name. */
export const NAME = "NodeAffinity";
/** The Filter rejection reason. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

/** The Filter reason when the profile's addedAffinity rejects the node. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";

/** NodeAffinityArgs: node affinity the profile adds to every pod it schedules. */
export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinityType;
}

/** Builds the plugin. */
export function create(rawArgs?: unknown, _handle?: Handle) {
  const added = (rawArgs as NodeAffinityArgs | undefined)?.addedAffinity;
  const addedRequired = added?.requiredDuringSchedulingIgnoredDuringExecution;
  const addedPreferred = added?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return {
    name: NAME,
    preFilter(_state: CycleState, pod: Pod) {
      const required =
        pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!pod.spec.nodeSelector && !required && !addedRequired) {
        return { status: new Status(Code.Skip) };
      }
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
      if (addedRequired && !matchesNodeSelector(addedRequired, nodeInfo.node)) {
        return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_ENFORCED]);
      }
      if (podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node)) return success();
      return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_POD]);
    },
    preScore(_state: CycleState, pod: Pod): Status {
      const preferred =
        pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      return preferred?.length || addedPreferred.length ? success() : new Status(Code.Skip);
    },
    score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      let total = 0;
      const own =
        pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      for (const term of [...addedPreferred, ...own]) {
        if (term.weight !== 0 && matchesNodeSelectorTerm(term.preference, nodeInfo.node)) {
          total += term.weight;
        }
      }
      return total;
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
      return defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;
}
