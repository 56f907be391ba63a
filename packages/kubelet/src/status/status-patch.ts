import type { PodCondition, PodStatus } from "../api/types.js";

/** The pod conditions the kubelet owns; others (DisruptionTarget, gates' own) it leaves as they are. */
export const KUBELET_POD_CONDITIONS: ReadonlySet<string> = new Set([
  "PodScheduled",
  "PodReadyToStartContainers",
  "Initialized",
  "ContainersReady",
  "Ready",
]);

/** The status fields the kubelet writes (everything else in status is someone else's). */
const OWNED_FIELDS = [
  "phase",
  "conditions",
  "message",
  "reason",
  "hostIP",
  "hostIPs",
  "podIP",
  "podIPs",
  "startTime",
  "initContainerStatuses",
  "containerStatuses",
  "qosClass",
] as const;

function terminal(phase: string | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

/**
 * The status to write, given what the API holds: the kubelet's conditions
 * plus any others the API has, and a phase that never leaves Succeeded or
 * Failed once the API recorded it (upstream's status manager refuses that
 * transition too).
 */
export function reconcilePodStatus(
  current: Partial<PodStatus> | undefined,
  next: PodStatus,
): PodStatus {
  const foreign = (current?.conditions ?? []).filter(
    (c: PodCondition) => !KUBELET_POD_CONDITIONS.has(c.type),
  );
  const merged: PodStatus = { ...next, conditions: [...next.conditions, ...foreign] };
  if (terminal(current?.phase) && current?.phase !== next.phase) {
    merged.phase = current?.phase as PodStatus["phase"];
  }
  return merged;
}

function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * The merge patch that turns the API's pod status into `next` for the
 * fields the kubelet owns (fields `next` lacks are removed with `null`),
 * carrying the pod's uid so a patch never lands on a new pod of the same
 * name; undefined when nothing differs.
 */
export function podStatusPatch(
  uid: string,
  current: Partial<PodStatus> | undefined,
  next: PodStatus,
): Record<string, unknown> | undefined {
  const status: Record<string, unknown> = {};
  let changed = false;
  for (const field of OWNED_FIELDS) {
    const before = current?.[field];
    const after = next[field];
    if (canonical(before) === canonical(after)) continue;
    changed = true;
    status[field] = after ?? null;
  }
  return changed ? { metadata: { uid }, status } : undefined;
}
