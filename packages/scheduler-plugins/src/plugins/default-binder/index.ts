/**
 * DefaultBinder: writes the binding through the Handle's {@link Binder}
 * (with `@kubekit/client`, a POST to pods/NAME/binding).
 */
import type { Pod } from "../../api/types.js";
import type { CycleState } from "../../framework/cycle-state.js";
import type { Handle } from "../../framework/handle.js";
import type { BindPlugin } from "../../framework/interfaces.js";
import { asStatus, type Status, success } from "../../framework/status.js";

/** The plugin's name. */
export const NAME = "DefaultBinder";

/** Builds the plugin (takes no args). */
export function create(_args: unknown, handle: Handle) {
  return {
    name: NAME,
    async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
      try {
        await handle.binder.bind(pod, nodeName);
        return success();
      } catch (e) {
        return asStatus(e);
      }
    },
  } satisfies BindPlugin;
}
