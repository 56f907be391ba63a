/**
 * The cluster as one scheduling cycle sees it: taken once at the start of
 * the cycle so every plugin reads the same state.
 */
import type { Node, Pod } from "../api/types.js";
import { NodeInfo } from "./node-info.js";

/** Read access to the nodes of a snapshot (upstream's NodeInfoLister). */
export interface NodeInfoLister {
  /** Every node, in a stable order. */
  list(): readonly NodeInfo[];
  /** One node by name. */
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes with at least one pod that has pod affinity or anti-affinity. */
  havePodsWithAffinity(): readonly NodeInfo[];
  /** Nodes with at least one pod that has required anti-affinity. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
}

/** An immutable-by-convention view of nodes and their pods. */
export class Snapshot implements NodeInfoLister {
  private readonly byName = new Map<string, NodeInfo>();
  private readonly withAffinity: NodeInfo[];
  private readonly withRequiredAntiAffinity: NodeInfo[];

  constructor(private readonly nodeInfos: readonly NodeInfo[]) {
    for (const n of nodeInfos) this.byName.set(n.name, n);
    // Count, per image name, how many nodes hold it (for ImageLocality's spread factor).
    const counts = new Map<string, number>();
    for (const n of nodeInfos) {
      for (const name of n.imageStates.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const n of nodeInfos) {
      for (const [name, state] of n.imageStates) state.numNodes = counts.get(name) ?? 1;
    }
    this.withAffinity = nodeInfos.filter((n) => n.podsWithAffinity.length > 0);
    this.withRequiredAntiAffinity = nodeInfos.filter(
      (n) => n.podsWithRequiredAntiAffinity.length > 0,
    );
  }

  /** Builds a snapshot from Node objects and the pods bound to them (pods without a known nodeName are ignored). */
  static from(nodes: readonly Node[], pods: readonly Pod[] = []): Snapshot {
    const infos = nodes.map((n) => new NodeInfo(n));
    const byName = new Map(infos.map((n) => [n.name, n]));
    for (const pod of pods) {
      const nodeName = pod.spec.nodeName;
      if (nodeName) byName.get(nodeName)?.addPod(pod);
    }
    return new Snapshot(infos);
  }

  list(): readonly NodeInfo[] {
    return this.nodeInfos;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.withAffinity;
  }

  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  /** Number of nodes. */
  get size(): number {
    return this.nodeInfos.length;
  }
}
