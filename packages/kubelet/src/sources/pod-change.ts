import type { Pod } from "../api/types.js";

/**
 * Whether an update of a pod from the API asks the kubelet to act now: its
 * spec or metadata changed (a new pod, a deletion, a new image, labels or
 * annotations its env reads). An update that touched only `status`, as the
 * kubelet's own status patches do, does not: acting on each of those would
 * relist the runtime once per patch. (Upstream's pod config likewise
 * passes status-only updates on without syncing the pod.) Changes the
 * engine reads from status, such as readiness gate conditions others set,
 * reach it at the next periodic sync.
 */
export function podUpdateNeedsSync(previous: Pod, next: Pod): boolean {
  return syncRelevant(previous) !== syncRelevant(next);
}

/** The pod's metadata and spec, less what changes on every write (resourceVersion, managedFields). */
function syncRelevant(pod: Pod): string {
  const {
    resourceVersion: _version,
    managedFields: _fields,
    ...metadata
  } = pod.metadata as Pod["metadata"] & { managedFields?: unknown };
  return JSON.stringify([metadata, pod.spec]);
}
