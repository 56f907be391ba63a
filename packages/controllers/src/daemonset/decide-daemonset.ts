import { CONTROLLER_REVISION_HASH_LABEL } from "../common/controller-revisions.js";
import { nodeMatchesPodSelectors, untoleratedTaints } from "../common/node-eligibility.js";
import { isPodAvailable, isPodReady } from "../common/pod-status.js";
import type { Node, Pod } from "../common/types.js";
import { type DaemonSet, type DaemonSetStatus, daemonPodSpec, targetNodeOf } from "./daemon-pod.js";

/** Whether a node should run the daemon, and whether a pod already there may stay. */
export interface NodeFit {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/**
 * Upstream's NodeShouldRunDaemonPod: the node must match the template's
 * nodeSelector and required node affinity; a new pod also needs every
 * NoSchedule and NoExecute taint tolerated, a running one only the
 * NoExecute taints (with the DaemonSet tolerations added either way).
 */
export function nodeFit(ds: DaemonSet, node: Node): NodeFit {
  const spec = daemonPodSpec(ds);
  if (!nodeMatchesPodSelectors(node, spec))
    return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = spec.tolerations ?? [];
  return {
    shouldRun: untoleratedTaints(taints, tolerations, ["NoSchedule", "NoExecute"]).length === 0,
    shouldContinueRunning: untoleratedTaints(taints, tolerations, ["NoExecute"]).length === 0,
  };
}

/** What the DaemonSet controller does this round. */
export interface DaemonSetDecision {
  /** Nodes to create a daemon pod for. */
  create: string[];
  delete: Pod[];
  events: { type: "Normal" | "Warning"; reason: string; message: string }[];
  status: DaemonSetStatus;
}

/** An int-or-percent of `total` (percentages rounded up, as upstream for maxUnavailable). */
export function scaledValue(
  value: number | string | undefined,
  total: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number(value);
  return Number.isInteger(n) ? n : fallback;
}

const byAge = (a: Pod, b: Pod): number =>
  (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? "") ||
  (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");

/**
 * Decides a DaemonSet's round as upstream's manage + rollingUpdate +
 * updateDaemonSetStatus do: one pod on every node that should run it,
 * failed pods replaced, duplicates and pods on nodes that no longer fit
 * deleted; then, when nothing else is in flight and the strategy is
 * RollingUpdate, old-template pods deleted (unavailable ones first and
 * freely, available ones while fewer than maxUnavailable nodes are
 * down) so the next round recreates them from the new template.
 */
export function decideDaemonSet(
  ds: DaemonSet,
  nodes: readonly Node[],
  pods: readonly Pod[],
  hash: string,
  now: number,
): DaemonSetDecision {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const node = targetNodeOf(pod);
    if (!node) continue;
    const list = byNode.get(node) ?? [];
    list.push(pod);
    byNode.set(node, list);
  }
  const decision: DaemonSetDecision = {
    create: [],
    delete: [],
    events: [],
    status: emptyStatus(ds),
  };
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const desiredNodes: { node: string; pod: Pod | undefined }[] = [];
  const status = decision.status;

  for (const node of [...nodes].sort((a, b) =>
    (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  )) {
    const name = node.metadata?.name ?? "";
    const fit = nodeFit(ds, node);
    const daemonPods = [...(byNode.get(name) ?? [])].sort(byAge);
    if (fit.shouldRun) {
      status.desiredNumberScheduled++;
      if (daemonPods.length > 0) status.currentNumberScheduled++;
    } else if (daemonPods.length > 0) {
      status.numberMisscheduled++;
    }
    if (fit.shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of daemonPods) {
        if (pod.metadata?.deletionTimestamp) continue;
        if (pod.status?.phase === "Failed") {
          decision.delete.push(pod);
          decision.events.push({
            type: "Warning",
            reason: "FailedDaemonPod",
            message: `Found failed daemon pod ${pod.metadata?.namespace}/${pod.metadata?.name} on node ${name}, will try to kill it`,
          });
          continue;
        }
        if (pod.status?.phase === "Succeeded") {
          decision.delete.push(pod);
          continue;
        }
        running.push(pod);
      }
      if (running.length === 0 && fit.shouldRun) decision.create.push(name);
      // Keep the oldest pod, preferring one of the current template.
      const keep =
        running.find((p) => p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) ??
        running[0];
      for (const pod of running) if (pod !== keep) decision.delete.push(pod);
      if (fit.shouldRun) desiredNodes.push({ node: name, pod: keep });
    } else {
      for (const pod of daemonPods) if (!pod.metadata?.deletionTimestamp) decision.delete.push(pod);
    }
  }

  for (const { pod } of desiredNodes) {
    if (!pod) continue;
    if (isPodReady(pod)) status.numberReady++;
    if (isPodAvailable(pod, minReadySeconds, now)) status.numberAvailable++;
    if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash)
      status.updatedNumberScheduled++;
  }
  status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable;

  const strategy = ds.spec?.updateStrategy?.type ?? "RollingUpdate";
  if (
    strategy === "RollingUpdate" &&
    decision.create.length === 0 &&
    decision.delete.length === 0
  ) {
    const maxUnavailable = Math.max(
      1,
      scaledValue(
        ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable,
        status.desiredNumberScheduled,
        1,
      ),
    );
    let unavailable = desiredNodes.filter(
      (d) => !d.pod || !isPodAvailable(d.pod, minReadySeconds, now),
    ).length;
    const old = desiredNodes.filter(
      (d): d is { node: string; pod: Pod } =>
        d.pod !== undefined && d.pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== hash,
    );
    // Old pods that are down anyway go first, without using the budget.
    for (const d of old) {
      if (!isPodAvailable(d.pod, minReadySeconds, now)) decision.delete.push(d.pod);
    }
    for (const d of old) {
      if (unavailable >= maxUnavailable) break;
      if (isPodAvailable(d.pod, minReadySeconds, now)) {
        decision.delete.push(d.pod);
        unavailable++;
      }
    }
  }
  return decision;
}

function emptyStatus(ds: DaemonSet): DaemonSetStatus {
  const status: DaemonSetStatus = {
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    desiredNumberScheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  if (ds.metadata?.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  return status;
}
