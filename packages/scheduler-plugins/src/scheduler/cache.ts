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
  private readonly nodes = new Map<string, Node>();
  // pod key → the pod (with spec.nodeName set) and whether it is only assumed
  private readonly pods = new Map<string, { pod: Pod; assumed: boolean }>();
  // The last snapshot, reused until something changes.
  private last: Snapshot | undefined;

  /** Adds or replaces a node. */
  addNode(node: Node): void {
    this.last = undefined;
    this.nodes.set(node.metadata.name, node);
  }

  /** Same as addNode. */
  updateNode(node: Node): void {
    this.addNode(node);
  }

  /** Removes a node (its pods stay cached until deleted, as upstream does). */
  removeNode(nodeName: string): void {
    this.last = undefined;
    this.nodes.delete(nodeName);
  }

  /** Records a pod bound to a node (an informer event); confirms an assumed pod. */
  addPod(pod: Pod): void {
    this.last = undefined;
    if (!pod.spec.nodeName) return;
    this.pods.set(podKey(pod), { pod, assumed: false });
  }

  /** Same as addPod. */
  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  /** Forgets a pod that was deleted. */
  removePod(pod: Pod): void {
    this.last = undefined;
    this.pods.delete(podKey(pod));
  }

  /** Counts the pod on `nodeName` before the binding is written. */
  assumePod(pod: Pod, nodeName: string): void {
    this.last = undefined;
    this.pods.set(podKey(pod), { pod: { ...pod, spec: { ...pod.spec, nodeName } }, assumed: true });
  }

  /** Undoes assumePod after a failed binding. */
  forgetPod(pod: Pod): void {
    this.last = undefined;
    const entry = this.pods.get(podKey(pod));
    if (entry?.assumed) this.pods.delete(podKey(pod));
  }

  /** True when the pod is assumed and not yet confirmed by an informer. */
  isAssumed(pod: Pod): boolean {
    return this.pods.get(podKey(pod))?.assumed ?? false;
  }

  /** Number of nodes. */
  nodeCount(): number {
    return this.nodes.size;
  }

  /** A snapshot: nodes in insertion order, each with its bound and assumed pods; rebuilt only after changes. */
  snapshot(): Snapshot {
    if (this.last) return this.last;
    const infos = new Map<string, NodeInfo>();
    for (const node of this.nodes.values()) infos.set(node.metadata.name, new NodeInfo(node));
    for (const { pod } of this.pods.values()) infos.get(pod.spec.nodeName ?? "")?.addPod(pod);
    this.last = new Snapshot([...infos.values()]);
    return this.last;
  }
}
