import { isPodReady, podReadyCondition } from "../common/pod-status.js";
import type { Pod } from "../common/types.js";

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.[DELETION_COST];
  const n = raw === undefined ? 0 : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : 0;
}

function time(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/**
 * How many of `pods` share each pod's node: pods doubled up on a node are
 * deleted first (upstream's ranking by related pods on the same node).
 */
export function sameNodeRanks(pods: readonly Pod[]): Map<Pod, number> {
  const perNode = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return new Map(pods.map((p) => [p, p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0]));
}

/**
 * Upstream's ActivePodsWithRanks order: the pods to delete first come
 * first. Unassigned before assigned; Pending before Unknown before
 * Running; not ready before ready; lower pod-deletion-cost first; more
 * pods on the same node first; ready for less time first; more restarts
 * first; newer before older.
 */
export function compareForDeletion(a: Pod, b: Pod, ranks: Map<Pod, number>): number {
  const aNode = a.spec?.nodeName ?? "";
  const bNode = b.spec?.nodeName ?? "";
  if (aNode !== bNode && (aNode === "" || bNode === "")) return aNode === "" ? -1 : 1;
  const aPhase = PHASE_ORDER[a.status?.phase ?? ""] ?? 0;
  const bPhase = PHASE_ORDER[b.status?.phase ?? ""] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a);
  const bReady = isPodReady(b);
  if (aReady !== bReady) return aReady ? 1 : -1;
  const cost = deletionCost(a) - deletionCost(b);
  if (cost !== 0) return cost;
  const rank = (ranks.get(b) ?? 0) - (ranks.get(a) ?? 0);
  if (rank !== 0) return rank;
  if (aReady && bReady) {
    const aSince = time(podReadyCondition(a)?.lastTransitionTime);
    const bSince = time(podReadyCondition(b)?.lastTransitionTime);
    if (aSince !== bSince) {
      if (aSince === undefined) return -1;
      if (bSince === undefined) return 1;
      return bSince - aSince;
    }
  }
  const restarts = maxRestarts(b) - maxRestarts(a);
  if (restarts !== 0) return restarts;
  const aCreated = time(a.metadata.creationTimestamp);
  const bCreated = time(b.metadata.creationTimestamp);
  if (aCreated !== bCreated) {
    if (aCreated === undefined) return -1;
    if (bCreated === undefined) return 1;
    return bCreated - aCreated;
  }
  return 0;
}

/** The `count` pods a scale-down deletes, in upstream's preference order. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const ranks = sameNodeRanks(pods);
  return [...pods].sort((a, b) => compareForDeletion(a, b, ranks)).slice(0, count);
}
