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
  private readonly indexOf = new Map<string, number>();
  // Nodes with affinity pods, in no particular order (readers only sum over
  // them), with each node's position so a cycle's changes are O(1) apiece.
  private readonly withAffinity = new IndexedNodeList();
  private readonly withRequiredAntiAffinity = new IndexedNodeList();

  constructor(private readonly nodeInfos: NodeInfo[]) {
    for (const [i, n] of nodeInfos.entries()) this.indexOf.set(n.name, i);
    for (const n of nodeInfos) this.byName.set(n.name, n);
    // Count, per image name, how many nodes hold it (for ImageLocality's spread factor).
    const counts = new Map<string, number>();
    for (const n of nodeInfos) {
      for (const name of n.imageStates.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const n of nodeInfos) {
      for (const [name, state] of n.imageStates) state.numNodes = counts.get(name) ?? 1;
    }
    for (const n of nodeInfos) {
      if (n.podsWithAffinity.length > 0) this.withAffinity.set(n);
      if (n.podsWithRequiredAntiAffinity.length > 0) this.withRequiredAntiAffinity.set(n);
    }
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

  /**
   * Swaps in new copies of nodes already in the snapshot (same Node objects,
   * pods changed): what the cache does at the start of a cycle instead of
   * building a new snapshot, as upstream's UpdateSnapshot. Callers must not
   * be in the middle of a cycle that reads this snapshot.
   */
  replaceNodeInfos(copies: readonly NodeInfo[]): void {
    for (const copy of copies) {
      const i = this.indexOf.get(copy.name);
      if (i === undefined) throw new Error(`snapshot: node ${copy.name} is not in the snapshot`);
      const old = this.nodeInfos[i]!;
      // Pods do not change a node's images: carry the image spread over.
      for (const [name, state] of copy.imageStates) {
        state.numNodes = old.imageStates.get(name)?.numNodes ?? state.numNodes;
      }
      this.nodeInfos[i] = copy;
      this.byName.set(copy.name, copy);
      if (copy.podsWithAffinity.length > 0) this.withAffinity.set(copy);
      else this.withAffinity.delete(copy.name);
      if (copy.podsWithRequiredAntiAffinity.length > 0) this.withRequiredAntiAffinity.set(copy);
      else this.withRequiredAntiAffinity.delete(copy.name);
    }
  }

  list(): readonly NodeInfo[] {
    return this.nodeInfos;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.withAffinity.list;
  }

  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity.list;
  }

  /** Number of nodes. */
  get size(): number {
    return this.nodeInfos.length;
  }
}

/** A list of NodeInfos, at most one per node name, with O(1) set and delete (order not kept). */
class IndexedNodeList {
  readonly list: NodeInfo[] = [];
  private readonly position = new Map<string, number>();

  /** Adds the node, or replaces the entry of the same name. */
  set(n: NodeInfo): void {
    const i = this.position.get(n.name);
    if (i !== undefined) {
      this.list[i] = n;
      return;
    }
    this.position.set(n.name, this.list.length);
    this.list.push(n);
  }

  /** Removes the node of that name, moving the last entry into its place. */
  delete(name: string): void {
    const i = this.position.get(name);
    if (i === undefined) return;
    const last = this.list.pop()!;
    this.position.delete(name);
    if (i < this.list.length) {
      this.list[i] = last;
      this.position.set(last.name, i);
    }
  }
}
