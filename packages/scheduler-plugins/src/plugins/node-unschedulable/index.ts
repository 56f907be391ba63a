/**
 * NodeUnschedulable: cordoned nodes (`spec.unschedulable`) take no pods,
 * except pods tolerating the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import type { FilterPlugin } from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";
import { toleratesTaint } from "../../helpers/taints.js";

/** The plugin's name. */
export const NAME = "NodeUnschedulable";
/** The Filter rejection reason. */
export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
/** The taint the node lifecycle controller puts on cordoned nodes. */
export const UNSCHEDULABLE_TAINT_KEY = "node.kubernetes.io/unschedulable";

/** Builds the plugin (takes no args). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      if (!nodeInfo.node.spec?.unschedulable) return success();
      const taint = { key: UNSCHEDULABLE_TAINT_KEY, effect: "NoSchedule" as const };
      if ((pod.spec.tolerations ?? []).some((t) => toleratesTaint(t, taint))) return success();
      return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_UNSCHEDULABLE]);
    },
  } satisfies FilterPlugin;
}
