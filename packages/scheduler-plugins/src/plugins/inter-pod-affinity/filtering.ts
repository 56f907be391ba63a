/**
 * InterPodAffinity's PreFilter state: counts of matching pods per topology
 * pair (`key=value`), for the incoming pod's required affinity and
 * anti-affinity, and for existing pods' anti-affinity against it.
 */
import type { Node, Pod } from "../../api/types.js";
import type { NamespaceLister } from "../../framework/handle.js";
import type { NodeInfo } from "../../framework/node-info.js";
import { type PodTerms, podTerms, termMatches } from "./terms.js";

/** Counts by topology pair, written `key\u0000value`. */
export type TopologyCounts = Map<string, number>;

/** What Filter needs, computed once per cycle. */
export interface AffinityFilterState {
  terms: PodTerms;
  /** Pods matching the incoming pod's required affinity terms, per pair. */
  affinityCounts: TopologyCounts;
  /** Pods matching its required anti-affinity terms, per pair. */
  antiAffinityCounts: TopologyCounts;
  /** Existing pods whose required anti-affinity matches the incoming pod, per pair. */
  existingAntiAffinityCounts: TopologyCounts;
  clone(): AffinityFilterState;
}

/** The map key of a topology pair. */
export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(counts: TopologyCounts, node: Node, topologyKey: string, by: number): void {
  const value = node.metadata.labels?.[topologyKey];
  if (value === undefined) return;
  const k = pairKey(topologyKey, value);
  const n = (counts.get(k) ?? 0) + by;
  if (n === 0) counts.delete(k);
  else counts.set(k, n);
}

/** Adds (`by` = 1) or removes (−1) one existing pod's contribution to the counts. */
export function updateWithPod(
  state: AffinityFilterState,
  incoming: Pod,
  existing: Pod,
  node: Node,
  by: 1 | -1,
  namespaces?: NamespaceLister,
): void {
  for (const t of podTerms(existing).requiredAntiAffinity) {
    if (termMatches(t, incoming, namespaces))
      bump(state.existingAntiAffinityCounts, node, t.topologyKey, by);
  }
  // Affinity counts only when the existing pod matches every required affinity term (as upstream).
  const affinity = state.terms.requiredAffinity;
  if (affinity.length > 0 && affinity.every((t) => termMatches(t, existing, namespaces))) {
    for (const t of affinity) bump(state.affinityCounts, node, t.topologyKey, by);
  }
  for (const t of state.terms.requiredAntiAffinity) {
    if (termMatches(t, existing, namespaces))
      bump(state.antiAffinityCounts, node, t.topologyKey, by);
  }
}

function withClone(s: Omit<AffinityFilterState, "clone">): AffinityFilterState {
  return {
    ...s,
    clone: () =>
      withClone({
        terms: s.terms,
        affinityCounts: new Map(s.affinityCounts),
        antiAffinityCounts: new Map(s.antiAffinityCounts),
        existingAntiAffinityCounts: new Map(s.existingAntiAffinityCounts),
      }),
  };
}

/** Computes the counts over a snapshot's nodes. */
export function computeFilterState(
  incoming: Pod,
  nodes: readonly NodeInfo[],
  namespaces?: NamespaceLister,
  /** The nodes of `nodes` holding pods with required anti-affinity, when the caller has that list (the snapshot does). */
  withRequiredAntiAffinity?: readonly NodeInfo[],
): AffinityFilterState {
  const state = withClone({
    terms: podTerms(incoming),
    affinityCounts: new Map(),
    antiAffinityCounts: new Map(),
    existingAntiAffinityCounts: new Map(),
  });
  const needsAll =
    state.terms.requiredAffinity.length > 0 || state.terms.requiredAntiAffinity.length > 0;
  // Without terms of its own, only existing pods' anti-affinity matters: visit just their nodes, as upstream.
  for (const n of needsAll ? nodes : (withRequiredAntiAffinity ?? nodes)) {
    const pods = needsAll ? n.pods : n.podsWithRequiredAntiAffinity;
    for (const p of pods) updateWithPod(state, incoming, p.pod, n.node, 1, namespaces);
  }
  return state;
}

/** Required affinity: the node has every topology key and matching pods in each pair (or the first-pod exception). */
export function satisfiesPodAffinity(
  state: AffinityFilterState,
  incoming: Pod,
  node: Node,
  namespaces?: NamespaceLister,
): boolean {
  let podsExist = true;
  for (const t of state.terms.requiredAffinity) {
    const value = node.metadata.labels?.[t.topologyKey];
    if (value === undefined) return false;
    if ((state.affinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself may go anywhere that has the topology keys.
  return (
    state.affinityCounts.size === 0 &&
    state.terms.requiredAffinity.every((t) => termMatches(t, incoming, namespaces))
  );
}

/** Required anti-affinity: no matching pod shares the node's pair for any term. */
export function satisfiesPodAntiAffinity(state: AffinityFilterState, node: Node): boolean {
  for (const t of state.terms.requiredAntiAffinity) {
    const value = node.metadata.labels?.[t.topologyKey];
    if (
      value !== undefined &&
      (state.antiAffinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) > 0
    )
      return false;
  }
  return true;
}

/** Existing pods' anti-affinity: no pair of the node's labels holds a pod that repels the incoming one. */
export function satisfiesExistingPodsAntiAffinity(state: AffinityFilterState, node: Node): boolean {
  if (state.existingAntiAffinityCounts.size === 0) return true;
  const labels = node.metadata.labels;
  for (const key in labels) {
    if (!Object.hasOwn(labels, key)) continue;
    if ((state.existingAntiAffinityCounts.get(pairKey(key, labels[key]!)) ?? 0) > 0) return false;
  }
  return true;
}
