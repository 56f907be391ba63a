/**
 * NodeName: a pod with `spec.nodeName` set fits only that node.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import type { FilterPlugin } from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";

/** The plugin's name. */
export const NAME = "NodeName";
/** The Filter rejection reason. */
export const ERR_REASON = "node(s) didn't match the requested node name";

/** Builds the plugin (takes no args). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const wanted = pod.spec.nodeName;
      if (!wanted || wanted === nodeInfo.name) return success();
      return new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON]);
    },
  } satisfies FilterPlugin;
}
