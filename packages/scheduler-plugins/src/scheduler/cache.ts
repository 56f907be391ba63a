/**
 * The scheduler's view of the cluster between cycles: nodes, bound pods and
 * pods assumed onto a node while their binding is in flight. Informers feed
 * it; each cycle takes a {@link Snapshot} from it.
 */
import type { Node, Pod } from "../api/types.js";
import { podKey } from "../api/types.js";
import { NodeInfo } from "../framework/node-info.js";
import { Snapshot } from "../framework/snapshot.js";

/** Nodes and the pods on them, with assumed pods counted as if bound. */
export class SchedulerCache {
  // Live per-node state, updated in place; snapshots copy only nodes that changed.
  private readonly infos = new Map<string, NodeInfo>();
  // pod key → the pod (with spec.nodeName set) and whether it is only assumed
  private readonly pods = new Map<string, { pod: Pod; assumed: boolean }>();
  // The copies handed out in the last snapshot, by node name.
  private readonly copies = new Map<string, NodeInfo>();
  private last: Snapshot | undefined;
  // Whether `last` can be brought up to date by swapping in copies of `dirty` nodes only.
  private reusable: Snapshot | undefined;
  private readonly dirty = new Set<string>();

  /** Adds or replaces a node (its cached pods stay). */
  addNode(node: Node): void {
    this.last = undefined;
    this.reusable = undefined;
    const info = new NodeInfo(node);
    const old = this.infos.get(node.metadata.name);
    for (const p of old?.pods ?? []) info.addPod(p.pod);
    if (!old) {
      for (const { pod } of this.pods.values())
        if (pod.spec.nodeName === node.metadata.name) info.addPod(pod);
    }
    // A new object must never look like an old copy's generation.
    info.generation = (old?.generation ?? 0) + info.pods.length + 1;
    this.infos.set(node.metadata.name, info);
  }

  /** Same as addNode. */
  updateNode(node: Node): void {
    this.addNode(node);
  }

  /** Removes a node (its pods stay cached until deleted, as upstream does). */
  removeNode(nodeName: string): void {
    this.last = undefined;
    this.reusable = undefined;
    this.infos.delete(nodeName);
    this.copies.delete(nodeName);
  }

  /** Records a pod bound to a node (an informer event); confirms an assumed pod. */
  addPod(pod: Pod): void {
    if (!pod.spec.nodeName) return;
    this.place(pod, false);
  }

  /** Same as addPod. */
  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  /** Forgets a pod that was deleted. */
  removePod(pod: Pod): void {
    this.unplace(podKey(pod));
  }

  /** Counts the pod on `nodeName` before the binding is written. */
  assumePod(pod: Pod, nodeName: string): void {
    this.place({ ...pod, spec: { ...pod.spec, nodeName } }, true);
  }

  /** Undoes assumePod after a failed binding. */
  forgetPod(pod: Pod): void {
    if (this.pods.get(podKey(pod))?.assumed) this.unplace(podKey(pod));
  }

  /** True when the pod is assumed and not yet confirmed by an informer. */
  isAssumed(pod: Pod): boolean {
    return this.pods.get(podKey(pod))?.assumed ?? false;
  }

  /** Number of nodes. */
  nodeCount(): number {
    return this.infos.size;
  }

  /** A snapshot: nodes in insertion order, each with its bound and assumed pods; only changed nodes are copied. */
  snapshot(): Snapshot {
    if (this.last) return this.last;
    if (this.reusable) {
      // Only pods moved since the last snapshot: copy just those nodes into it.
      const copies: NodeInfo[] = [];
      for (const name of this.dirty) {
        const live = this.infos.get(name);
        if (!live) continue;
        const copy = live.clone();
        this.copies.set(name, copy);
        copies.push(copy);
      }
      this.dirty.clear();
      this.reusable.replaceNodeInfos(copies);
      this.last = this.reusable;
      return this.last;
    }
    this.dirty.clear();
    const list: NodeInfo[] = [];
    for (const [name, live] of this.infos) {
      let copy = this.copies.get(name);
      if (!copy || copy.generation !== live.generation || copy.node !== live.node) {
        copy = live.clone();
        this.copies.set(name, copy);
      }
      list.push(copy);
    }
    this.last = new Snapshot(list);
    this.reusable = this.last;
    return this.last;
  }

  private place(pod: Pod, assumed: boolean): void {
    const key = podKey(pod);
    this.unplace(key);
    this.last = undefined;
    this.pods.set(key, { pod, assumed });
    const info = this.infos.get(pod.spec.nodeName ?? "");
    if (info) {
      info.addPod(pod);
      this.dirty.add(info.name);
    }
  }

  private unplace(key: string): void {
    const entry = this.pods.get(key);
    if (!entry) return;
    this.last = undefined;
    this.pods.delete(key);
    const info = this.infos.get(entry.pod.spec.nodeName ?? "");
    if (info?.removePod(entry.pod)) this.dirty.add(info.name);
  }
}
