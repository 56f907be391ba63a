/**
 * Label and node selector matching with the semantics of apimachinery's
 * labels.Selector and core/v1 NodeSelector.
 */
import type {
  LabelSelector,
  Node,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
} from "../api/types.js";

/** True when `labels` satisfies the selector. An empty selector matches everything. */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> = {},
): boolean {
  // Runs for every existing pod in affinity and spreading: no per-call allocation.
  const matchLabels = selector.matchLabels;
  if (matchLabels) {
    for (const key in matchLabels) {
      if (!Object.hasOwn(matchLabels, key)) continue;
      if (labels[key] !== matchLabels[key]) return false;
    }
  }
  const exprs = selector.matchExpressions;
  if (!exprs || exprs.length === 0) return true;
  for (const req of exprs) {
    const has = Object.hasOwn(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(labels[req.key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[req.key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A selector that matches nothing: a nil LabelSelector in an affinity term selects no pods. */
export function matchesOptionalSelector(
  selector: LabelSelector | undefined,
  labels?: Record<string, string>,
): boolean {
  return selector ? matchesLabelSelector(selector, labels) : false;
}

function matchesRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0]!, 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return req.operator === "Gt" ? have > want : have < want;
    }
  }
}

/** True when the node satisfies every requirement of the term. A term with no requirements matches nothing. */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const req of exprs) if (!matchesRequirement(req, labels[req.key])) return false;
  for (const req of fields) {
    // Only metadata.name is a supported field, as upstream.
    const value = req.key === "metadata.name" ? node.metadata.name : undefined;
    if (!matchesRequirement(req, value)) return false;
  }
  return true;
}

/** True when the node satisfies at least one term. */
export function matchesNodeSelector(selector: NodeSelector, node: Node): boolean {
  return selector.nodeSelectorTerms.some((t) => matchesNodeSelectorTerm(t, node));
}

/** The pod's required node constraints: `nodeSelector` AND required node affinity. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const nodeSelector = pod.spec.nodeSelector;
  if (nodeSelector) {
    for (const key in nodeSelector) {
      if (Object.hasOwn(nodeSelector, key) && labels[key] !== nodeSelector[key]) return false;
    }
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required ? matchesNodeSelector(required, node) : true;
}
