/**
 * PrioritySort: orders the active queue by pod priority (higher first), then
 * by the time the pod entered the queue (earlier first).
 */
import type { Handle } from "../../framework/handle.js";
import type { QueuedPodInfo, QueueSortPlugin } from "../../framework/interfaces.js";

/** The plugin's name in KubeSchedulerConfiguration. */
export const NAME = "PrioritySort";

/** Builds the plugin (takes no args). */
export function create(_args?: unknown, _handle?: Handle) {
  return {
    name: NAME,
    less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
      const pa = a.pod.spec.priority ?? 0;
      const pb = b.pod.spec.priority ?? 0;
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    },
  } satisfies QueueSortPlugin;
}
