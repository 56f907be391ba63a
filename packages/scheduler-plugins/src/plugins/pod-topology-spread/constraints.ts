/**
 * Topology spread constraints resolved for one pod: hard (DoNotSchedule)
 * or soft (ScheduleAnyway), with matchLabelKeys folded into the selector,
 * the node inclusion policies defaulted (nodeAffinityPolicy Honor,
 * nodeTaintsPolicy Ignore), and the system default constraints.
 */
import type { LabelSelector, Node, Pod, TopologySpreadConstraint } from "../../api/types.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { matchesLabelSelector, podMatchesNodeSelectorAndAffinity } from "../../helpers/labels.js";
import { findUntoleratedTaint } from "../../helpers/taints.js";

/** The hostname label: spreading by it counts per node. */
export const LABEL_HOSTNAME = "kubernetes.io/hostname";
/** The zone label. */
export const LABEL_ZONE = "topology.kubernetes.io/zone";

/** upstream's system default constraints (soft, so they only affect scoring). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly Omit<
  TopologySpreadConstraint,
  "labelSelector"
>[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: "ScheduleAnyway", maxSkew: 5 },
];

/** A constraint ready to evaluate. */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

function resolve(
  c: TopologySpreadConstraint | (typeof SYSTEM_DEFAULT_CONSTRAINTS)[number],
  pod: Pod,
  selector: LabelSelector,
): Constraint {
  const full = c as TopologySpreadConstraint;
  const matchExpressions = [...(selector.matchExpressions ?? [])];
  for (const key of full.matchLabelKeys ?? []) {
    const value = pod.metadata.labels?.[key];
    if (value !== undefined) matchExpressions.push({ key, operator: "In", values: [value] });
  }
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: { ...selector, matchExpressions },
    minDomains: full.minDomains ?? 1,
    honorNodeAffinity: (full.nodeAffinityPolicy ?? "Honor") === "Honor",
    honorNodeTaints: (full.nodeTaintsPolicy ?? "Ignore") === "Honor",
  };
}

/** Cluster-level default constraints: the system ones or a configured list, with the workload selector source. */
export interface SpreadDefaults {
  constraints: readonly Omit<TopologySpreadConstraint, "labelSelector">[];
  system: boolean;
  selectorFor: (pod: Pod) => LabelSelector | undefined;
}

/**
 * The pod's constraints of one kind. Without constraints of its own, a pod
 * gets the default constraints when `defaults.selectorFor` finds the selector
 * of a workload it belongs to (Service, ReplicaSet, ...).
 */
export function podConstraints(
  pod: Pod,
  when: "DoNotSchedule" | "ScheduleAnyway",
  defaults?: SpreadDefaults,
): { constraints: Constraint[]; systemDefaulted: boolean } {
  const own = pod.spec.topologySpreadConstraints ?? [];
  if (own.length > 0) {
    return {
      constraints: own
        .filter((c) => c.whenUnsatisfiable === when)
        .map((c) => resolve(c, pod, c.labelSelector ?? {})),
      systemDefaulted: false,
    };
  }
  const wanted = defaults?.constraints.filter((c) => c.whenUnsatisfiable === when) ?? [];
  const selector = wanted.length > 0 ? defaults?.selectorFor(pod) : undefined;
  if (!selector) return { constraints: [], systemDefaulted: false };
  return {
    constraints: wanted.map((c) => resolve(c, pod, selector)),
    systemDefaulted: defaults?.system ?? false,
  };
}

/** True when the node has every constraint's topology key. */
export function hasAllTopologyKeys(node: Node, constraints: readonly Constraint[]): boolean {
  const labels = node.metadata.labels;
  for (let i = 0; i < constraints.length; i++) {
    if (labels?.[constraints[i]!.topologyKey] === undefined) return false;
  }
  return true;
}

/** True when the node counts for the constraint under its inclusion policies. */
export function nodeIncluded(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.honorNodeAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  if (
    c.honorNodeTaints &&
    findUntoleratedTaint(node.spec?.taints ?? [], pod.spec.tolerations ?? [], [
      "NoSchedule",
      "NoExecute",
    ])
  ) {
    return false;
  }
  return true;
}

/** Pods on the node that the constraint counts: same namespace, selector matches, not terminating. */
export function countMatching(nodeInfo: NodeInfo, c: Constraint, namespace: string): number {
  let n = 0;
  for (let i = 0; i < nodeInfo.pods.length; i++) {
    const pod = nodeInfo.pods[i]!.pod;
    if (pod.metadata.deletionTimestamp) continue;
    if ((pod.metadata.namespace ?? "default") !== namespace) continue;
    if (matchesLabelSelector(c.selector, pod.metadata.labels)) n++;
  }
  return n;
}
