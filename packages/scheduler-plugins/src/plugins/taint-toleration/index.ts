/**
 * TaintToleration: Filter rejects nodes with a NoSchedule or NoExecute taint
 * the pod does not tolerate; Score prefers nodes with fewer untolerated
 * PreferNoSchedule taints.
 */
import type { Pod, Toleration } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import {
  type FilterPlugin,
  MAX_NODE_SCORE,
  type NodeScore,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";
import { defaultNormalizeScore } from "../../helpers/normalize.js";
import { findUntoleratedTaint, toleratesTaint } from "../../helpers/taints.js";

/** The plugin's name. */
export const NAME = "TaintToleration";
const STATE_KEY = `PreScore${NAME}`;

/** Builds the plugin (takes no args). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const taint = findUntoleratedTaint(
        nodeInfo.node.spec?.taints ?? [],
        pod.spec.tolerations ?? [],
        ["NoSchedule", "NoExecute"],
      );
      if (!taint) return success();
      return new Status(Code.UnschedulableAndUnresolvable, [
        `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`,
      ]);
    },
    preScore(state: CycleState, pod: Pod): Status {
      // Only tolerations that can tolerate PreferNoSchedule matter for scoring.
      const tolerations = (pod.spec.tolerations ?? []).filter(
        (t) => !t.effect || t.effect === "PreferNoSchedule",
      );
      state.write(STATE_KEY, tolerations);
      return success();
    },
    score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
      const tolerations =
        state.read<Toleration[]>(STATE_KEY) ??
        (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
      let untolerated = 0;
      for (const taint of nodeInfo.node.spec?.taints ?? []) {
        if (taint.effect !== "PreferNoSchedule") continue;
        if (!tolerations.some((t) => toleratesTaint(t, taint))) untolerated++;
      }
      return untolerated;
    },
    normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
      return defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    },
  } satisfies FilterPlugin & PreScorePlugin & ScorePlugin;
}
