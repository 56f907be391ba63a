/**
 * Cluster events that may make an unschedulable pod schedulable, and the
 * in-tree plugins' queueing hints: for a pod rejected by plugin P, does this
 * event deserve another attempt? (upstream's QueueingHintFn, as predicates).
 */
import type { Node, Pod } from "../api/types.js";
import { podHostPorts } from "../framework/host-ports.js";
import { podMatchesNodeSelectorAndAffinity } from "../helpers/labels.js";
import { findUntoleratedTaint } from "../helpers/taints.js";

/** A change in the cluster the queue reacts to. */
export type ClusterEvent =
  | { type: "NodeAdd"; node: Node }
  | { type: "NodeUpdate"; oldNode: Node; node: Node }
  | { type: "NodeDelete"; node: Node }
  | { type: "AssignedPodAdd"; pod: Pod }
  | { type: "AssignedPodUpdate"; oldPod: Pod; pod: Pod }
  | { type: "AssignedPodDelete"; pod: Pod }
  | { type: "Other"; label: string };

/** Decides whether an event may help a pod one plugin rejected. */
export type QueueingHint = (pod: Pod, event: ClusterEvent) => boolean;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const anyNodeOrPodChange: QueueingHint = (_pod, e) => e.type !== "Other";

/** The in-tree plugins' hints; a plugin without one is requeued on every event. */
export const IN_TREE_QUEUEING_HINTS: ReadonlyMap<string, QueueingHint> = new Map<
  string,
  QueueingHint
>([
  [
    "NodeResourcesFit",
    (_pod, e) =>
      e.type === "NodeAdd" ||
      e.type === "AssignedPodDelete" ||
      (e.type === "NodeUpdate" && !same(e.oldNode.status?.allocatable, e.node.status?.allocatable)),
  ],
  [
    "NodeAffinity",
    (pod, e) =>
      (e.type === "NodeAdd" && podMatchesNodeSelectorAndAffinity(pod, e.node)) ||
      (e.type === "NodeUpdate" &&
        !podMatchesNodeSelectorAndAffinity(pod, e.oldNode) &&
        podMatchesNodeSelectorAndAffinity(pod, e.node)),
  ],
  [
    "TaintToleration",
    (pod, e) => {
      if (e.type !== "NodeAdd" && e.type !== "NodeUpdate") return false;
      const tolerated = (n: Node) =>
        !findUntoleratedTaint(n.spec?.taints ?? [], pod.spec.tolerations ?? [], [
          "NoSchedule",
          "NoExecute",
        ]);
      return e.type === "NodeAdd" ? tolerated(e.node) : !tolerated(e.oldNode) && tolerated(e.node);
    },
  ],
  [
    "NodeUnschedulable",
    (_pod, e) =>
      (e.type === "NodeAdd" && !e.node.spec?.unschedulable) ||
      (e.type === "NodeUpdate" &&
        Boolean(e.oldNode.spec?.unschedulable) &&
        !e.node.spec?.unschedulable),
  ],
  [
    "NodeName",
    (pod, e) =>
      e.type === "NodeAdd" && (!pod.spec.nodeName || pod.spec.nodeName === e.node.metadata.name),
  ],
  [
    "NodePorts",
    (_pod, e) =>
      e.type === "NodeAdd" || (e.type === "AssignedPodDelete" && podHostPorts(e.pod).length > 0),
  ],
  ["InterPodAffinity", anyNodeOrPodChange],
  ["PodTopologySpread", anyNodeOrPodChange],
]);
