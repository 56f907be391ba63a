/**
 * Why a pod fits no node, and the FailedScheduling message upstream writes
 * for it: `0/5 nodes are available: 2 Insufficient cpu, 3 node(s) ... .`
 */
import type { NodeToStatus } from "../framework/interfaces.js";
import type { Status } from "../framework/status.js";

/** Everything learned about a failed scheduling attempt. */
export interface Diagnosis {
  /** Per-node statuses from PreFilter or Filter. */
  nodeToStatus: Map<string, Status>;
  /** Plugins that rejected the pod on some node (for queueing hints). */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending. */
  pendingPlugins: Set<string>;
  /** The PreFilter rejection message, when PreFilter rejected the pod outright. */
  preFilterMsg: string;
  /** What PostFilter (preemption) said. */
  postFilterMsg: string;
}

/** An empty diagnosis. */
export function newDiagnosis(): Diagnosis {
  return {
    nodeToStatus: new Map(),
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    preFilterMsg: "",
    postFilterMsg: "",
  };
}

/** The message upstream uses when the cluster has no nodes at all. */
export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/**
 * Formats reasons as upstream's FitError does: each reason counted over
 * nodes, rendered "COUNT REASON", sorted as strings, comma-joined.
 */
export function reasonHistogram(statuses: NodeToStatus): string[] {
  const counts = new Map<string, number>();
  for (const s of statuses.values()) {
    for (const reason of s.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  // Plain code-unit order, as Go's sort.Strings.
  return [...counts]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A pod that fits no node; its message is the FailedScheduling event text. */
export class FitError extends Error {
  override readonly name = "FitError";
  #histogram: { size: number; text: string[] } | undefined;

  constructor(
    readonly podName: string,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super();
    this.message = this.format();
  }

  /** The FailedScheduling text from the diagnosis as it is now (PostFilter may have added to it). */
  format(): string {
    let msg = `0/${this.numAllNodes} nodes are available:`;
    const d = this.diagnosis;
    if (d.preFilterMsg) {
      msg += ` ${d.preFilterMsg}.`;
    } else {
      // Counted over every node: done once per set of statuses, not on each re-render.
      if (this.#histogram?.size !== d.nodeToStatus.size) {
        this.#histogram = { size: d.nodeToStatus.size, text: reasonHistogram(d.nodeToStatus) };
      }
      const histogram = this.#histogram.text;
      if (histogram.length > 0) msg += ` ${histogram.join(", ")}.`;
    }
    if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
    return msg;
  }
}
