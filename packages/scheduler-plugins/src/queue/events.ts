/**
 * Cluster events that may make an unschedulable pod schedulable, and the
 * in-tree plugins' queueing hints: for a pod rejected by plugin P, does this
 * event deserve another attempt? (upstream's QueueingHintFn, as predicates).
 */
import type { Node, Pod } from "../api/types.js";
import { podHostPorts } from "../framework/host-ports.js";
import { NodeInfo } from "../framework/node-info.js";
import { podRequests } from "../framework/resource.js";
import { podMatchesNodeSelectorAndAffinity } from "../helpers/labels.js";
import { findUntoleratedTaint } from "../helpers/taints.js";
import { fitsRequest } from "../plugins/node-resources-fit/index.js";
import { resourceAmount } from "../plugins/node-resources-fit/requests.js";

/** A change in the cluster the queue reacts to. */
export type ClusterEvent =
  | { type: "NodeAdd"; node: Node }
  | { type: "NodeUpdate"; oldNode: Node; node: Node }
  | { type: "NodeDelete"; node: Node }
  | { type: "AssignedPodAdd"; pod: Pod }
  | { type: "AssignedPodUpdate"; oldPod: Pod; pod: Pod }
  | { type: "AssignedPodDelete"; pod: Pod }
  /** A new pending pod (upstream's UnscheduledPodAdd): helps plugins that wait for siblings, e.g. gang scheduling. */
  | { type: "UnscheduledPodAdd"; pod: Pod }
  | { type: "Other"; label: string };

/** Decides whether an event may help a pod one plugin rejected. */
export type QueueingHint = (pod: Pod, event: ClusterEvent) => boolean;

const anyNodeOrPodChange: QueueingHint = (_pod, e) =>
  e.type !== "Other" && e.type !== "UnscheduledPodAdd";

/** True when the pod would fit the node if it ran nothing else. */
function fitsEmpty(pod: Pod, node: Node): boolean {
  return fitsRequest(podRequests(pod), new NodeInfo(node)).length === 0;
}

/** True when the node's allocatable grew in a resource the pod requests, or in pod slots. */
function requestedAllocatableGrew(pod: Pod, before: Node, after: Node): boolean {
  const was = new NodeInfo(before).allocatable;
  const now = new NodeInfo(after).allocatable;
  if (now.allowedPodNumber > was.allowedPodNumber) return true;
  const req = podRequests(pod);
  const names = ["cpu", "memory", "ephemeral-storage", ...req.scalar.keys()];
  return names.some(
    (n) => resourceAmount(req, n) > 0 && resourceAmount(now, n) > resourceAmount(was, n),
  );
}

/** The in-tree plugins' hints; a plugin without one is requeued on every event. */
export const IN_TREE_QUEUEING_HINTS: ReadonlyMap<string, QueueingHint> = new Map<
  string,
  QueueingHint
>([
  [
    "NodeResourcesFit",
    // A deleted bound pod frees room; a node helps only if the pod fits it empty, and an
    // updated node only if it also grew in something the pod asks for.
    (pod, e) =>
      e.type === "AssignedPodDelete" ||
      (e.type === "NodeAdd" && fitsEmpty(pod, e.node)) ||
      (e.type === "NodeUpdate" &&
        fitsEmpty(pod, e.node) &&
        requestedAllocatableGrew(pod, e.oldNode, e.node)),
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
