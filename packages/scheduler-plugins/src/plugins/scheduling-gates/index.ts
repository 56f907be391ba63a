/**
 * SchedulingGates: a pod with `spec.schedulingGates` stays out of the active
 * queue until every gate is removed.
 */
import type { Pod } from "../../api/types.js";
import type { Handle } from "../../framework/handle.js";
import type { PreEnqueuePlugin } from "../../framework/interfaces.js";
import { Code, Status, success } from "../../framework/status.js";

/** The plugin's name. */
export const NAME = "SchedulingGates";

/** Builds the plugin (takes no args). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    preEnqueue(pod: Pod): Status {
      const gates = pod.spec.schedulingGates ?? [];
      if (gates.length === 0) return success();
      return new Status(Code.UnschedulableAndUnresolvable, [
        `waiting for scheduling gates: [${gates.map((g) => g.name).join(" ")}]`,
      ]);
    },
  } satisfies PreEnqueuePlugin;
}
