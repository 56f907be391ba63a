import type { GroupVersionResource, KubeObject, OwnerReference } from "@kubekit/client";

/** One object in the owner/dependent graph: enough to find it, delete it and follow its references. */
export interface GraphNode {
  uid: string;
  resource: GroupVersionResource;
  namespace?: string;
  name: string;
  ownerReferences: OwnerReference[];
  deletionTimestamp?: string;
  finalizers: string[];
}

/** The finalizer asking the collector to orphan dependents before the owner goes. */
export const ORPHAN_FINALIZER = "orphan";
/** The finalizer asking the collector to delete blocking dependents before the owner goes. */
export const FOREGROUND_FINALIZER = "foregroundDeletion";

/** The graph node for an object of `resource`, if it has a uid. */
export function nodeFor(resource: GroupVersionResource, obj: KubeObject): GraphNode | undefined {
  const meta = obj.metadata;
  if (!meta?.uid || !meta.name) return undefined;
  const node: GraphNode = {
    uid: meta.uid,
    resource,
    name: meta.name,
    ownerReferences: meta.ownerReferences ?? [],
    finalizers: meta.finalizers ?? [],
  };
  if (meta.namespace) node.namespace = meta.namespace;
  if (meta.deletionTimestamp) node.deletionTimestamp = meta.deletionTimestamp;
  return node;
}

/** True when the node is being deleted in the foreground (waiting for its dependents). */
export function isDeletingDependents(node: GraphNode): boolean {
  return node.deletionTimestamp !== undefined && node.finalizers.includes(FOREGROUND_FINALIZER);
}

/** True when the node is being deleted and wants its dependents orphaned first. */
export function isOrphaning(node: GraphNode): boolean {
  return node.deletionTimestamp !== undefined && node.finalizers.includes(ORPHAN_FINALIZER);
}

/**
 * Every object the collector watches, by uid, and who depends on whom
 * (upstream's GraphBuilder's uidToNode, without virtual nodes: owners not
 * in the graph are looked up live when it matters).
 */
export class OwnerGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  /** Adds or replaces a node; returns the node it replaced. */
  upsert(node: GraphNode): GraphNode | undefined {
    const old = this.#nodes.get(node.uid);
    if (old) this.#unlink(old);
    this.#nodes.set(node.uid, node);
    for (const ref of node.ownerReferences) {
      let set = this.#dependents.get(ref.uid);
      if (!set) {
        set = new Set();
        this.#dependents.set(ref.uid, set);
      }
      set.add(node.uid);
    }
    return old;
  }

  /** Removes a node; its dependents keep their (now dangling) references. */
  remove(uid: string): GraphNode | undefined {
    const old = this.#nodes.get(uid);
    if (old) {
      this.#unlink(old);
      this.#nodes.delete(uid);
    }
    return old;
  }

  /** The nodes whose ownerReferences name `uid`. */
  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.#dependents.get(uid) ?? []) {
      const node = this.#nodes.get(d);
      if (node) out.push(node);
    }
    return out;
  }

  #unlink(node: GraphNode): void {
    for (const ref of node.ownerReferences) {
      const set = this.#dependents.get(ref.uid);
      set?.delete(node.uid);
      if (set?.size === 0) this.#dependents.delete(ref.uid);
    }
  }
}
