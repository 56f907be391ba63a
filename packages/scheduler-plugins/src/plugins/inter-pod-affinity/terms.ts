/**
 * Pod affinity terms resolved for matching: the namespaces a term applies
 * to and its selector, with upstream's defaults (no namespaces and no
 * namespaceSelector = the owning pod's namespace; a nil labelSelector
 * matches no pod; an empty namespaceSelector matches every namespace).
 */
import type { LabelSelector, Pod, PodAffinityTerm } from "../../api/types.js";
import type { NamespaceLister } from "../../framework/handle.js";
import { matchesLabelSelector } from "../../helpers/labels.js";

/** A term ready to match pods. */
export interface ResolvedTerm {
  topologyKey: string;
  selector: LabelSelector | undefined;
  namespaces: ReadonlySet<string>;
  namespaceSelector: LabelSelector | undefined;
  weight: number;
}

/** Resolves a term owned by `owner`. */
export function resolveTerm(term: PodAffinityTerm, owner: Pod, weight = 1): ResolvedTerm {
  const namespaces = new Set(term.namespaces ?? []);
  if (namespaces.size === 0 && !term.namespaceSelector)
    namespaces.add(owner.metadata.namespace ?? "default");
  return {
    topologyKey: term.topologyKey,
    selector: term.labelSelector,
    namespaces,
    namespaceSelector: term.namespaceSelector,
    weight,
  };
}

/** True when the term selects `pod` (namespace, then labels). */
export function termMatches(term: ResolvedTerm, pod: Pod, namespaces?: NamespaceLister): boolean {
  const ns = pod.metadata.namespace ?? "default";
  let nsOk = term.namespaces.has(ns);
  if (!nsOk && term.namespaceSelector) {
    const empty =
      !term.namespaceSelector.matchLabels && !term.namespaceSelector.matchExpressions?.length;
    nsOk = empty || matchesLabelSelector(term.namespaceSelector, namespaces?.labels(ns) ?? {});
  }
  if (!nsOk || !term.selector) return false;
  return matchesLabelSelector(term.selector, pod.metadata.labels);
}

/** A pod's affinity terms, resolved. */
export interface PodTerms {
  requiredAffinity: ResolvedTerm[];
  requiredAntiAffinity: ResolvedTerm[];
  preferredAffinity: ResolvedTerm[];
  preferredAntiAffinity: ResolvedTerm[];
}

const NO_TERMS: PodTerms = Object.freeze({
  requiredAffinity: [],
  requiredAntiAffinity: [],
  preferredAffinity: [],
  preferredAntiAffinity: [],
}) as PodTerms;

// Resolved once per pod object: every cycle visits every existing pod's terms.
const resolved = new WeakMap<Pod, PodTerms>();

/** Resolves all of a pod's affinity and anti-affinity terms (cached per pod object; treat as read-only). */
export function podTerms(pod: Pod): PodTerms {
  const a = pod.spec.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return NO_TERMS;
  let terms = resolved.get(pod);
  if (!terms) {
    terms = resolvePodTerms(pod);
    resolved.set(pod, terms);
  }
  return terms;
}

function resolvePodTerms(pod: Pod): PodTerms {
  const a = pod.spec.affinity;
  return {
    requiredAffinity: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (t) => resolveTerm(t, pod),
    ),
    requiredAntiAffinity: (
      a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
    ).map((t) => resolveTerm(t, pod)),
    preferredAffinity: (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (t) => resolveTerm(t.podAffinityTerm, pod, t.weight),
    ),
    preferredAntiAffinity: (
      a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
    ).map((t) => resolveTerm(t.podAffinityTerm, pod, t.weight)),
  };
}
