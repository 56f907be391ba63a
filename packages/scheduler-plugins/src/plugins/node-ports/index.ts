/**
 * NodePorts: a pod's host ports must be free on the node.
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import { type HostPort, podHostPorts } from "../../framework/host-ports.js";
import type { FilterPlugin, PreFilterPlugin } from "../../framework/interfaces.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { Code, Status, success } from "../../framework/status.js";

/** The plugin's name. */
export const NAME = "NodePorts";
/** The Filter rejection reason. */
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const STATE_KEY = `PreFilter${NAME}`;

/** Builds the plugin (takes no args). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    preFilter(state: CycleState, pod: Pod) {
      const ports = podHostPorts(pod);
      // No host ports: nothing to check on any node.
      if (ports.length === 0) return { status: new Status(Code.Skip) };
      state.write(STATE_KEY, ports);
      return { status: success() };
    },
    filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
      const ports = state.read<HostPort[]>(STATE_KEY) ?? podHostPorts(pod);
      if (ports.some((p) => nodeInfo.usedPorts.conflicts(p))) {
        return new Status(Code.Unschedulable, [ERR_REASON]);
      }
      return success();
    },
  } satisfies PreFilterPlugin & FilterPlugin;
}
